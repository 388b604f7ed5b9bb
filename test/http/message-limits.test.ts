// Refusals that echo a request value or list what is registered stay small, however many and
// however long the registered client ids and --cors-origin origins are: the answer's body, the
// warn line and the request log's hint each have a bound. Client ids themselves have a length
// cap (fixture files and objects, the control API and its document, the handle).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse as parseYaml } from 'yaml'
import { CONTROL_SPEC_PATH } from '../../server/control/spec.js'
import { MAX_HINT_LENGTH } from '../../server/domain/request-log.js'
import { ERRORS, type FixtureError, MAX_CLIENT_ID_LENGTH, MAX_LISTED, MAX_ORIGIN_LENGTH, type MockError } from '../../server/errors.js'
import { buildApp, startMockStorefront } from '../../server/index.js'
import { LEVEL, LogCapture } from '../helpers/log-capture.js'
import { rawExchange } from '../helpers/raw-http.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000
const APPS = 150
// Bounds the test holds the mock to: a refusal's message names at most MAX_LISTED ids of at most
// MAX_CLIENT_ID_LENGTH characters and an echoed value cut as long, so a few KiB at most.
const MAX_BODY_BYTES = 4096
const MAX_LOG_LINE_BYTES = 4096
// Origins are longer (up to MAX_ORIGIN_LENGTH), and an error body holds its message twice (title and errors).
const MAX_CORS_BODY_BYTES = 8192

const longId = (n: number, length = MAX_CLIENT_ID_LENGTH) => `app-${n}-`.padEnd(length, 'x')
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')

t.test('client ids are at most 128 characters: fixtures, control API (and its document), handle', async (t) => {
  t.equal(MAX_CLIENT_ID_LENGTH, 128)
  const tooLong = longId(1, MAX_CLIENT_ID_LENGTH + 1)
  const fixtures = {
    store_hash: 'abc123',
    apps: [
      { client_id: longId(0), client_secret: 's' },
      { client_id: 'x'.repeat(12_000), client_secret: 's' },
    ],
    customers: [],
  }
  const error = t.throws(() => buildApp({ fixtures })) as FixtureError
  t.equal(error.code, ERRORS.fixtureInvalid.code)
  t.same(
    error.problems,
    [
      {
        file: '<fixtures object>',
        path: 'apps[1].client_id',
        message: 'expected printable characters without spaces, at most 128 characters, got 12000 characters',
      },
    ],
    'the fixture problem names file and path, and does not echo the id',
  )
  t.ok(error.message.length < 200, 'the message stays short')

  const document = parseYaml(readFileSync(CONTROL_SPEC_PATH, 'utf8')) as {
    components: { schemas: Record<string, { maxLength?: number }>; parameters: Record<string, { schema: { maxLength?: number } }> }
  }
  t.equal(document.components.schemas.ClientIdValue?.maxLength, MAX_CLIENT_ID_LENGTH, 'the document says it for bodies')
  t.equal(document.components.parameters.ClientId?.schema.maxLength, MAX_CLIENT_ID_LENGTH, 'and for the path parameter')

  const app = buildApp()
  t.teardown(() => app.close())
  const accepted = await app.inject({ method: 'POST', url: '/__mock/apps', payload: { client_id: longId(2), client_secret: 's' } })
  t.equal(accepted.statusCode, 201, 'exactly 128 characters is fine')
  for (const [what, clientId] of [
    ['129 characters', tooLong],
    ['12,000 characters', 'x'.repeat(12_000)],
  ] as const) {
    const refused = await app.inject({ method: 'POST', url: '/__mock/apps', payload: { client_id: clientId, client_secret: 's' } })
    t.equal(refused.statusCode, 400, `POST /__mock/apps with ${what}`)
    t.match(refused.json(), {
      code: ERRORS.invalidRequest.code,
      errors: { client_id: "body field 'client_id' must be 1 to 128 printable characters without spaces (a client id)" },
    })
    t.ok(refused.body.length < 400, 'the refusal does not echo the id')
  }
  t.equal((await app.inject({ url: `/__mock/apps/${tooLong}` })).statusCode, 400, 'a path client id over the cap is a 400 too')
  t.equal(
    (await app.inject({ method: 'POST', url: '/__mock/tokens', payload: { client_id: tooLong, customer_id: DEMO.john.id } })).statusCode,
    400,
    'as is any body field holding a client id',
  )

  // The handle's store goes through the same rule.
  t.throws(() => app.mock.addApp({ client_id: tooLong, client_secret: 's' }), {
    code: ERRORS.invalidRequest.code,
    field: 'client_id',
    message: /at most 128 characters, got 129 characters/,
  })
  const unknown = t.throws(() => app.mock.mintToken('y'.repeat(5000), DEMO.john.id)) as MockError
  t.equal(unknown.code, ERRORS.unknownApp.code)
  t.ok(unknown.message.length < 1000, `an unknown id is echoed shortened (${unknown.message.length} characters)`)
  t.match(unknown.message, /"y{128}"\.\.\. \(5000 characters\)/)
})

