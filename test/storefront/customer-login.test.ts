import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import { jwtVerify } from 'jose'
import jwt from 'jsonwebtoken'
import t, { type Test } from 'tap'
import { UsedJtiStore } from '../../server/domain/used-jti-store.js'
import {
  buildApp,
  INVALID_LOGIN,
  LOGIN_FLASH_COOKIE,
  SESSION_COOKIE,
  SHOP_TOKEN_COOKIE,
  type CustomerLoginRule,
} from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { cookieHeaderOf, getToken, setCookieLines, signIn } from '../helpers/session.js'

// The mock's clock is frozen here in every test unless a test says otherwise.
const NOW = 1_700_000_000
// The SSO token is signed with an app's client secret whatever algorithm the app's current
// customer tokens use; the HS512 demo app proves the two are independent.
const APP = DEMO.hs512App

type Claims = Record<string, unknown>

/** Customer Login claims as an app backend sends them, with a fresh jti; `omit` drops claims. */
function claims(overrides: Claims = {}, omit: string[] = []): Claims {
  const payload: Claims = {
    iss: APP.clientId,
    iat: NOW,
    jti: randomUUID(),
    operation: 'customer_login',
    store_hash: DEMO.storeHash,
    customer_id: DEMO.john.id,
    ...overrides,
  }
  for (const name of omit) delete payload[name]
  return payload
}

/**
 * Sign as a real app backend does, with jsonwebtoken: HS256, header `{alg, typ: "JWT"}`.
 * jsonwebtoken keeps a given `iat`; `noTimestamp` stops it adding one (by the real clock) when
 * a test leaves `iat` out on purpose.
 */
function sign(payload: Claims, options: { secret?: jwt.Secret; sign?: jwt.SignOptions } = {}): string {
  return jwt.sign(payload, options.secret ?? APP.secret, { algorithm: 'HS256', noTimestamp: !('iat' in payload), ...options.sign })
}

/** A mock storefront whose warn-level log lines are collected. */
function harness(t: Test, options: { now?: number; logLevel?: 'warn' | 'info' } = {}) {
  const lines: string[] = []
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      )
      callback()
    },
  })
  const app = buildApp({ now: options.now ?? NOW, logLevel: options.logLevel ?? 'warn', logStream })
  t.teardown(() => app.close())
  const entries = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; rule?: CustomerLoginRule; claim?: string })
  return { app, lines, entries }
}

function visit(app: ReturnType<typeof buildApp>, token: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'GET', url: `/login/token/${token}`, headers })
}

const SESSION_COOKIES = [SESSION_COOKIE, SHOP_TOKEN_COOKIE]

t.test('a valid token signs the customer in: 302 to /account.php, the session works for /customer/current.jwt', async (t) => {
  const { app, entries } = harness(t)
  const response = await visit(app, sign(claims()))
  t.equal(response.statusCode, 302)
  t.equal(response.headers.location, '/account.php')
  t.equal(response.headers['cache-control'], 'no-store')
  t.same(response.cookies.map((cookie) => cookie.name).sort(), [...SESSION_COOKIES].sort(), 'both session cookies set')
  for (const cookie of response.cookies) t.equal(cookie.httpOnly, true, `${cookie.name} is HttpOnly`)

  const cookie = cookieHeaderOf(setCookieLines(response))
  const current = await getToken(app, DEMO.hs512App.clientId, { cookie })
  t.equal(current.statusCode, 200)
  const { payload } = await jwtVerify(current.body, new TextEncoder().encode(DEMO.hs512App.secret), {
    algorithms: ['HS512'],
    audience: DEMO.hs512App.clientId,
    currentDate: new Date(NOW * 1000),
  })
  t.same(payload.customer, { id: DEMO.john.id, email: DEMO.john.email, group_id: DEMO.john.groupId })

  const account = await app.inject({ url: '/account.php', headers: { cookie } })
  t.equal(account.statusCode, 200)
  t.match(account.body, DEMO.john.email)
  t.same(entries(), [], 'a successful login logs no warning')
})

