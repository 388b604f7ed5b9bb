// Generated bad input against the storefront endpoints, through app.inject (and, for the HTTP
// parser, over a real socket). Properties: never a 5xx, never a crash, and never a session or a
// token for a credential that is not valid. Seed and runs: test/helpers/property.ts.
import fc from 'fast-check'
import t from 'tap'
import { buildApp, startMockStorefront } from '../../server/index.js'
import {
  checkProperty,
  expect,
  flipChar,
  forgedId,
  headerText,
  percentEncodeAt,
  PropertyTally,
  injectable,
  setsSession,
} from '../helpers/property.js'
import { rawExchange } from '../helpers/raw-http.js'
import { CHECKOUT_SDK_ACCEPT, setCookieLines, signIn } from '../helpers/session.js'
import { DEMO } from '../helpers/storefront.js'
import { decodeToken, verifyWithJose, type AppUnderTest } from '../helpers/tokens.js'

const NOW = 1_700_000_000
const APPS: AppUnderTest[] = [
  { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' },
  { clientId: DEMO.hs256App.clientId, secret: DEMO.hs256App.secret, algorithm: 'HS256' },
]
const tally = new PropertyTally()

/** Whose session a cookie value still names after a mutation: 'john', 'jane' or nobody. */
type Owner = 'john' | 'jane' | undefined

/** A cookie value as a browser (or an attacker) might send it, and whose credential it still is. */
interface Mutated {
  value: string | undefined
  /** The model: the cookie parser trims and percent-decodes values, nothing more, so only those alterations keep the owner. */
  owner: Owner
  kind: string
}

/** Ways to alter one real cookie value of `owner`'s session. */
function mutation(real: string, owner: 'john' | 'jane'): fc.Arbitrary<Mutated> {
  const keeps = (value: string, kind: string): Mutated => ({ value, owner, kind: `${owner}'s ${kind}` })
  const breaks = (value: string | undefined, kind: string): Mutated => ({
    value,
    owner: value === real ? owner : undefined,
    kind: `${owner}'s ${kind}`,
  })
  return fc.oneof(
    fc.constant(keeps(real, 'exact')),
    fc.array(fc.nat(), { minLength: 1, maxLength: 6 }).map((at) => keeps(percentEncodeAt(real, at), 'percent-encoded')),
    fc.constantFrom(' ', '  ', '\t').map((pad) => keeps(`${pad}${real}${pad}`, 'padded')),
    fc.nat().map((at) => breaks(flipChar(real, at), 'one character changed')),
    fc.integer({ min: 0, max: real.length - 1 }).map((length) => breaks(real.slice(0, length), 'truncated')),
    fc.constantFrom('A', '_', '=', '==', '%3D').map((tail) => breaks(real + tail, 'extended')),
    fc.constant(breaks(real.toUpperCase(), 'upper case')),
    fc.constant(breaks(`"${real}"`, 'quoted')),
    fc.constant(breaks(Buffer.from(real, 'base64url').toString('base64'), 'standard base64')),
    forgedId.map((value) => breaks(value, 'replaced by a forged 43-char base64url')),
    fc.constant(breaks('', 'emptied')),
    fc.constant(breaks(undefined, 'left out')),
  )
}

const otherCookieName = fc.constantFrom(
  'SHOP_SESSION_TOKEN',
  'SHOP_TOKEN',
  'BCMOCK_LOGIN_FLASH',
  'session',
  'lastVisitedCategory',
  '__proto__',
  'constructor',
  'XSRF-TOKEN',
)
const cookieValueText = fc.oneof(
  forgedId,
  headerText(40).map((text) => text.replace(/[;,]/g, '')),
  fc.constant('%ZZ'),
  fc.constant('invalid_login'),
)

/** A whole Cookie header built from mutated session values, with stray cookies around them. */
interface CookieCase {
  header: string | undefined
  /** Whose session the header signs in, by the model; undefined: a guest. */
  owner: Owner
  description: string
}

interface RealSession {
  sessionId: string
  shopToken: string
}

function cookieCase(john: RealSession, jane: RealSession): fc.Arbitrary<CookieCase> {
  const value = (pick: 'sessionId' | 'shopToken') =>
    fc.oneof({ weight: 4, arbitrary: mutation(john[pick], 'john') }, { weight: 1, arbitrary: mutation(jane[pick], 'jane') })
  const built = fc
    .record({
      id: value('sessionId'),
      token: value('shopToken'),
      tokenFirst: fc.boolean(),
      separator: fc.constantFrom('; ', ';', ' ; '),
      before: fc.array(fc.tuple(otherCookieName, cookieValueText), { maxLength: 2 }),
      after: fc.array(fc.tuple(otherCookieName, cookieValueText), { maxLength: 2 }),
    })
    .map(({ id, token, tokenFirst, separator, before, after }): CookieCase => {
      const own: [string, string][] = []
      if (id.value !== undefined) own.push(['SHOP_SESSION_TOKEN', id.value])
      if (token.value !== undefined) own.push(['SHOP_TOKEN', token.value])
      if (tokenFirst) own.reverse()
      const pairs = [...before, ...own, ...after]
      // The first occurrence of a name wins (the cookie parser's rule), so a stray session
      // cookie placed before the real one replaces it.
      const shadowed = before.some(([name]) => name === 'SHOP_SESSION_TOKEN' || name === 'SHOP_TOKEN')
      const owner = !shadowed && id.owner !== undefined && id.owner === token.owner ? id.owner : undefined
      return {
        header: pairs.length === 0 ? undefined : pairs.map(([name, text]) => `${name}=${text}`).join(separator),
        owner,
        description: `id: ${id.kind}, token: ${token.kind}${before.length ? `, ${before.length} cookie(s) before` : ''}`,
      }
    })
  const junk = headerText(120).map((header): CookieCase => ({ header, owner: undefined, description: 'random header text' }))
  return fc.oneof({ weight: 6, arbitrary: built }, { weight: 1, arbitrary: junk })
}

/** The query of a token request, and what it means. */
interface QueryCase {
  query: string
  /** The registered app it names, if it names exactly one registered app. */
  app: AppUnderTest | undefined
  /** False when the query is random text whose meaning the test does not predict. */
  predictable: boolean
}

const queryCase: fc.Arbitrary<QueryCase> = fc.oneof(
  fc
    .record({
      app: fc.constantFrom(...APPS),
      extra: fc.webQueryParameters(),
      encode: fc.array(fc.nat(), { maxLength: 3 }),
      first: fc.boolean(),
    })
    .map(({ app, extra, encode, first }): QueryCase => {
      const own = `app_client_id=${percentEncodeAt(app.clientId, encode)}`
      // fc's query text may itself name app_client_id; then the request is not predictable.
      const mentions = new URLSearchParams(extra).has('app_client_id')
      return { query: extra === '' ? own : first ? `${own}&${extra}` : `${extra}&${own}`, app, predictable: !mentions }
    }),
  fc.constantFrom<QueryCase>(
    { query: '', app: undefined, predictable: true },
    { query: 'app_client_id=', app: undefined, predictable: true },
    { query: `app_client_id=${APPS[0]!.clientId}&app_client_id=${APPS[1]!.clientId}`, app: undefined, predictable: true },
    { query: `app_client_id[]=${APPS[0]!.clientId}`, app: undefined, predictable: true },
    { query: `APP_CLIENT_ID=${APPS[0]!.clientId}`, app: undefined, predictable: true },
  ),
  fc.string({ maxLength: 60 }).map((id): QueryCase => ({
    query: `app_client_id=${encodeURIComponent(id)}`,
    app: APPS.find((app) => app.clientId === id),
    predictable: true,
  })),
  fc.webQueryParameters().map((query): QueryCase => ({ query, app: undefined, predictable: false })),
  headerText(80).map((text): QueryCase => ({ query: text.replace(/[#\s]/g, ''), app: undefined, predictable: false })),
)

const acceptHeader = fc.option(
  fc.oneof(
    fc.constantFrom(
      CHECKOUT_SDK_ACCEPT,
      '*/*',
      'application/json',
      'text/plain',
      'application/json;q=0',
      'text/*;q=0.5, application/json;q=0.9',
      'application/json;q=abc',
    ),
    headerText(60),
  ),
  { nil: undefined },
)

t.test(`property: current.jwt never answers a token for a cookie that is not the session's`, async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const john = await signIn(app, DEMO.john.email, DEMO.john.password)
  const jane = await signIn(app, DEMO.jane.email, DEMO.jane.password)

  const arbitrary = fc.record({ cookie: cookieCase(john, jane), query: queryCase, accept: acceptHeader })
  await checkProperty(
    t,
    tally,
    'current.jwt: random query, Accept and forged or re-encoded cookies',
    arbitrary,
    async ({ cookie, query, accept }) => {
      const headers: Record<string, string> = {}
      if (cookie.header !== undefined) headers.cookie = cookie.header
      if (accept !== undefined) headers.accept = accept
      const response = await app.inject({ method: 'GET', url: `/customer/current.jwt${query.query ? `?${query.query}` : ''}`, headers })
      const status = response.statusCode
      expect(status < 500, `5xx for ${cookie.description}`, { status, body: response.body })
      expect(response.headers['cache-control'] === 'no-store', 'every answer is no-store', response.headers)
      expect(!setsSession(response), 'the token endpoint never starts a session', setCookieLines(response))
      if (status === 200) {
        expect(cookie.owner !== undefined, `a token for a cookie that is not a session's (${cookie.description})`, cookie.header)
        const json = String(response.headers['content-type']).startsWith('application/json')
        const token = json ? response.json<{ token: string }>().token : response.body
        const issuer = APPS.find((candidate) => candidate.clientId === decodeToken(token).claims.aud)
        expect(issuer !== undefined, 'the token names a registered app', decodeToken(token).claims)
        const claims = await verifyWithJose(token, issuer, NOW)
        const expected = cookie.owner === 'john' ? DEMO.john.id : DEMO.jane.id
        expect((claims.customer as { id: number }).id === expected, "a token for someone else than the session's customer", {
          claims,
          cookie,
        })
      } else {
        expect(/"errors"/.test(response.body), 'a non-200 answer carries errors', response.body)
      }
      if (query.predictable) {
        const expected = query.app === undefined ? 400 : cookie.owner !== undefined ? 200 : 404
        expect(status === expected, `expected ${expected} for ${cookie.description} and query ${JSON.stringify(query.query)}`, {
          status,
          body: response.body.slice(0, 200),
        })
      }
    },
  )

  t.equal(app.mock.stats().sessions, 2, 'no request added or ended a session')
  t.equal(
    (await app.inject({ url: `/customer/current.jwt?app_client_id=${APPS[0]!.clientId}`, headers: { cookie: john.cookie } })).statusCode,
    200,
    'the real session still works',
  )
})

/** A form field list: entries in order; the mock reads the last value of a repeated field. */
type Entries = [string, string][]

interface LoginCase {
  entries: Entries
  encoding: 'form' | 'json' | 'raw'
  raw: { contentType: string | undefined; body: string }
  action: string | undefined
  /** Which session's cookies the browser sends, and how. */
  previous: 'none' | 'victim pair' | 'victim id only' | 'victim id, wrong token' | 'forged'
}

t.test('property: the sign-in form starts a session only for right credentials, and ends no other', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const customers = [...app.mock.allCustomers()].map((customer) => ({ email: customer.email, password: customer.password }))
  const passwordOf = (email: string) => app.mock.lookupCustomer(email.trim())?.password

  const anyCustomer = fc.constantFrom(...customers.slice(0, 6))
  const emailVariant = fc.oneof(
    anyCustomer.map((customer) => customer.email),
    fc.tuple(anyCustomer, fc.constantFrom(' ', '\t', '\n', '  ')).map(([customer, pad]) => `${pad}${customer.email}${pad}`),
    fc.mixedCase(anyCustomer.map((customer) => customer.email)),
    fc.emailAddress(),
    fc.string({ maxLength: 40 }),
    fc.constant(''),
  )
  const passwordVariant = fc.oneof(
    anyCustomer.map((customer) => customer.password),
    fc.constantFrom('letmein', 'storefront', 'LETMEIN', 'letmein ', ' letmein', 'letmei', 'letmein\n', 'storefront\u0000', ''),
    fc.string({ maxLength: 40 }),
  )
  const field = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constant('login_email'), emailVariant) },
    { weight: 3, arbitrary: fc.tuple(fc.constant('login_pass'), passwordVariant) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('email', 'password', 'login_email[]', '__proto__', 'redirect_to', 'authenticity_token'),
        fc.string({ maxLength: 20 }),
      ),
    },
  )
  const arbitrary = fc.record<LoginCase>({
    entries: fc.oneof(
      fc
        .tuple(fc.tuple(fc.constant('login_email'), emailVariant), fc.tuple(fc.constant('login_pass'), passwordVariant))
        .map((pair): Entries => pair),
      fc.array(field, { maxLength: 5 }),
    ),
    encoding: fc.constantFrom('form', 'form', 'form', 'json', 'raw'),
    raw: fc.record({
      contentType: fc.option(
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded; charset=latin1',
        ),
        { nil: undefined },
      ),
      body: fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 })),
    }),
    action: fc.oneof(
      { weight: 8, arbitrary: fc.constant('check_login') },
      { weight: 1, arbitrary: fc.option(fc.constantFrom('CHECK_LOGIN', 'logout', 'check_login ', ''), { nil: undefined }) },
    ),
    previous: fc.constantFrom('none', 'none', 'victim pair', 'victim id only', 'victim id, wrong token', 'forged'),
  })

  // Someone else's session, which only a sign-in from their own browser (both cookies) may end.
  let victim = await signIn(app, DEMO.jane.email, DEMO.jane.password)
  const forged = fc.sample(forgedId, { numRuns: 2, seed: 1 })

  await checkProperty(t, tally, 'login form: random and mutated credentials', arbitrary, async (input) => {
    const before = new Set(app.mock.heldSessions().map((session) => session.id))
    const fields = Object.fromEntries(input.entries)
    let payload: string
    let contentType: string | undefined
    if (input.encoding === 'form') {
      payload = new URLSearchParams(input.entries).toString()
      contentType = 'application/x-www-form-urlencoded'
    } else if (input.encoding === 'json') {
      payload = JSON.stringify(fields)
      contentType = 'application/json'
    } else {
      payload = input.raw.body
      contentType = input.raw.contentType
    }
    const cookie = {
      none: undefined,
      'victim pair': victim.cookie,
      'victim id only': `SHOP_SESSION_TOKEN=${victim.sessionId}`,
      'victim id, wrong token': `SHOP_SESSION_TOKEN=${victim.sessionId}; SHOP_TOKEN=${forged[0]}`,
      forged: `SHOP_SESSION_TOKEN=${forged[0]}; SHOP_TOKEN=${forged[1]}`,
    }[input.previous]
    const headers: Record<string, string> = {}
    if (contentType !== undefined) headers['content-type'] = contentType
    if (cookie !== undefined) headers.cookie = cookie
    const url = `/login.php${input.action === undefined ? '' : `?action=${encodeURIComponent(input.action)}`}`
    const response = await app.inject({ method: 'POST', url, headers, payload })

    // The model: form and JSON bodies are read as fields (the last of a repeated one wins);
    // the email is trimmed and compared without case, the password exactly.
    const email = typeof fields.login_email === 'string' ? fields.login_email : ''
    const password = typeof fields.login_pass === 'string' ? fields.login_pass : ''
    // Fastify refuses a JSON body with a "__proto__" key outright (prototype-poisoning guard): 400.
    const poisoned = input.encoding === 'json' && Object.hasOwn(fields, '__proto__')
    const rightCredentials =
      input.encoding !== 'raw' && !poisoned && email.trim() !== '' && password !== '' && passwordOf(email) === password
    const valid = rightCredentials && input.action === 'check_login'

    const status = response.statusCode
    expect(status < 500, 'no 5xx', { status, body: response.body.slice(0, 300) })
    const after = new Set(app.mock.heldSessions().map((session) => session.id))
    const added = [...after].filter((id) => !before.has(id))
    const ended = [...before].filter((id) => !after.has(id))
    if (valid) {
      expect(status === 302 && response.headers.location === '/account.php', 'right credentials: 302 to /account.php', { status, fields })
      expect(
        setsSession(response) && added.length === 1,
        'right credentials: exactly one new session, in the cookie',
        setCookieLines(response),
      )
      const expectedEnded = input.previous === 'victim pair' ? [victim.sessionId] : []
      expect(
        JSON.stringify(ended) === JSON.stringify(expectedEnded),
        `a sign-in ends only the session whose both cookies it carried (${input.previous})`,
        { ended: ended.length, expected: expectedEnded.length },
      )
      const session = app.mock.liveSessions().find((live) => live.id === added[0])
      expect(
        session?.customerId === app.mock.lookupCustomer(email.trim())?.id,
        'the session belongs to the customer whose credentials were given',
      )
    } else {
      expect(!setsSession(response), 'no session cookie without right credentials', { status, fields, encoding: input.encoding })
      expect(added.length === 0 && ended.length === 0, `sessions unchanged by a refused sign-in (${input.previous})`, {
        added: added.length,
        ended: ended.length,
        status,
      })
      expect([400, 401, 415].includes(status), 'a refused sign-in is 400, 401 or 415', { status, body: response.body.slice(0, 200) })
    }
    if (ended.includes(victim.sessionId)) victim = await signIn(app, DEMO.jane.email, DEMO.jane.password)
  })
})

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const
const KNOWN_PATHS = [
  '/',
  '/login.php',
  '/account.php',
  '/customer/current.jwt',
  '/login/token/',
  '/__mock/health',
  '/__mock/sessions',
  '/__mock/customers/4927',
  '/__mock/apps',
  '/__mock/current-customer.js',
  '/__mock/nope',
]
const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,20}$/)
  .filter((name) => !['content-length', 'transfer-encoding', 'host', 'content-type', 'cookie'].includes(name))

