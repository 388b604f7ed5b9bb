/**
 * Every error the mock reports, in one catalogue: each a named factory with a fixed `code`,
 * HTTP status and message template, as fastify's `lib/errors.js` keeps its own. Routes, the
 * options checker, the CLI and the store throw only what is made here, so a code means one
 * thing everywhere and the table of codes in docs/error-codes.md (kept equal to {@link ERRORS} by
 * a test) is complete.
 *
 * @example
 * ```ts
 * import { ERRORS, MockError } from 'bigcommerce-mock-storefront'
 *
 * try {
 *   storefront.mintToken('no-such-app', 4927)
 * } catch (error) {
 *   if (error instanceof MockError && error.code === ERRORS.unknownApp.code) console.log(error.field) // 'clientId'
 * }
 * ```
 */

/**
 * A failure the mock reports to its caller: a stable `code` to match on, the HTTP status it
 * maps to, and a message that names what was wrong and where.
 */
export class MockError extends Error {
  override readonly name: string = 'MockError'

  /**
   * @param code - stable identifier, e.g. `BCMOCK_UNKNOWN_APP`.
   * @param message - one sentence naming the parameter or field at fault.
   * @param statusCode - the 4xx status the HTTP layer answers with.
   * @param field - the parameter, field or option the error is about, when there is one.
   */
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    readonly field?: string,
  ) {
    super(message)
  }
}

/** One problem found in a fixture document: the file, the path inside it, what was expected. */
export interface FixtureProblem {
  /** The fixture file, or `<object>` when fixtures were passed in memory. */
  file: string
  /** Where in the document, e.g. `apps[1].client_secret`. */
  path: string
  /** What was expected, e.g. `expected a non-empty string`. */
  message: string
}

/** A fixture document that cannot be used; `problems` lists every fault found, not only the first. */
export class FixtureError extends MockError {
  override readonly name: string = 'FixtureError'

  constructor(readonly problems: FixtureProblem[]) {
    super(FIXTURE_INVALID_CODE, problems.map(formatProblem).join('\n'), 400)
  }
}

const FIXTURE_INVALID_CODE = 'BCMOCK_FIXTURE_INVALID'

function formatProblem(problem: FixtureProblem): string {
  return problem.path ? `${problem.file}: ${problem.path}: ${problem.message}` : `${problem.file}: ${problem.message}`
}

/** A catalogue entry: call it to make the error; `code`, `statusCode` and `when` describe it. */
export interface ErrorFactory<A extends unknown[]> {
  (...args: A): MockError
  readonly code: string
  readonly statusCode: number
  /** When it is answered, in words for the table in docs/error-codes.md. */
  readonly when: string
}

// The field is what the error body keys its message by (`errors: {field: message}`).
function define<A extends unknown[]>(
  code: string,
  statusCode: number,
  when: string,
  build: (...args: A) => [message: string, field?: string],
): ErrorFactory<A> {
  const factory = (...args: A): MockError => {
    const [message, field] = build(...args)
    return new MockError(code, message, statusCode, field)
  }
  return Object.assign(factory, { code, statusCode, when })
}

/**
 * Longest client id the mock registers (fixture files and objects, the control API, the handle):
 * real BigCommerce client ids are about 31 characters, and every message and log line that
 * names an app stays short. An unknown id a request sends is echoed cut to this length. Kept
 * here, where the messages cut ids, since this module imports nothing; the app rules
 * (`domain/rules/app-rules.ts`) are what refuse a longer one.
 */
export const MAX_CLIENT_ID_LENGTH = 128

/** Longest origin `--cors-origin` takes: a DNS name has at most 253 characters, scheme and port fit in the rest. */
export const MAX_ORIGIN_LENGTH = 300

/** Most entries a message lists (registered apps, `--cors-origin` origins, host names); the rest are counted. */
export const MAX_LISTED = 10

/**
 * `text` cut to at most `max` characters, the cut saying how long it was: request values (a
 * Host, an Origin) and hints are echoed in answers and log lines, and none may make either large.
 *
 * @example
 * ```ts
 * shortened('x'.repeat(12000), 64) // 'xxx...x... (12000 characters)', 64 characters in all
 * ```
 */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text
  const note = `... (${text.length} characters)`
  return `${text.slice(0, Math.max(0, max - note.length))}${note}`
}