t.test('redirect_to is kept, normalized only as a browser would', async (t) => {
  const { app } = harness(t)
  for (const [redirectTo, location] of [
    ['/cart.php?action=load&id=7#summary', '/cart.php?action=load&id=7#summary'],
    ['/shop-all/', '/shop-all/'],
    ['/login.php?action=logout', '/login.php?action=logout'],
    ['/a/../checkout', '/checkout'],
    ['/café', '/caf%C3%A9'],
    ['', '/account.php'],
  ] as const) {
    const response = await visit(app, sign(claims({ redirect_to: redirectTo })))
    t.equal(response.statusCode, 302, JSON.stringify(redirectTo))
    t.equal(response.headers.location, location, JSON.stringify(redirectTo))
  }
})

t.test('optional claims are accepted: channel_id, enable_persistent_cart, a matching request_ip, exp', async (t) => {
  const { app } = harness(t)
  const cases: Claims[] = [
    { channel_id: 1 },
    { enable_persistent_cart: true },
    { enable_persistent_cart: false },
    { request_ip: '127.0.0.1' },
    { request_ip: '::ffff:127.0.0.1' },
    // node-bigcommerce signs with expiresIn: '24h'.
    { exp: NOW + 86_400 },
  ]
  for (const extra of cases) {
    const response = await visit(app, sign(claims(extra)))
    t.equal(response.headers.location, '/account.php', JSON.stringify(extra))
    t.ok(
      response.cookies.some((cookie) => cookie.name === SESSION_COOKIE),
      `${JSON.stringify(extra)} signs in`,
    )
  }
  const ipv6 = await app.inject({ url: `/login/token/${sign(claims({ request_ip: '0:0:0:0:0:0:0:1' }))}`, remoteAddress: '::1' })
  t.equal(ipv6.headers.location, '/account.php', 'IPv6 addresses compare in canonical form')
})

t.test('a Customer Login replaces the session the browser had', async (t) => {
  const { app } = harness(t)
  const janeCookie = (await signIn(app, DEMO.jane.email, DEMO.jane.password)).cookie
  const response = await visit(app, sign(claims()), { cookie: janeCookie })
  t.equal(response.statusCode, 302)
  const old = await getToken(app, APP.clientId, { cookie: janeCookie })
  t.equal(old.statusCode, 404, "jane's session ended")
  const current = await getToken(app, APP.clientId, { cookie: cookieHeaderOf(setCookieLines(response)), accept: 'application/json' })
  t.equal(current.statusCode, 200)
})

t.test('redirect_to /login.php?action=logout signs the shopper out, as BigCommerce documents', async (t) => {
  const { app } = harness(t, { logLevel: 'info' })
  const janeCookie = (await signIn(app, DEMO.jane.email, DEMO.jane.password)).cookie
  const token = sign(claims({ redirect_to: '/login.php?action=logout' }))
  const response = await visit(app, token, { cookie: janeCookie })
  t.equal(response.statusCode, 302)
  t.equal(response.headers.location, '/login.php?action=logout', 'the browser goes where the token said')
  t.same(response.cookies.map((cookie) => cookie.name).sort(), [...SESSION_COOKIES].sort(), 'both session cookies are cleared')
  for (const cookie of response.cookies) t.equal(cookie.value, '', `${cookie.name} emptied`)
  for (const cookie of response.cookies)
    t.ok(cookie.expires !== undefined && cookie.expires.getTime() <= Date.now(), `${cookie.name} expired`)
  t.equal((await getToken(app, APP.clientId, { cookie: janeCookie })).statusCode, 404, "the browser's session ended")
  t.equal(app.mock.stats().liveSessions, 0, 'no session was started for the customer_id')

  // Following the redirect, as a browser does: the logout lands on the home page.
  const logout = await app.inject({ url: response.headers.location ?? '' })
  t.equal(logout.statusCode, 302)
  t.equal(logout.headers.location, '/')

  const entry = app.mock.listRequests().find((request) => request.path === '/login/token/[redacted]')
  t.equal(entry?.outcome, 'ok')
  t.equal(entry?.customerId, DEMO.john.id, "the entry names the token's customer")
  t.match(entry?.hint, /signed out/)
  t.equal((await visit(app, token)).headers.location, '/login.php', 'its jti is spent like any other')

  const guest = await visit(app, sign(claims({ redirect_to: '/login.php?action=logout' })))
  t.equal(guest.headers.location, '/login.php?action=logout', 'a browser with no session is signed out all the same')
  t.equal(app.mock.stats().sessions, 0)
})