t.test('property: any method, path, headers, cookies and body: never a 5xx, never a session', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const john = await signIn(app, DEMO.john.email, DEMO.john.password)
  const jane = await signIn(app, DEMO.jane.email, DEMO.jane.password)

  const path = fc.oneof(
    fc.constantFrom(...KNOWN_PATHS),
    fc.constantFrom(...KNOWN_PATHS).chain((known) => fc.webQueryParameters().map((query) => `${known}?${query}`)),
    fc.webPath().map((webPath) => (webPath.startsWith('/') ? webPath : `/${webPath}`)),
    fc.string({ maxLength: 80 }).map((text) => `/login/token/${encodeURIComponent(text)}`),
    headerText(60).map((text) => `/${text.replace(/[#\s?]/g, '')}`),
  )
  const arbitrary = fc.record({
    method: fc.constantFrom(...METHODS),
    path: path.filter(injectable),
    headers: fc.dictionary(headerName, headerText(60), { maxKeys: 5 }),
    host: fc.option(fc.constantFrom('localhost', '127.0.0.1:3100', 'evil.example', '[::1]', '', 'localhost:99999', '127.0.0.1.nip.io'), {
      nil: undefined,
    }),
    contentType: fc.option(
      fc.constantFrom(
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
        'application/octet-stream',
        'application/json; charset=utf-16',
      ),
      { nil: undefined },
    ),
    // Never the real pair: a logout URL with it would rightly end a session.
    cookie: cookieCase(john, jane).filter((cookie) => cookie.owner === undefined),
    body: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null'),
    ),
  })

  await checkProperty(t, tally, 'any method, path, headers and cookies', arbitrary, async (input) => {
    const before = new Set(app.mock.heldSessions().map((session) => session.id))
    const headers: Record<string, string> = { ...input.headers }
    if (input.host !== undefined) headers.host = input.host
    if (input.contentType !== undefined) headers['content-type'] = input.contentType
    if (input.cookie.header !== undefined) headers.cookie = input.cookie.header
    const hasBody = input.method === 'POST' || input.method === 'PUT' || input.method === 'PATCH'
    const response = await app.inject({ method: input.method, url: input.path, headers, ...(hasBody && { payload: input.body }) })
    const status = response.statusCode
    expect(status < 500, `5xx for ${input.method} ${input.path}`, { status, body: response.body.slice(0, 300) })
    const control = input.path.startsWith('/__mock/') && status >= 200 && status < 300 && input.method !== 'GET'
    if (!control) {
      expect(!setsSession(response), 'no session cookie without a credential', { status, setCookie: setCookieLines(response) })
      const after = app.mock.heldSessions().map((session) => session.id)
      expect(after.length === before.size && after.every((id) => before.has(id)), 'sessions unchanged', { status })
    } else {
      // A control call that changed the store (sign-ins, deletions, reset): start the next case clean.
      app.mock.reset()
    }
  })
})