/** The first {@link MAX_LISTED} of `items`, each {@link shortened}, and how many more there are. */
export function listed(items: Iterable<string>, itemMax = MAX_ORIGIN_LENGTH): string {
  const all = [...items]
  const shown = all.slice(0, MAX_LISTED).map((item) => shortened(item, itemMax))
  return all.length > MAX_LISTED ? `${shown.join(', ')}, and ${all.length - MAX_LISTED} more` : shown.join(', ')
}

/** An unknown client id as a message quotes it: JSON, cut to {@link MAX_CLIENT_ID_LENGTH}. */
function quotedClientId(clientId: string): string {
  return clientId.length <= MAX_CLIENT_ID_LENGTH
    ? JSON.stringify(clientId)
    : `${JSON.stringify(clientId.slice(0, MAX_CLIENT_ID_LENGTH))}... (${clientId.length} characters)`
}

/** The registered client ids as a refusal names them: the first {@link MAX_LISTED}, and how many more. */
export function registeredList(registered: readonly string[]): string {
  if (registered.length === 0) return 'no apps are registered'
  return `registered: ${listed(registered, MAX_CLIENT_ID_LENGTH)}${registered.length > MAX_LISTED ? '; GET /__mock/apps lists them all' : ''}`
}

/** The catalogue. Keys name the factories; see the table in docs/error-codes.md. */
export const ERRORS = {
  invalidOption: define(
    'BCMOCK_INVALID_OPTION',
    400,
    'an option of buildApp/startMockStorefront, a CLI flag value or an environment variable is invalid',
    (label: string, problem: string) => [`${label}: ${problem}`, label],
  ),
  conflictingOptions: define(
    'BCMOCK_CONFLICTING_OPTIONS',
    400,
    'two options or flags that cannot be used together were both given',
    (first: string, second: string, why: string) => [`${first} and ${second} cannot be used together: ${why}`, first],
  ),
  unknownOption: define(
    'BCMOCK_UNKNOWN_OPTION',
    400,
    'buildApp/startMockStorefront was given an option it does not have (a misspelling is named with the one meant)',
    (name: string, suggestion: string | undefined, known: readonly string[]) => [
      `${name}: not an option${suggestion ? `; did you mean ${suggestion}?` : ''} (options: ${known.join(', ')})`,
      name,
    ],
  ),
  portInUse: define('BCMOCK_PORT_IN_USE', 409, 'the port asked for is already taken on that host', (host: string, port: number) => [
    `port ${port} on ${host} is already in use; stop what holds it, choose another with --port (option port), or use --port 0 (port: 0) for a free one.`,
    'port',
  ]),
  portNotAllowed: define(
    'BCMOCK_PORT_NOT_ALLOWED',
    403,
    'the process may not listen on that port (below 1024 without privileges)',
    (host: string, port: number) => [`not allowed to listen on ${host}:${port}; choose a port above 1023 or --port 0 (port: 0).`, 'port'],
  ),
  hostNotLocal: define('BCMOCK_HOST_NOT_LOCAL', 400, 'the host to listen on is not an address of this machine', (host: string) => [
    `cannot listen on host ${host}: no such local address (--host, option host).`,
    'host',
  ]),
  tlsCertificate: define(
    'BCMOCK_TLS_CERTIFICATE',
    400,
    "`--cert`/`--key` (options `cert`, `key`) name a file that cannot be read, is not PEM of its kind, or a key that is not the certificate's",
    (label: string, problem: string) => [`${label}: ${problem}`, label],
  ),
  certCacheDirUnsafe: define(
    'BCMOCK_CERT_CACHE_UNSAFE',
    400,
    '`--cert-cache-dir` (`BC_MOCK_CERT_CACHE_DIR`, option `certCacheDir`) names a directory another user could write (not owned by the user, writable by group or others, a symbolic link), where a planted certificate would be served',
    (label: string, dir: string, problem: string) => [
      `${label}: ${dir} cannot hold the generated certificate: ${problem}; another user could plant a certificate there or swap the key. Name a directory only you can write (a new one is made 0700), or leave ${label} unset for the user's cache directory.`,
      label,
    ],
  ),
  invalidFlag: define('BCMOCK_INVALID_FLAG', 400, 'the command line has an unknown flag or a flag without its value', (problem: string) => [
    `${problem} (see --help)`,
  ]),
  fixtureInvalid: Object.assign((problems: FixtureProblem[]) => new FixtureError(problems), {
    code: FIXTURE_INVALID_CODE,
    statusCode: 400,
    when: 'a fixture file or object cannot be used (every problem is listed with its file and path)',
  }) satisfies ErrorFactory<[FixtureProblem[]]>,
  invalidRequest: define(
    'BCMOCK_INVALID_REQUEST',
    400,
    'a query parameter, path parameter or body field is missing or invalid',
    (field: string, message: string) => [message, field],
  ),
  unknownAction: define('BCMOCK_UNKNOWN_ACTION', 400, '`POST /login.php` without `action=check_login`', (action: string | undefined) => [
    `query parameter 'action' must be "check_login" to sign in, got ${JSON.stringify(action ?? null)}`,
    'action',
  ]),
  unknownAppParameter: define(
    'BCMOCK_UNKNOWN_APP_CLIENT_ID',
    400,
    '`/customer/current.jwt` with an `app_client_id` no app is registered with',
    (clientId: string, registered: readonly string[]) => [
      `app_client_id ${quotedClientId(clientId)} is not a registered app (${registeredList(registered)}).`,
      'app_client_id',
    ],
  ),
  unknownApp: define(
    'BCMOCK_UNKNOWN_APP',
    404,
    'a control API call or handle method names an app that is not registered',
    (clientId: string, registered: readonly string[], field: string) => [
      `No app with client id ${quotedClientId(clientId)} (${registeredList(registered)}).`,
      field,
    ],
  ),
  unknownCustomer: define(
    'BCMOCK_UNKNOWN_CUSTOMER',
    404,
    'a control API call or handle method names a customer id or email the store does not have',
    (customer: number | string, field: string) => [
      typeof customer === 'number'
        ? `No customer with id ${customer} (GET /__mock/customers lists them).`
        : `No customer with email ${JSON.stringify(customer)} (GET /__mock/customers lists them).`,
      field,
    ],
  ),
  unknownSession: define(
    'BCMOCK_UNKNOWN_SESSION',
    404,
    '`DELETE /__mock/sessions/{id}` with a handle no live session has',
    (handle: string) => [`No session ${handle} (GET /__mock/sessions lists them).`, 'id'],
  ),
  notLoggedIn: define(
    'BCMOCK_NOT_LOGGED_IN',
    404,
    '`/customer/current.jwt` from a guest: no session, or an unknown or expired one (BigCommerce answers 404 too)',
    () => ['No customer is signed in: sign in at /login.php first (or the session is unknown or has expired).', 'customer'],
  ),
  wrongCredentials: define(
    'BCMOCK_WRONG_CREDENTIALS',
    401,
    'the sign-in form was posted with a wrong email or password (answered with the form page; the code shows in the request log)',
    () => ['The email or password is wrong: no customer has that email, or the password is not theirs.', 'login_email'],
  ),
  conflict: define(
    'BCMOCK_CONFLICT',
    409,
    'a customer id or email, or an app client id, is already taken',
    (field: string, message: string) => [message, field],
  ),
  corsOriginNotListed: define(
    'BCMOCK_CORS_ORIGIN_NOT_LISTED',
    403,
    'a CORS preflight for `/customer/current.jwt` from a page whose origin is not a `--cors-origin` (the answer carries no CORS header, so the browser still blocks the fetch)',
    (origin: string | undefined, listedOrigins: string) => [
      origin === undefined
        ? 'A page with an opaque origin (Origin: null, as file:// pages and sandboxed frames send) asked to read /customer/current.jwt; no --cors-origin can name it. Serve the page over http(s), for example from http://localhost:<port>, and list that origin with --cors-origin.'
        : `A page on ${shortened(origin, MAX_ORIGIN_LENGTH)} asked to read /customer/current.jwt (a CORS preflight), but that origin is not a --cors-origin (${listedOrigins}), so the browser blocks the fetch. Start the mock with --cors-origin ${shortened(origin, MAX_ORIGIN_LENGTH)}.`,
      'origin',
    ],
  ),
  notFound: define(
    'BCMOCK_NOT_FOUND',
    404,
    'no route matches (under `/__mock`: no control endpoint matches)',
    (method: string, where: 'storefront' | 'control' = 'storefront') => [
      where === 'control'
        ? `No control endpoint matches this ${method} request; GET /__mock/openapi.yaml lists them.`
        : `No route matches this ${method} request on this mock storefront (the path is not repeated here: it may hold a token).`,
      'path',
    ],
  ),
  urlTooLong: define(
    'BCMOCK_URL_TOO_LONG',
    414,
    'the URL, or one path segment of it, is longer than the mock serves',
    (max: number, part: 'url' | 'segment' = 'url') => [
      part === 'segment'
        ? `A path segment of the URL is too long (a URL may hold at most ${max} characters).`
        : `The URL is longer than ${max} characters, the most this mock serves.`,
      'url',
    ],
  ),
  badUrl: define('BCMOCK_BAD_URL', 400, 'a percent-escape in the path does not decode, or the URL cannot be routed', (problem: string) => [
    problem,
    'url',
  ]),
  bodyTooLarge: define('BCMOCK_BODY_TOO_LARGE', 413, 'the request body is larger than the mock accepts', (max: number) => [
    `The request body is larger than ${max} bytes, the most this mock accepts.`,
    'body',
  ]),
  unsupportedMediaType: define('BCMOCK_UNSUPPORTED_MEDIA_TYPE', 415, 'the body has a Content-Type the route does not read', () => [
    'The body has a Content-Type this route does not read: send application/json to the control API, application/x-www-form-urlencoded to the sign-in form.',
    'content-type',
  ]),
  invalidJson: define('BCMOCK_INVALID_JSON', 400, 'a JSON body does not parse', (problem: string) => [
    `The body is not valid JSON: ${problem}.`,
    'body',
  ]),
  badRequest: define(
    'BCMOCK_BAD_REQUEST',
    400,
    "any other malformed request Fastify refuses (the status is Fastify's 4xx)",
    (problem: string) => [problem, 'request'],
  ),
  adminTokenRequired: define('BCMOCK_ADMIN_TOKEN_REQUIRED', 401, 'the control API needs the admin token and none was sent', () => [
    'The control API needs the admin token: send Authorization: Bearer <admin token> (set with --admin-token or BC_MOCK_ADMIN_TOKEN).',
    'authorization',
  ]),
  adminTokenWrong: define('BCMOCK_ADMIN_TOKEN_WRONG', 401, 'the bearer token is not the admin token', () => [
    'The bearer token is not the admin token this mock was started with.',
    'authorization',
  ]),
  controlForeign: define(
    'BCMOCK_CONTROL_FOREIGN',
    403,
    'an open control API refuses a request whose Host or Origin is not this machine',
    (why: string) => [
      `The control API is open only to this machine, and this request is refused: ${why}. Call it at http://127.0.0.1 or localhost, or set --admin-token.`,
      'control',
    ],
  ),
  controlOff: define(
    'BCMOCK_CONTROL_OFF',
    403,
    'the control API is off (`--no-admin`, or a non-loopback host without an admin token)',
    (reason: string) => [`The control API (/__mock) is off: ${reason}.`, 'control'],
  ),
  proxyUpstream: define(
    'BCMOCK_PROXY_UPSTREAM',
    502,
    'the `--proxy` dev server did not answer',
    (upstream: string, method: string, reason: string) => [
      `The dev server at ${upstream} (--proxy) did not answer this ${method} request: ${reason}. Is it running?`,
      'proxy',
    ],
  ),
  proxyForeign: define(
    'BCMOCK_PROXY_FOREIGN',
    403,
    'with `--proxy` on a loopback host, a proxied request or WebSocket upgrade whose Host or Origin is not this machine',
    (why: string) => [
      `The mock passes requests to the dev server only from this machine's own pages, and this request is refused: ${why}. Open the mock at http://127.0.0.1 or localhost.`,
      'host',
    ],
  ),
  duplicateHost: define('BCMOCK_DUPLICATE_HOST', 400, 'a request carries more than one Host header', () => [
    'The request has more than one Host header; send exactly one (RFC 9112 section 3.2).',
    'host',
  ]),
  hostNotAllowed: define(
    'BCMOCK_HOST_NOT_ALLOWED',
    403,
    'on a loopback host, a request (any route) whose Host header is not this machine (localhost, *.localhost, 127.x, ::1) nor a host allowed with `--allowed-host`',
    (host: string, name: string | undefined) => {
      const allow = name ?? 'NAME'
      return [
        `The mock listens on a loopback address and answers only requests addressed to this machine (localhost, *.localhost, 127.0.0.1, [::1]) or to an allowed host, and this request's Host header is ${JSON.stringify(host)}: a web page on another site can point its own name at 127.0.0.1 (DNS rebinding) and so read the store and mint tokens. If you open the mock by that name on purpose, allow it: --allowed-host ${allow} (or BC_MOCK_ALLOWED_HOSTS=${allow}, option allowedHosts: ['${allow}']).`,
        'host',
      ]
    },
  ),
  customerIdsExhausted: define(
    'BCMOCK_ID_SPACE_EXHAUSTED',
    409,
    'a new customer without an id when the highest id in use is 2^53-1, the largest a JSON number holds exactly',
    (highest: number) => [
      `No customer id is left after ${highest}: ids are whole numbers up to 9007199254740991 (2^53-1, the largest a JSON number holds exactly). Send an explicit free id.`,
      'id',
    ],
  ),
  storeFull: define(
    'BCMOCK_STORE_FULL',
    409,
    'the control API or handle would add a customer or app past the documented cap',
    (what: 'customers' | 'apps', cap: number) => [
      `The store already holds ${cap} ${what} beyond its fixtures, the most this mock adds at run time; delete some, or list them in the fixture file.`,
      what === 'customers' ? 'customer' : 'client_id',
    ],
  ),
  unknownFault: define(
    'BCMOCK_UNKNOWN_FAULT',
    404,
    '`DELETE /__mock/faults/{id}` or a fault handle names a fault that is not active (removed, used up, or never added)',
    (id: string) => [`No active fault ${id} (GET /__mock/faults lists them; a fault with times ends by itself once used up).`, 'id'],
  ),
  tooManyFaults: define(
    'BCMOCK_TOO_MANY_FAULTS',
    409,
    'a fault is added while the most that may be active at once already are',
    (max: number) => [
      `${max} faults are active, the most this mock holds at once; remove some (DELETE /__mock/faults ends all) before adding another.`,
      'faults',
    ],
  ),
  injectedFault: define(
    'BCMOCK_FAULT',
    500,
    "a `status` fault answered in place of the route (with the fault's own status, 500 by default)",
    (id: string, route: string) => [
      `Fault ${id} answered this ${route} request with an error on purpose (POST /__mock/faults; DELETE /__mock/faults/${id} ends it).`,
      'fault',
    ],
  ),
  apiUnauthorized: define(
    'BCMOCK_API_UNAUTHORIZED',
    401,
    "a Management API request (`/stores/{store_hash}/...`) without `X-Auth-Token`, with one no app has as its `access_token`, or with an `X-Auth-Client` that is not that app's client id (BigCommerce's 401)",
    (problem: 'missing' | 'unknown' | 'client') => [
      problem === 'missing'
        ? 'The X-Auth-Token header is missing: send the access token the app was given (the access_token of an app in the fixtures).'
        : problem === 'unknown'
          ? 'The X-Auth-Token is not the access token of any app of this store (the token is not shown; see access_token in the fixtures).'
          : 'The X-Auth-Client header is not the client id of the app whose X-Auth-Token this is (the token is not shown).',
      'X-Auth-Token',
    ],
  ),
  apiUnknownStore: define(
    'BCMOCK_API_UNKNOWN_STORE',
    404,
    "a Management API request whose `{store_hash}` is not this store's",
    (given: string, storeHash: string) => [
      `No store ${JSON.stringify(shortened(given, 64))} here: this mock serves store ${JSON.stringify(storeHash)} (its store_hash), at /stores/${storeHash}/...`,
      'store_hash',
    ],
  ),
  apiNotFound: define(
    'BCMOCK_API_NOT_FOUND',
    404,
    'a Management API request names a customer, group or order the store does not have, or a path the mock does not serve',
    (message: string, field: string = 'path') => [message, field],
  ),
  apiInvalid: define(
    'BCMOCK_API_INVALID',
    422,
    "a V3 Management API request breaks a rule: a body field or query parameter is missing or invalid, an email is taken, an id unknown (BigCommerce's 422)",
    (field: string, message: string) => [message, field],
  ),
  apiBadParameter: define(
    'BCMOCK_API_BAD_PARAMETER',
    400,
    'a V2 Management API request has a query parameter that is invalid or that the mock does not serve',
    (field: string, message: string) => [message, field],
  ),
  apiBatchTooLarge: define(
    'BCMOCK_API_BATCH_TOO_LARGE',
    413,
    'a Management API write lists more items than BigCommerce takes in one call (10 customers)',
    (max: number, got: number) => [`The request lists ${got} items; BigCommerce takes at most ${max} in one call.`, 'body'],
  ),
  apiNotAcceptable: define(
    'BCMOCK_API_NOT_ACCEPTABLE',
    406,
    'a Management API request whose `Accept` header excludes JSON (the mock answers JSON only)',
    () => ['This mock answers the Management API in JSON only: send Accept: application/json (or leave it out).', 'Accept'],
  ),
  internal: define('BCMOCK_INTERNAL', 500, 'a fault in the mock itself (logged at error level)', () => [
    'The mock hit an unexpected error; see its log.',
  ]),
}

/** The name of one entry of {@link ERRORS}. */
export type ErrorName = keyof typeof ERRORS