t.test('only the logout itself signs out; other /login.php paths sign in', async (t) => {
  const { app } = harness(t)
  for (const [redirectTo, signsOut] of [
    ['/login.php?action=logout', true],
    ['/login.php?action=logout#bye', true],
    ['/login.php?action=logout&from=app', true],
    ['/login.php', false],
    ['/login.php?action=logoutx', false],
    ['/login.php?action=logout&action=logout', false],
    ['/account.php?action=logout', false],
  ] as const) {
    const before = app.mock.stats().liveSessions
    const response = await visit(app, sign(claims({ redirect_to: redirectTo })))
    t.equal(response.statusCode, 302, redirectTo)
    const setsSession = response.cookies.some((cookie) => cookie.name === SESSION_COOKIE && cookie.value !== '')
    t.equal(setsSession, !signsOut, `${redirectTo} ${signsOut ? 'signs out' : 'signs in'}`)
    t.equal(app.mock.stats().liveSessions, signsOut ? before : before + 1)
  }
})

t.test('impersonator_id (read by Catalyst) is accepted and shown in the request log', async (t) => {
  const { app, entries } = harness(t, { logLevel: 'info' })
  for (const [value, shown] of [
    [42, '42'],
    ['staff-7', 'staff-7'],
    ['x'.repeat(300), `${'x'.repeat(117)}...`],
  ] as const) {
    const response = await visit(app, sign(claims({ impersonator_id: value })))
    t.equal(response.headers.location, '/account.php', `impersonator_id ${JSON.stringify(value).slice(0, 20)} signs in`)
    t.equal(app.mock.listRequests().at(-1)?.impersonatorId, shown)
  }
  const list = await app.inject({ url: '/__mock/requests' })
  const rows = list.json<{ requests: { path: string; impersonator_id: string | null }[] }>().requests
  t.same(
    rows.map((row) => row.impersonator_id),
    ['42', 'staff-7', `${'x'.repeat(117)}...`],
    'the control API shows it as impersonator_id',
  )
  const infoLines = entries().filter((entry) => entry.msg === 'customer signed in with a Customer Login token') as {
    impersonatorId?: string
  }[]
  t.equal(infoLines[0]?.impersonatorId, '42', 'and the info log line names it')

  // A value Catalyst could not show is not a BigCommerce rule: accepted, with a hint.
  const odd = await visit(app, sign(claims({ impersonator_id: { id: 1 } })))
  t.equal(odd.headers.location, '/account.php')
  const last = app.mock.listRequests().at(-1)
  t.equal(last?.impersonatorId, undefined)
  t.match(last?.hint, /impersonator_id \{"id":1\} is not a non-empty string or an integer/)
  t.ok(
    entries().some((entry) => entry.level === 40 && entry.claim === 'impersonator_id'),
    'a warning names the claim',
  )

  const plain = await visit(app, sign(claims()))
  t.equal(plain.headers.location, '/account.php')
  t.equal(app.mock.listRequests().at(-1)?.impersonatorId, undefined, 'absent when the token has none')
  const form = await signIn(app, DEMO.jane.email, DEMO.jane.password)
  await getToken(app, APP.clientId, { cookie: form.cookie })
  const after = (await app.inject({ url: '/__mock/requests?limit=2' })).json<{ requests: { impersonator_id: string | null }[] }>()
  t.same(
    after.requests.map((row) => row.impersonator_id),
    [null, null],
    'null on every other request',
  )
})