/** One raw HTTP/1.1 request with generated request line and headers; always complete and `Connection: close`. */
const rawRequest = fc
  .record({
    method: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'DELETE') },
      { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'BREW', 'get', 'CONNECT', 'TRACE') },
      { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,8}$/) },
      { weight: 1, arbitrary: headerText(8) },
    ),
    target: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(...KNOWN_PATHS).chain((known) => fc.webQueryParameters().map((query) => `${known}?${query}`)),
      },
      { weight: 2, arbitrary: fc.webPath() },
      { weight: 1, arbitrary: headerText(80) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '*',
          'http://127.0.0.1/login.php',
          '/\\evil.example',
          '//evil.example/',
          '/%00',
          '/login/token/%E0%A4%A',
          '/..%2f..%2fetc/passwd',
        ),
      },
    ),
    version: fc.oneof(
      { weight: 6, arbitrary: fc.constant('HTTP/1.1') },
      { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.9', 'HTTP/1', 'http/1.1', '') },
    ),
    headers: fc.array(
      fc.oneof(
        {
          weight: 12,
          arbitrary: fc.tuple(
            headerName,
            fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 }),
          ),
        },
        { weight: 1, arbitrary: fc.tuple(fc.oneof(headerName, headerText(12)), headerText(60)) },
      ),
      { maxLength: 6 },
    ),
    eol: fc.oneof({ weight: 8, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constant('\n') }),
  })
  .map(({ method, target, version, headers, eol }) => {
    // No CR or LF inside the generated parts, and no framing headers: every request ends where it
    // says, so the server always has all it needs to answer, and a missing answer is a fault.
    const clean = (text: string) => text.replace(/[\r\n]/g, '')
    const lines = headers
      .filter(([name]) => !/^(content-length|transfer-encoding|connection|expect|upgrade)$/i.test(clean(name).trim()))
      .map(([name, value]) => `${clean(name)}: ${clean(value)}`)
    return [`${clean(method)} ${clean(target)} ${version}`.trimEnd(), 'Host: 127.0.0.1', ...lines, 'Connection: close', '', ''].join(eol)
  })