t.test('150 apps of 128 characters: an unknown app_client_id or iss gets a bounded body, warn line and hint', async (t) => {
  const log = new LogCapture()
  const storefront = await startMockStorefront({ now: NOW, logLevel: 'info', logStream: log })
  t.teardown(() => storefront.close())
  for (let n = 0; n < APPS; n++) {
    const response = await fetch(`${storefront.url}/__mock/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: longId(n), client_secret: `secret-${n}` }),
    })
    if (response.status !== 201) t.fail(`registering app ${n}: ${response.status} ${await response.text()}`)
  }
  const registered = (await (await fetch(`${storefront.url}/__mock/apps`)).json()) as { apps: unknown[] }
  t.equal(registered.apps.length, APPS + 2)

  // Any page can send this: the longest query a URL holds.
  const unknownId = 'u'.repeat(8000)
  const response = await fetch(`${storefront.url}/customer/current.jwt?app_client_id=${unknownId}`)
  const body = await response.text()
  t.equal(response.status, 400)
  t.ok(body.length <= MAX_BODY_BYTES, `the body is ${body.length} bytes (at most ${MAX_BODY_BYTES})`)
  const message = (JSON.parse(body) as { errors: { app_client_id: string } }).errors.app_client_id
  t.match(
    message,
    new RegExp(`^app_client_id "u{${MAX_CLIENT_ID_LENGTH}}"\\.\\.\\. \\(8000 characters\\) is not a registered app \\(registered: `),
    'the unknown id is echoed shortened',
  )
  t.match(message, `, and ${APPS + 2 - MAX_LISTED} more; GET /__mock/apps lists them all).`, 'the list says how many it leaves out')
  t.equal(message.split(', ').length, MAX_LISTED + 1, `it names the first ${MAX_LISTED}`)

  const warned = await log.waitFor('current customer token refused', 1)
  const warnLine = JSON.stringify(warned)
  t.equal(warned.level, LEVEL.warn)
  t.ok(warnLine.length <= MAX_LOG_LINE_BYTES, `the warn line is ${warnLine.length} bytes (at most ${MAX_LOG_LINE_BYTES})`)

  // A Customer Login token naming no registered app, with a long iss.
  const token = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: 'i'.repeat(5000), iat: NOW, jti: 'j', operation: 'customer_login', store_hash: 'abc123', customer_id: DEMO.john.id })}.c2ln`
  t.equal((await fetch(`${storefront.url}/login/token/${token}`, { redirect: 'manual' })).status, 302)
  const refusedLogin = await log.waitFor('customer login refused', 1)
  t.ok(
    JSON.stringify(refusedLogin).length <= MAX_LOG_LINE_BYTES,
    `the Customer Login refusal line is ${JSON.stringify(refusedLogin).length} bytes`,
  )
  t.match(refusedLogin.msg, `and ${APPS + 2 - MAX_LISTED} more`)

  const entries = storefront.requests()
  const hints = entries.slice(-2).map((entry) => entry.hint ?? '')
  t.same(
    entries.slice(-2).map((entry) => entry.outcome),
    [ERRORS.unknownAppParameter.code, 'iss'],
  )
  for (const hint of hints) t.ok(hint.length <= MAX_HINT_LENGTH, `a hint is ${hint.length} characters (at most ${MAX_HINT_LENGTH})`)
  t.ok(
    hints.every((hint) => hint.length > 0 && hint.length < MAX_BODY_BYTES),
    'and each still says why',
  )
})

t.test('many long --cors-origin origins: the preflight refusal and the cors_not_listed warning list the first ten', async (t) => {
  const origins = Array.from(
    { length: 40 },
    (_, n) => `http://o${n}.${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.example:${3000 + n}`,
  )
  const log = new LogCapture()
  const storefront = await startMockStorefront({ corsOrigins: origins, logLevel: 'info', logStream: log })
  t.teardown(() => storefront.close())
  const page = `http://${'p'.repeat(60)}.${'q'.repeat(60)}.${'r'.repeat(60)}.${'s'.repeat(60)}.example`
  const preflight = await fetch(`${storefront.url}/customer/current.jwt`, {
    method: 'OPTIONS',
    headers: { origin: page, 'access-control-request-method': 'GET' },
  })
  const body = await preflight.text()
  t.equal(preflight.status, 403)
  t.ok(body.length <= MAX_CORS_BODY_BYTES, `the preflight refusal is ${body.length} bytes (at most ${MAX_CORS_BODY_BYTES})`)
  t.match(body, `, and ${origins.length - MAX_LISTED} more)`)
  // The page is another site too (cross_site), so two warnings; the CORS one lists the origins.
  await log.waitFor('cookies: a page on', 2)
  const warned = log.find('cookies: a page on').find((line) => line.cause === 'cors_not_listed')
  t.ok(
    warned && JSON.stringify(warned).length <= MAX_LOG_LINE_BYTES,
    `the cors_not_listed warning is ${JSON.stringify(warned).length} bytes (at most ${MAX_LOG_LINE_BYTES})`,
  )
  t.match(warned?.msg, `, and ${origins.length - MAX_LISTED} more)`)
})

t.test('--cors-origin takes origins of at most 300 characters', async (t) => {
  t.equal(MAX_ORIGIN_LENGTH, 300)
  const long = `http://${'a'.repeat(MAX_ORIGIN_LENGTH)}.example`
  const error = t.throws(() => buildApp({ corsOrigins: [long] })) as MockError
  t.equal(error.code, ERRORS.invalidOption.code)
  t.equal(error.field, 'corsOrigins[0]')
  t.match(error.message, `at most ${MAX_ORIGIN_LENGTH} characters, got ${long.length} characters`)
  t.ok(error.message.length < 300, 'the value is not echoed')
})

t.test('the request log keeps at most 2,048 characters of a hint', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const entry = { method: 'GET', path: '/', status: 400, customerId: undefined, clientId: undefined, durationMs: 0, outcome: 'x' }
  app.mock.recordRequest({ ...entry, hint: 'h'.repeat(100_000) })
  app.mock.recordRequest({ ...entry, hint: 'short' })
  const [long, short] = app.mock.listRequests()
  t.equal(long?.hint?.length, MAX_HINT_LENGTH)
  t.match(long?.hint, /^h+\.\.\. \(100000 characters\)$/)
  t.equal(short?.hint, 'short')
})

t.test('a Host or Origin near the header limit: the cookie warnings and every request log field stay bounded', async (t) => {
  const log = new LogCapture()
  // The long host is allowed, so it reaches the cookie warnings instead of the Host rule's 403.
  const storefront = await startMockStorefront({ logLevel: 'info', logStream: log, allowedHosts: ['.example'] })
  t.teardown(() => storefront.close())
  // Cookies set on 127.0.0.1 first, so a request to another host without them is explained.
  storefront.app.mock.clearRequests()
  const signIn = await fetch(`${storefront.url}/login.php?action=check_login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `login_email=${encodeURIComponent(DEMO.john.email)}&login_pass=${DEMO.john.password}`,
  })
  t.equal(signIn.status, 302)
  const host = `h${'o'.repeat(14_000)}.example`
  const otherHost = await rawExchange(
    storefront.port,
    `GET /login.php?app_client_id=${'a'.repeat(500)}&${'q=1&'.repeat(300)} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
  )
  t.equal(otherHost.status, 200)
  const origin = `http://${'p'.repeat(14_000)}.example`
  const crossSite = await rawExchange(
    storefront.port,
    `GET /customer/current.jwt?app_client_id=${DEMO.hs512App.clientId} HTTP/1.1\r\nHost: 127.0.0.1:${storefront.port}\r\nOrigin: ${origin}\r\nConnection: close\r\n\r\n`,
  )
  t.equal(crossSite.status, 404)

  const warnings = await log.waitFor('cookies: ', 3).then(() => log.find('cookies: '))
  t.same(warnings.map((line) => line.cause).sort(), ['cors_not_listed', 'cross_site', 'other_host'])
  for (const line of warnings)
    t.ok(
      JSON.stringify(line).length <= MAX_LOG_LINE_BYTES,
      `the ${String(line.cause)} warning is ${JSON.stringify(line).length} bytes (at most ${MAX_LOG_LINE_BYTES})`,
    )
  const entries = storefront.requests()
  t.equal(entries.length, 3)
  for (const entry of entries) {
    t.ok(entry.path.length <= 1024 + 3, `path ${entry.path.length} characters`)
    t.ok((entry.clientId ?? '').length <= MAX_CLIENT_ID_LENGTH, `client id ${(entry.clientId ?? '').length} characters`)
    t.ok((entry.hint ?? '').length <= MAX_HINT_LENGTH, `hint ${(entry.hint ?? '').length} characters`)
  }
  t.match(
    entries[1]?.hint,
    /^other_host: a request came to host ho+\.\.\. \(14009 characters\) without session cookies/,
    'the host is named, cut short',
  )
})