t.test("channel_id must name one of the store's channels: channel 1 only by default, more from the fixtures", async (t) => {
  const { app, entries } = harness(t)
  const refused = await visit(app, sign(claims({ channel_id: 2 })))
  t.equal(refused.headers.location, '/login.php', 'channel 2 is not a channel of the default store')
  t.equal(entries().at(-1)?.rule, 'channel_id_unknown')
  t.match(
    entries().at(-1)?.msg,
    "channel_id 2 is not a channel of this store (its only channel is 1); the fixtures' channels list adds channels",
  )
  const entry = app.mock.listRequests().at(-1)
  t.equal(entry?.outcome, 'channel_id_unknown', 'the request log names the rule')
  t.match(entry?.hint, /channel_id 2 is not a channel of this store/)

  const fixtures = {
    store_hash: DEMO.storeHash,
    apps: [{ client_id: APP.clientId, client_secret: APP.secret }],
    customers: [{ id: DEMO.john.id, email: DEMO.john.email, password: DEMO.john.password }],
    channels: [
      { id: 1, name: 'Main storefront' },
      { id: 2, name: 'Headless storefront' },
      { id: 1733, name: 'B2B storefront' },
    ],
  }
  const multi = buildApp({ now: NOW, logLevel: 'silent', fixtures })
  t.teardown(() => multi.close())
  for (const channelId of [undefined, 1, 2, 1733]) {
    const response = await visit(multi, sign(claims(channelId === undefined ? {} : { channel_id: channelId })))
    t.equal(response.headers.location, '/account.php', `channel ${channelId ?? '(default 1)'} signs in`)
  }
  const unknown = await visit(multi, sign(claims({ channel_id: 3 })))
  t.equal(unknown.headers.location, '/login.php')
  t.match(multi.mock.listRequests().at(-1)?.hint, 'channel_id 3 is not a channel of this store (its channels are 1, 2, 1733)')

  // Fixtures that list channels list all of them: without channel 1, the default channel_id fails.
  const noDefault = buildApp({
    now: NOW,
    logLevel: 'silent',
    fixtures: { ...fixtures, channels: [{ id: 2, name: 'Headless storefront' }] },
  })
  t.teardown(() => noDefault.close())
  t.equal((await visit(noDefault, sign(claims()))).headers.location, '/login.php', 'channel_id 1 (the default) is refused')
  t.match(noDefault.mock.listRequests().at(-1), {
    outcome: 'channel_id_unknown',
    hint: /channel_id 1 is not a channel of this store \(its only channel is 2\)/,
  })
  t.equal((await visit(noDefault, sign(claims({ channel_id: 2 })))).headers.location, '/account.php')
})

// Every way a token can be refused. Each row gets a fresh storefront.
interface Rejection {
  name: string
  rule: CustomerLoginRule
  token: () => string
  /** Text the log message must contain. */
  detail?: RegExp
  /** Runs before the refused visit (e.g. spending the jti). */
  before?: (app: ReturnType<typeof buildApp>, token: string) => Promise<void>
}

const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey

const rejections: Rejection[] = [
  { name: 'not a JWT at all', rule: 'token', token: () => 'not-a-jwt' },
  {
    name: 'bad signature (another secret)',
    rule: 'signature',
    token: () => sign(claims(), { secret: 'not-the-client-secret' }),
    detail: /does not verify/,
  },
  {
    name: 'bad signature (payload altered after signing)',
    rule: 'signature',
    token: () => alterPayload(sign(claims()), { customer_id: DEMO.jane.id }),
  },
  { name: 'alg none', rule: 'alg', token: () => jwt.sign(claims(), '', { algorithm: 'none' }), detail: /"none"/ },
  { name: 'alg HS512', rule: 'alg', token: () => sign(claims(), { sign: { algorithm: 'HS512' } }), detail: /"HS512".*HS256 only/ },
  { name: 'alg RS256', rule: 'alg', token: () => sign(claims(), { secret: rsaKey, sign: { algorithm: 'RS256' } }), detail: /"RS256"/ },
  { name: 'typ missing', rule: 'typ', token: () => sign(claims(), { sign: { header: { alg: 'HS256', typ: undefined } } }) },
  {
    name: 'wrong iss',
    rule: 'iss',
    token: () => sign(claims({ iss: 'not-a-registered-client' })),
    detail: /not a registered app client id/,
  },
  {
    name: 'iss of another app (signed with this app secret)',
    rule: 'signature',
    token: () => sign(claims({ iss: DEMO.hs256App.clientId })),
  },
  {
    name: 'wrong store_hash',
    rule: 'store_hash',
    token: () => sign(claims({ store_hash: 'zzz999' })),
    detail: /"zzz999" is not this store's/,
  },
  {
    name: 'unknown customer',
    rule: 'customer_id',
    token: () => sign(claims({ customer_id: 999_999 })),
    detail: /999999 is not a customer/,
  },
  {
    name: 'customer_id as a string',
    rule: 'customer_id',
    token: () => sign(claims({ customer_id: String(DEMO.john.id) })),
    detail: /must be an integer/,
  },
  { name: 'stale iat (31 s)', rule: 'iat_stale', token: () => sign(claims({ iat: NOW - 31 })), detail: /31 s old/ },
  {
    name: 'future iat (6 s, beyond the 5 s skew)',
    rule: 'iat_future',
    token: () => sign(claims({ iat: NOW + 6 })),
    detail: /6 s in the future/,
  },
  { name: 'fractional iat', rule: 'iat', token: () => sign(claims({ iat: NOW + 0.5 })), detail: /integer/ },
  {
    // jsonwebtoken validates an object payload's iat, so sign the JSON text as a PHP backend might send it.
    name: 'iat as a string',
    rule: 'iat',
    token: () =>
      jwt.sign(JSON.stringify(claims({ iat: String(NOW) })), APP.secret, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'JWT' } }),
    detail: /integer/,
  },
  {
    name: 'reused jti',
    rule: 'jti_reused',
    token: () => sign(claims({ jti: 'spent-once' })),
    before: async (app, token) => {
      const first = await visit(app, token)
      if (first.headers.location !== '/account.php') throw new Error(`first use was refused: ${first.headers.location}`)
    },
    detail: /already used/,
  },
  { name: 'missing iss', rule: 'iss', token: () => sign(claims({}, ['iss'])), detail: /missing/ },
  { name: 'missing iat', rule: 'iat', token: () => sign(claims({}, ['iat'])), detail: /missing/ },
  { name: 'missing jti', rule: 'jti', token: () => sign(claims({}, ['jti'])), detail: /missing/ },
  { name: 'empty jti', rule: 'jti', token: () => sign(claims({ jti: '' })) },
  { name: 'missing operation', rule: 'operation', token: () => sign(claims({}, ['operation'])), detail: /missing/ },
  { name: 'missing store_hash', rule: 'store_hash', token: () => sign(claims({}, ['store_hash'])), detail: /missing/ },
  { name: 'missing customer_id', rule: 'customer_id', token: () => sign(claims({}, ['customer_id'])), detail: /missing/ },
  {
    name: 'wrong operation',
    rule: 'operation',
    token: () => sign(claims({ operation: 'current_customer' })),
    detail: /"current_customer"/,
  },
  ...[
    'https://evil.example',
    'http://evil.example/account.php',
    '//evil.example',
    '/\\evil.example',
    '\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/account.php\r\nLocation: https://evil.example',
    '/\t/evil.example',
    '/account.php\u0000',
    '/.//evil.example',
    'account.php',
    './account.php',
  ].map((redirectTo): Rejection => ({
    name: `unsafe redirect_to ${JSON.stringify(redirectTo)}`,
    rule: 'redirect_to',
    token: () => sign(claims({ redirect_to: redirectTo })),
  })),
  { name: 'redirect_to not a string', rule: 'redirect_to', token: () => sign(claims({ redirect_to: 42 })) },
  {
    name: 'wrong request_ip',
    rule: 'request_ip',
    token: () => sign(claims({ request_ip: '203.0.113.7' })),
    detail: /does not match the browser's IP address "127.0.0.1"/,
  },
  { name: 'request_ip not an IP', rule: 'request_ip', token: () => sign(claims({ request_ip: 'localhost' })) },
  { name: 'channel_id not an integer', rule: 'channel_id', token: () => sign(claims({ channel_id: '1' })) },
  { name: 'channel_id zero', rule: 'channel_id', token: () => sign(claims({ channel_id: 0 })) },
  {
    name: 'channel_id of no channel',
    rule: 'channel_id_unknown',
    token: () => sign(claims({ channel_id: 2 })),
    detail: /its only channel is 1/,
  },
  {
    name: 'enable_persistent_cart not a boolean',
    rule: 'enable_persistent_cart',
    token: () => sign(claims({ enable_persistent_cart: 'yes' })),
  },
  { name: 'exp in the past', rule: 'exp', token: () => sign(claims({ exp: NOW - 60 })) },
  { name: 'nbf in the future', rule: 'nbf', token: () => sign(claims({ nbf: NOW + 60 })) },
]