t.test('property: raw HTTP requests over a real socket: an answer, never a 5xx, the server stays up', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  const statuses = new Map<string, number>()
  await checkProperty(t, tally, 'raw HTTP requests over a real socket', rawRequest, async (request) => {
    const { text: answer, timedOut, status } = await rawExchange(storefront.port, request, { timeoutMs: 3000 })
    expect(!timedOut, 'the server answers a complete request within 3 s', request)
    // Node closes the socket without an answer only for a request it cannot frame at all (e.g. a
    // lone HTTP/0.9-style line); anything else gets a status line.
    const key = status === undefined ? 'closed without an answer' : String(status)
    statuses.set(key, (statuses.get(key) ?? 0) + 1)
    expect(status === undefined || status < 500, '5xx over the wire', { request, answer: answer.slice(0, 300) })
    expect(!/^set-cookie: SHOP_SESSION_TOKEN=[^;\r\n]+/im.test(answer), 'no session from a raw request', answer.slice(0, 300))
  })
  t.comment(`raw request outcomes: ${[...statuses].map(([status, count]) => `${status}: ${count}`).join(', ')}`)
  const health = await fetch(`${storefront.url}/__mock/health`)
  t.equal(health.status, 200, 'still serving after every generated request')
})

t.test('summary', async (t) => {
  t.comment(tally.summary('test/property/storefront.test.ts'))
  t.pass()
})