t.test('refused tokens: 302 to /login.php, no session, the rule named in the log, never the token', async (t) => {
  for (const rejection of rejections) {
    await t.test(rejection.name, async (t) => {
      const { app, lines, entries } = harness(t)
      const token = rejection.token()
      await rejection.before?.(app, token)
      const response = await visit(app, token)
      t.equal(response.statusCode, 302)
      t.equal(response.headers.location, '/login.php')
      t.notOk(
        response.cookies.some((cookie) => SESSION_COOKIES.includes(cookie.name)),
        'no session cookie',
      )
      t.ok(
        response.cookies.some((cookie) => cookie.name === LOGIN_FLASH_COOKIE),
        'the "Invalid login" flash is set',
      )
      const refusals = entries().filter((entry) => entry.level === 40 && entry.rule !== undefined)
      t.equal(refusals.length, 1, 'one refusal logged')
      t.equal(refusals[0]?.rule, rejection.rule, `rule ${rejection.rule}`)
      t.match(refusals[0]?.msg, new RegExp(`^customer login refused \\(${rejection.rule}\\): `))
      if (rejection.detail) t.match(refusals[0]?.msg, rejection.detail)
      const log = lines.join('\n')
      t.notOk(log.includes(token), 'the token is not in the log')
      const signature = token.split('.')[2]
      if (signature) t.notOk(log.includes(signature), 'nor its signature')
      t.equal(app.mock.stats().sessions, rejection.before ? 1 : 0, 'no session was started by the refused token')
    })
  }
})

t.test('the login page shows "Invalid login" after a refusal, once', async (t) => {
  const { app } = harness(t)
  const refused = await visit(app, sign(claims({ store_hash: 'wrong' })))
  const flash = refused.cookies.find((cookie) => cookie.name === LOGIN_FLASH_COOKIE)
  t.ok(flash, 'flash cookie set')
  t.equal(flash?.path, '/login.php')
  t.equal(flash?.httpOnly, true)

  const page = await app.inject({ url: '/login.php', headers: { cookie: cookieHeaderOf(setCookieLines(refused)) } })
  t.equal(page.statusCode, 200)
  t.match(page.body, INVALID_LOGIN)
  t.match(page.body, 'Invalid login. ')
  const cleared = page.cookies.find((cookie) => cookie.name === LOGIN_FLASH_COOKIE)
  t.equal(cleared?.maxAge, 0, 'the flash is cleared once shown')

  const plain = await app.inject({ url: '/login.php' })
  t.notMatch(plain.body, 'Invalid login', 'no message without the flash')
  const forged = await app.inject({ url: '/login.php', headers: { cookie: `${LOGIN_FLASH_COOKIE}=%3Cscript%3Ealert(1)%3C%2Fscript%3E` } })
  t.notMatch(forged.body, '<script>alert(1)', 'a forged flash shows nothing')
})

t.test('a redirect_url claim (node-bigcommerce) logs a hint naming redirect_to', async (t) => {
  const { app, entries } = harness(t)
  const response = await visit(app, sign(claims({ redirect_url: '/shop-all/' })))
  t.equal(response.headers.location, '/account.php', 'redirect_url is not followed, as on BigCommerce')
  const hints = entries().filter((entry) => entry.claim === 'redirect_url')
  t.equal(hints.length, 1)
  t.equal(hints[0]?.level, 40)
  t.match(hints[0]?.msg, /redirect_to/)
})

t.test('the token appears in no log line at info level either', async (t) => {
  const { app, lines } = harness(t, { logLevel: 'info' })
  const good = sign(claims())
  const bad = sign(claims({ customer_id: 1 }))
  await visit(app, good)
  await visit(app, bad)
  t.ok(lines.length > 0, 'requests were logged')
  const log = lines.join('\n')
  for (const token of [good, bad]) {
    t.notOk(log.includes(token))
    t.notOk(log.includes(token.split('.')[2] ?? '<none>'))
  }
  t.match(log, '/login/token/[redacted]')
})

t.test('iat follows the mock clock: valid from 5 s ahead to 30 s old', async (t) => {
  const { app, entries } = harness(t)
  for (const iat of [NOW, NOW - 30, NOW + 5]) {
    const response = await visit(app, sign(claims({ iat })))
    t.equal(response.headers.location, '/account.php', `iat now${iat - NOW >= 0 ? '+' : ''}${iat - NOW} passes`)
  }
  const token = sign(claims({ iat: NOW }))
  app.mock.changeClock({ advance: 31 })
  const late = await visit(app, token)
  t.equal(late.headers.location, '/login.php', 'the same kind of token fails 31 s later')
  t.equal(entries().at(-1)?.rule, 'iat_stale')
})

t.test('with the real clock, a token signed now passes (as an app backend signs it)', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const token = jwt.sign(claims({ iat: Math.floor(Date.now() / 1000) }), APP.secret, { algorithm: 'HS256' })
  t.equal((await visit(app, token)).headers.location, '/account.php')
})

t.test('used jtis are kept below the cap, and a late replay still fails', async (t) => {
  const { app, entries } = harness(t)
  const tokens = [sign(claims()), sign(claims()), sign(claims())]
  for (const token of tokens) t.equal((await visit(app, token)).headers.location, '/account.php')
  t.equal(app.mock.stats().usedJtis, 3)

  app.mock.changeClock({ advance: 36 })
  const fresh = await visit(app, sign(claims({ iat: NOW + 36 })))
  t.equal(fresh.headers.location, '/account.php')
  t.equal(app.mock.stats().usedJtis, 4, 'nothing is forgotten below the cap, so moving the clock back cannot reopen one')

  const replay = await visit(app, tokens[0] ?? '')
  t.equal(replay.headers.location, '/login.php', 'a forgotten jti is still refused')
  t.equal(entries().at(-1)?.rule, 'iat_stale', 'by the iat rule')

  app.mock.reset()
  t.equal(app.mock.stats().usedJtis, 0, 'reset forgets every jti')
})

t.test('the jti store has a hard cap and refuses rather than forgets a live jti', async (t) => {
  const store = new UsedJtiStore({ retainSeconds: 35, maxEntries: 2 })
  t.equal(store.use('app', 'a', NOW, NOW), 'fresh')
  t.equal(store.use('app', 'b', NOW, NOW), 'fresh')
  t.equal(store.use('app', 'c', NOW, NOW), 'full')
  t.equal(store.size, 2)
  t.equal(store.use('app', 'a', NOW, NOW), 'reused')
  t.equal(store.use('other-app', 'a', NOW, NOW), 'full', 'jtis are per app, and the cap holds for all')
  t.equal(store.use('app', 'c', NOW + 36, NOW + 36), 'fresh', 'room again once the window passed')
  t.equal(store.size, 1)
  // Entries out of iat order: the cheap head-first prune stops early, the sweep at the cap does not.
  const sweep = new UsedJtiStore({ retainSeconds: 35, maxEntries: 2 })
  sweep.use('app', 'late', NOW + 5, NOW)
  sweep.use('app', 'early', NOW - 30, NOW)
  t.equal(sweep.use('app', 'next', NOW + 6, NOW + 6), 'fresh', 'the expired entry behind a live one is swept when full')
})

t.test('the same URL opened twice at once signs in once', async (t) => {
  const { app } = harness(t)
  const token = sign(claims())
  const responses = await Promise.all([visit(app, token), visit(app, token), visit(app, token)])
  t.same(responses.map((response) => response.headers.location).sort(), ['/account.php', '/login.php', '/login.php'])
  t.equal(app.mock.stats().sessions, 1)
})

t.test('reset() clears used jtis so a test can replay a fixed token', async (t) => {
  const { app } = harness(t)
  const token = sign(claims({ jti: 'fixed' }))
  t.equal((await visit(app, token)).headers.location, '/account.php')
  t.equal((await visit(app, token)).headers.location, '/login.php')
  app.mock.reset()
  t.equal((await visit(app, token)).headers.location, '/account.php')
})

/** Replace claims in a signed token's payload, keeping its original signature. */
function alterPayload(token: string, changes: Claims): string {
  const [header, payload, signature] = token.split('.')
  const claimsSet = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Claims
  return `${header}.${Buffer.from(JSON.stringify({ ...claimsSet, ...changes })).toString('base64url')}.${signature}`
}
