// Failure scenarios (POST /__mock/faults, storefront.faults, --fault): every effect on every
// route it fits, through HTTP; the wrong-but-well-formed tokens checked by jose and
// jsonwebtoken; times counting, narrowing by app and customer, creation order, reset; hang,
// delay and reset on real sockets; the CLI flag as a real process.
import { request as httpRequest } from 'node:http'
import { randomUUID } from 'node:crypto'
import { errors as joseErrors } from 'jose'
import jwt from 'jsonwebtoken'
import t, { type Test } from 'tap'
import {
  buildApp,
  EFFECTS_BY_ROUTE,
  ERRORS,
  FAULT_HEADER,
  MockError,
  startMockStorefront,
  WRONG_SECRET,
  type FaultSpec,
} from '../../server/index.js'
import { controlClient } from '../helpers/control.js'
import { runCli, spawnCli } from '../helpers/cli.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'
import { decodeToken, verifyLikeNodeBigcommerce, verifyWithJose, type AppUnderTest } from '../helpers/tokens.js'

const NOW = 1_700_000_000
const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }
const HS256: AppUnderTest = { clientId: DEMO.hs256App.clientId, secret: DEMO.hs256App.secret, algorithm: 'HS256' }
const TTL = 900

type Send = () => Promise<Awaited<ReturnType<typeof getToken>>>

interface FaultBody {
  id: string
  route: string
  effect: string
  times: number | null
  remaining: number | null
  applied: number
  status: number | null
}
interface RequestEntry {
  path: string
  status: number
  outcome: string
  hint: string | null
  customer_id: number | null
}

function loginToken(customerId: number = DEMO.john.id, extra: Record<string, unknown> = {}): string {
  return jwt.sign(
    {
      iss: HS512.clientId,
      iat: NOW,
      jti: randomUUID(),
      operation: 'customer_login',
      store_hash: DEMO.storeHash,
      customer_id: customerId,
      ...extra,
    },
    HS512.secret,
    { algorithm: 'HS256' },
  )
}

function signInRequest(email: string = DEMO.john.email) {
  return {
    method: 'POST' as const,
    url: '/login.php?action=check_login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ login_email: email, login_pass: DEMO.john.password }).toString(),
  }
}

/** The app, a control client and John's cookie. */
async function setUp(t: Test) {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const api = controlClient(t, app)
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  return { app, api, cookie }
}

async function lastEntry(api: ReturnType<typeof controlClient>): Promise<RequestEntry> {
  const { body } = await api.get<{ requests: RequestEntry[] }>('/__mock/requests?limit=1')
  return body.requests[0]!
}

t.test('POST /__mock/faults: 201 with id and remaining; bad input is a 400 naming the field', async (t) => {
  const { api } = await setUp(t)
  const created = await api.post<FaultBody>('/__mock/faults', { route: 'current-customer', effect: 'status', status: 503, times: 2 })
  t.equal(created.status, 201)
  t.match(created.body, { id: 'f1', route: 'current-customer', effect: 'status', status: 503, times: 2, remaining: 2, applied: 0 })
  t.equal(created.headers.location, '/__mock/faults/f1')
  const defaulted = await api.post<FaultBody>('/__mock/faults', { route: 'account', effect: 'status' })
  t.match(defaulted.body, { id: 'f2', status: 500, times: null, remaining: null }, 'status defaults to 500, times to until removed')

  const bad: [unknown, string][] = [
    [{ route: 'checkout', effect: 'status' }, 'route'],
    [{ route: 'current-customer', effect: 'explode' }, 'effect'],
    [{ route: 'current-customer', effect: 'refuse' }, 'effect'],
    [{ route: 'sign-in', effect: 'expired-token' }, 'effect'],
    [{ route: 'customer-login', effect: 'signed-out' }, 'effect'],
    [{ route: 'account', effect: 'wrong-secret' }, 'effect'],
    [{ route: 'current-customer', effect: 'status', status: 399 }, 'status'],
    [{ route: 'current-customer', effect: 'status', status: 600 }, 'status'],
    [{ route: 'current-customer', effect: 'status', status: 200 }, 'status'],
    [{ route: 'current-customer', effect: 'hang', status: 500 }, 'status'],
    [{ route: 'current-customer', effect: 'delay' }, 'delay_ms'],
    [{ route: 'current-customer', effect: 'delay', delay_ms: 60_001 }, 'delay_ms'],
    [{ route: 'current-customer', effect: 'reset', delay_ms: 5 }, 'delay_ms'],
    [{ route: 'current-customer', effect: 'status', times: 0 }, 'times'],
    [{ route: 'current-customer', effect: 'status', customer_id: '4927' }, 'customer_id'],
    [{ route: 'current-customer', effect: 'status', colour: 'red' }, 'colour'],
    [{ effect: 'status' }, 'route'],
  ]
  for (const [body, field] of bad) {
    const answer = await api.post<{ code: string; errors: Record<string, string> }>('/__mock/faults', body)
    t.equal(answer.status, 400, `${JSON.stringify(body)}: 400`)
    t.ok(answer.body.errors[field], `${JSON.stringify(body)}: names ${field} (${JSON.stringify(answer.body.errors)})`)
  }

  const listed = await api.get<{ faults: FaultBody[] }>('/__mock/faults')
  t.same(
    listed.body.faults.map((fault) => fault.id),
    ['f1', 'f2'],
    'GET lists the active ones in creation order (no bad one was added)',
  )
  t.match((await api.delete<FaultBody>('/__mock/faults/f1')).body, { id: 'f1' }, 'DELETE one answers it')
  t.equal((await api.delete('/__mock/faults/f1')).status, 404, 'then it is unknown')
  t.match(
    (await api.delete<{ errors: Record<string, string> }>('/__mock/faults/nope')).body.errors,
    { id: String },
    'a malformed id is a 400 naming id',
  )
  t.same((await api.delete('/__mock/faults')).body, { ended: 1 }, 'DELETE all')
  t.same((await api.get<{ faults: FaultBody[] }>('/__mock/faults')).body.faults, [])
  const next = await api.post<FaultBody>('/__mock/faults', { route: 'account', effect: 'status' })
  t.equal(next.body.id, 'f3', 'ids are never reused')
})

t.test('at most 100 faults are active; past it a 409', async (t) => {
  const { api } = await setUp(t)
  for (let index = 0; index < 100; index++)
    await api.post('/__mock/faults', { route: 'account', effect: 'status', customer_id: 9000 + index })
  const refused = await api.post<{ code: string }>('/__mock/faults', { route: 'account', effect: 'status' })
  t.equal(refused.status, 409)
  t.equal(refused.body.code, ERRORS.tooManyFaults.code)
})

t.test('status: every route answers the fault status with a BigCommerce-shaped body, times counts, then the route recovers', async (t) => {
  const { app, api, cookie } = await setUp(t)
  const requests = {
    'current-customer': () => getToken(app, HS512.clientId, { cookie }),
    'customer-login': () => app.inject(`/login/token/${loginToken()}`),
    'sign-in': () => app.inject(signInRequest()),
    account: () => app.inject({ url: '/account.php', headers: { cookie } }),
  }
  const normal = { 'current-customer': 200, 'customer-login': 302, 'sign-in': 302, account: 200 }
  for (const [route, send] of Object.entries(requests) as [keyof typeof requests, Send][]) {
    const { body: fault } = await api.post<FaultBody>('/__mock/faults', { route, effect: 'status', status: 503, times: 2 })
    for (let attempt = 1; attempt <= 2; attempt++) {
      const response = await send()
      t.equal(response.statusCode, 503, `${route} #${attempt}: the fault's status`)
      t.equal(response.headers[FAULT_HEADER], `${fault.id} status`, `${route}: X-Mock-Fault names it`)
      t.equal(response.headers['cache-control'], 'no-store')
      const body = response.json<{ status: number; code: string; title: string; errors: Record<string, string> }>()
      t.match(
        body,
        { status: 503, code: ERRORS.injectedFault.code, title: new RegExp(`Fault ${fault.id}`), errors: { fault: String } },
        `${route}: error body like BigCommerce's, naming the fault`,
      )
      const entry = await lastEntry(api)
      t.match(
        entry,
        { status: 503, outcome: 'fault:status', hint: new RegExp(`^fault ${fault.id} \\(status on ${route}\\)`) },
        `${route}: the request log names the fault`,
      )
      if (attempt === 1)
        t.match(
          (await api.get<{ faults: FaultBody[] }>('/__mock/faults')).body.faults,
          [{ id: fault.id, remaining: 1, applied: 1 }],
          'remaining counts down',
        )
    }
    t.same((await api.get<{ faults: FaultBody[] }>('/__mock/faults')).body.faults, [], `${route}: used up after 2`)
    const recovered = await send()
    t.equal(recovered.statusCode, normal[route], `${route}: answers normally again`)
    t.notOk(recovered.headers[FAULT_HEADER], 'without the header')
  }
})

t.test('delay: every route answers normally after delay_ms', async (t) => {
  const { app, api, cookie } = await setUp(t)
  const cases: [string, Send, number][] = [
    ['current-customer', () => getToken(app, HS512.clientId, { cookie }), 200],
    ['customer-login', () => app.inject(`/login/token/${loginToken()}`), 302],
    ['sign-in', () => app.inject(signInRequest()), 302],
    ['account', () => app.inject({ url: '/account.php', headers: { cookie } }), 200],
  ]
  for (const [route, send, status] of cases) {
    await api.post('/__mock/faults', { route, effect: 'delay', delay_ms: 150, times: 1 })
    const started = performance.now()
    const response = await send()
    t.ok(performance.now() - started >= 145, `${route}: delayed by 150 ms`)
    t.equal(response.statusCode, status, `${route}: then the normal answer`)
    t.match(await lastEntry(api), { status, outcome: 'fault:delay' })
  }
})

/** A token for John from the app, with a fault of `effect` active once, and the correct one after it. */
async function faultedAndCorrect(t: Test, effect: string, target: AppUnderTest) {
  const { app, api, cookie } = await setUp(t)
  const { body: fault } = await api.post<FaultBody>('/__mock/faults', { route: 'current-customer', effect, times: 1 })
  const faulted = await getToken(app, target.clientId, { cookie })
  t.equal(faulted.statusCode, 200, `${effect}: still a 200 with a token`)
  t.equal(faulted.headers[FAULT_HEADER], `${fault.id} ${effect}`)
  t.match(await lastEntry(api), {
    status: 200,
    outcome: `fault:${effect}`,
    hint: new RegExp(`fault ${fault.id}`),
    customer_id: DEMO.john.id,
  })
  const correct = await getToken(app, target.clientId, { cookie })
  return { faulted: faulted.body, correct: correct.body }
}

for (const target of [HS512, HS256]) {
  t.test(`expired-token (${target.algorithm} app): exp already past by the mock's clock; valid in every other respect`, async (t) => {
    const { faulted, correct } = await faultedAndCorrect(t, 'expired-token', target)
    await t.rejects(verifyWithJose(faulted, target, NOW), { code: 'ERR_JWT_EXPIRED' }, 'jose: expired')
    t.throws(
      () => jwt.verify(faulted, target.secret, { algorithms: [target.algorithm], audience: target.clientId, clockTimestamp: NOW }),
      jwt.TokenExpiredError,
      'jsonwebtoken: TokenExpiredError',
    )
    const { claims, header } = decodeToken(faulted)
    const expected = decodeToken(correct)
    t.equal(claims.exp, NOW - 300, 'exp is 300 s behind the clock')
    t.equal(claims.exp - claims.iat, TTL, 'lifetime is the app ttl')
    t.same({ ...claims, iat: 0, exp: 0 }, { ...expected.claims, iat: 0, exp: 0 }, "every other claim is the correct token's")
    t.same(header, expected.header)
    // With the clock set back to iat, both libraries accept it.
    await verifyWithJose(faulted, target, claims.iat)
    t.pass('jose accepts it at its iat')
    if (target.algorithm === 'HS256') verifyLikeNodeBigcommerce(faulted, target.secret, target.clientId, claims.iat)
    else jwt.verify(faulted, target.secret, { algorithms: ['HS512'], audience: target.clientId, clockTimestamp: claims.iat })
    t.pass('jsonwebtoken accepts it at its iat')
  })

  t.test(`wrong-secret (${target.algorithm} app): signed with another secret; valid in every other respect`, async (t) => {
    const { faulted, correct } = await faultedAndCorrect(t, 'wrong-secret', target)
    await t.rejects(verifyWithJose(faulted, target, NOW), joseErrors.JWSSignatureVerificationFailed, 'jose: signature verification failed')
    t.throws(
      () => jwt.verify(faulted, target.secret, { algorithms: [target.algorithm], audience: target.clientId, clockTimestamp: NOW }),
      { name: 'JsonWebTokenError', message: 'invalid signature' },
      'jsonwebtoken: invalid signature',
    )
    t.same(decodeToken(faulted).claims, decodeToken(correct).claims, "claims exactly the correct token's")
    t.same(decodeToken(faulted).header, decodeToken(correct).header, 'header too')
    await verifyWithJose(faulted, { ...target, secret: WRONG_SECRET }, NOW)
    jwt.verify(faulted, WRONG_SECRET, { algorithms: [target.algorithm], audience: target.clientId, clockTimestamp: NOW })
    t.pass('both accept it with the secret it was signed with')
  })

  t.test(`wrong-algorithm (${target.algorithm} app): the app's secret, another HMAC algorithm; valid in every other respect`, async (t) => {
    const { faulted, correct } = await faultedAndCorrect(t, 'wrong-algorithm', target)
    await t.rejects(verifyWithJose(faulted, target, NOW), { code: 'ERR_JOSE_ALG_NOT_ALLOWED' }, 'jose: algorithm not allowed')
    t.throws(
      () => jwt.verify(faulted, target.secret, { algorithms: [target.algorithm], audience: target.clientId, clockTimestamp: NOW }),
      { name: 'JsonWebTokenError', message: 'invalid algorithm' },
      'jsonwebtoken: invalid algorithm',
    )
    if (target.algorithm === 'HS256')
      t.throws(
        () => verifyLikeNodeBigcommerce(faulted, target.secret, target.clientId, NOW),
        { message: 'invalid algorithm' },
        "node-bigcommerce's call refuses it",
      )
    t.same(decodeToken(faulted).header, { typ: 'JWT', alg: 'HS384' }, 'header: typ first, HS384')
    t.same(decodeToken(faulted).claims, decodeToken(correct).claims, "claims exactly the correct token's")
    await verifyWithJose(faulted, { ...target, algorithm: 'HS384' }, NOW)
    jwt.verify(faulted, target.secret, { algorithms: ['HS384'], audience: target.clientId, clockTimestamp: NOW })
    t.pass('both accept it with the app secret when HS384 is allowed')
  })
}

t.test('signed-out: the session ends first, so the token route answers 404 and the account page sends to sign-in', async (t) => {
  const { app, api, cookie } = await setUp(t)
  await api.post('/__mock/faults', { route: 'current-customer', effect: 'signed-out', times: 1 })
  const token = await getToken(app, HS512.clientId, { cookie })
  t.equal(token.statusCode, 404)
  t.equal(token.json<{ code: string }>().code, ERRORS.notLoggedIn.code)
  t.match(await lastEntry(api), { status: 404, outcome: 'fault:signed-out' })
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 404, 'the session really ended')
  t.same((await api.get<{ sessions: unknown[] }>('/__mock/sessions')).body.sessions, [])

  const again = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  await api.post('/__mock/faults', { route: 'account', effect: 'signed-out', times: 1 })
  const account = await app.inject({ url: '/account.php', headers: { cookie: again } })
  t.equal(account.statusCode, 302)
  t.equal(account.headers.location, '/login.php')
  t.match(await lastEntry(api), { status: 302, outcome: 'fault:signed-out' })
  t.equal((await getToken(app, HS512.clientId, { cookie: again })).statusCode, 404, 'that session ended too')
})

t.test('refuse: the Customer Login is refused as an invalid token is, rule fault; the same URL works once the fault ends', async (t) => {
  const { app, api } = await setUp(t)
  const { body: fault } = await api.post<FaultBody>('/__mock/faults', { route: 'customer-login', effect: 'refuse' })
  const token = loginToken()
  const refused = await app.inject(`/login/token/${token}`)
  t.equal(refused.statusCode, 302)
  t.equal(refused.headers.location, '/login.php')
  t.notOk(
    refused.cookies.some((c) => c.name === 'SHOP_SESSION_TOKEN'),
    'no session cookie',
  )
  const flash = refused.cookies.find((c) => c.name === 'BCMOCK_LOGIN_FLASH')
  t.ok(flash, 'the "Invalid login" flash is set')
  const page = await app.inject({ url: '/login.php', headers: { cookie: `BCMOCK_LOGIN_FLASH=${flash?.value}` } })
  t.match(page.body, 'Invalid login. Please attempt to log in again.')
  const entries = (await api.get<{ requests: RequestEntry[] }>('/__mock/requests')).body.requests
  t.match(entries.at(-2), {
    path: '/login/token/[redacted]',
    outcome: 'fault:refuse',
    hint: new RegExp(`fault ${fault.id}.*rule|refused on purpose by fault ${fault.id}`),
  })
  await api.delete(`/__mock/faults/${fault.id}`)
  const accepted = await app.inject(`/login/token/${token}`)
  t.equal(accepted.statusCode, 302)
  t.equal(accepted.headers.location, '/account.php', 'the jti was not spent')
})

t.test('client_id and customer_id narrow a fault; the first matching one in creation order applies', async (t) => {
  const { app, api, cookie } = await setUp(t)
  const jane = (await signIn(app, DEMO.jane.email, DEMO.jane.password)).cookie
  await api.post('/__mock/faults', { route: 'current-customer', effect: 'status', status: 502, client_id: HS256.clientId })
  await api.post('/__mock/faults', { route: 'current-customer', effect: 'status', status: 401, customer_id: DEMO.jane.id })
  await api.post('/__mock/faults', { route: 'current-customer', effect: 'status', status: 504 })
  t.equal((await getToken(app, HS256.clientId, { cookie: jane })).statusCode, 502, 'jane on the HS256 app: the first fault (app)')
  t.equal((await getToken(app, HS512.clientId, { cookie: jane })).statusCode, 401, 'jane on the HS512 app: the second (customer)')
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 504, 'john on the HS512 app: the third (everyone)')
  await api.delete('/__mock/faults/f3')
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 200, 'john is no longer matched')
  t.equal((await getToken(app, HS512.clientId)).statusCode, 404, 'a guest matches no customer fault')

  await api.delete('/__mock/faults')
  await api.post('/__mock/faults', { route: 'sign-in', effect: 'status', status: 429, customer_id: DEMO.jane.id })
  t.equal((await app.inject(signInRequest(DEMO.john.email))).statusCode, 302, 'sign-in: john is not jane')
  t.equal((await app.inject(signInRequest(DEMO.jane.email))).statusCode, 429, 'sign-in: jane, by the email she signs in with')
  await api.post('/__mock/faults', { route: 'customer-login', effect: 'refuse', customer_id: DEMO.jane.id })
  t.equal(
    (await app.inject(`/login/token/${loginToken(DEMO.john.id)}`)).headers.location,
    '/account.php',
    'customer login: john is not jane',
  )
  t.equal(
    (await app.inject(`/login/token/${loginToken(DEMO.jane.id)}`)).headers.location,
    '/login.php',
    "customer login: jane, by the token's customer_id",
  )
  await api.post('/__mock/faults', { route: 'customer-login', effect: 'status', client_id: HS256.clientId })
  t.equal(
    (await app.inject(`/login/token/${loginToken(DEMO.john.id)}`)).statusCode,
    302,
    "customer login: the HS512 app's token is not the HS256 app's",
  )
})

t.test('POST /__mock/reset ends every fault', async (t) => {
  const { app, api } = await setUp(t)
  await api.post('/__mock/faults', { route: 'current-customer', effect: 'status' })
  await api.post('/__mock/faults', { route: 'sign-in', effect: 'reset' })
  t.equal((await api.post('/__mock/reset')).status, 200)
  t.same((await api.get<{ faults: unknown[] }>('/__mock/faults')).body.faults, [])
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 200)
})

t.test('options.faults starts in a failing state; a bad one is a MockError naming it', async (t) => {
  const app = buildApp({ now: NOW, faults: [{ route: 'current-customer', effect: 'status', status: 503, times: 1 }] })
  t.teardown(() => app.close())
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 503)
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 200)
  t.throws(() => buildApp({ faults: [{ route: 'current-customer', effect: 'refuse' }] }), {
    code: ERRORS.invalidOption.code,
    field: 'faults[0].effect',
  })
  t.throws(() => buildApp({ faults: 'current-customer:status' as unknown as FaultSpec[] }), {
    code: ERRORS.invalidOption.code,
    field: 'faults',
  })
})

/** A GET over a real socket, settling with the status or the socket error. */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<{ status?: number; body?: string; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const request = httpRequest(url, { headers, agent: false, ...(signal && { signal }) }, (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    request.on('error', (error) => resolve({ error }))
    request.end()
  })
}

t.test('reset and hang over real sockets; the handle adds and removes faults', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  const cookie = storefront.login(DEMO.john.email)
  const tokenUrl = `${storefront.url}/customer/current.jwt?app_client_id=${HS512.clientId}`

  const reset = storefront.faults.add({ route: 'current-customer', effect: 'reset', times: 1 })
  t.equal(reset.id, 'f1')
  const destroyed = await rawGet(tokenUrl, { cookie })
  t.equal(destroyed.error?.code, 'ECONNRESET', 'reset: the socket is destroyed without an answer')
  t.match(storefront.requests().at(-1), { status: 0, outcome: 'fault:reset', hint: /fault f1/ })
  t.equal((await rawGet(tokenUrl, { cookie })).status, 200, 'then answered again')

  // hang, then the fault is removed: the held request is answered by its route.
  const hang = storefront.faults.add({ route: 'current-customer', effect: 'hang' })
  let settled = false
  const held = rawGet(tokenUrl, { cookie }).finally(() => (settled = true))
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.notOk(settled, 'hang: no answer while the fault is active')
  hang.remove()
  const released = await held
  t.equal(released.status, 200, 'removing the fault releases it with the normal answer')
  await verifyWithJose(released.body ?? '', HS512, NOW)
  t.match(storefront.requests().at(-1), { status: 200, outcome: 'fault:hang' })
  hang.remove()
  t.pass('removing an ended fault again is harmless')

  // hang, then the client gives up.
  storefront.faults.add({ route: 'account', effect: 'hang' })
  const abort = new AbortController()
  const givenUp = rawGet(`${storefront.url}/account.php`, { cookie }, abort.signal)
  await new Promise((resolve) => setTimeout(resolve, 200))
  abort.abort()
  t.ok((await givenUp).error, 'the client gave up')
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.match(storefront.requests().at(-1), { path: '/account.php', status: 0, outcome: 'fault:hang' }, 'recorded unanswered')

  // hang is bounded by the server's request timeout.
  storefront.app.server.requestTimeout = 400
  const started = performance.now()
  const bounded = await rawGet(`${storefront.url}/account.php`, { cookie })
  t.ok(bounded.error, 'past the request timeout the connection closes unanswered')
  t.ok(performance.now() - started >= 390, 'after the request timeout')
  t.equal(storefront.faults.clear(), 1)
  t.same(storefront.faults.list(), [])

  t.throws(() => storefront.faults.add({ route: 'sign-in', effect: 'signed-out' }), { code: ERRORS.invalidRequest.code, field: 'effect' })
  t.throws(() => storefront.app.mock.removeFault('f99'), MockError)
  storefront.faults.add({ route: 'current-customer', effect: 'status' })
  storefront.reset()
  t.same(storefront.faults.list(), [], 'reset() ends faults')
})

t.test('a hanging request does not hold up close()', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  const cookie = storefront.login(DEMO.john.email)
  storefront.faults.add({ route: 'current-customer', effect: 'hang' })
  storefront.faults.add({ route: 'account', effect: 'delay', delay_ms: 60_000 })
  const held = rawGet(`${storefront.url}/customer/current.jwt?app_client_id=${HS512.clientId}`, { cookie })
  const delayed = rawGet(`${storefront.url}/account.php`, { cookie })
  await new Promise((resolve) => setTimeout(resolve, 200))
  const started = performance.now()
  await storefront.close()
  t.ok(performance.now() - started < 2000, 'close() is prompt')
  t.ok((await held).error, 'the held request ends unanswered')
  t.equal((await delayed).status, 200, 'the delayed one is released and answered')
})

t.test('a delayed request whose client closes the connection ends unanswered: the route never runs', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  storefront.faults.add({ route: 'sign-in', effect: 'delay', delay_ms: 500 })
  const body = new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString()
  const signingIn = httpRequest(`${storefront.url}/login.php?action=check_login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    agent: false,
  })
  const closed = new Promise((resolve) => signingIn.on('error', resolve).on('close', resolve))
  signingIn.end(body)
  await new Promise((resolve) => setTimeout(resolve, 50))
  signingIn.destroy()
  await closed
  // Past the delay: a route still running would have signed John in by now.
  await new Promise((resolve) => setTimeout(resolve, 700))
  const sessions = (await (await fetch(`${storefront.url}/__mock/sessions`)).json()) as { sessions: unknown[] }
  t.same(sessions.sessions, [], 'no session was created')
  t.match(
    storefront.requests().find((entry) => entry.path.startsWith('/login.php')),
    { method: 'POST', status: 0, outcome: 'fault:delay' },
    'recorded unanswered, as the delay fault',
  )
})

t.test('reset under inject(): the call rejects, as a socket error would, and is recorded', async (t) => {
  const { app, api, cookie } = await setUp(t)
  await api.post('/__mock/faults', { route: 'current-customer', effect: 'reset', times: 1 })
  await t.rejects(getToken(app, HS512.clientId, { cookie }), /destroyed/)
  t.match(await lastEntry(api), { status: 0, outcome: 'fault:reset' })
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 200)
})

t.test('every effect fits where the table says', async (t) => {
  t.same(EFFECTS_BY_ROUTE['current-customer'], [
    'status',
    'delay',
    'hang',
    'reset',
    'expired-token',
    'wrong-secret',
    'wrong-algorithm',
    'signed-out',
  ])
  t.same(EFFECTS_BY_ROUTE['customer-login'], ['status', 'delay', 'hang', 'reset', 'refuse'])
  t.same(EFFECTS_BY_ROUTE['sign-in'], ['status', 'delay', 'hang', 'reset'])
  t.same(EFFECTS_BY_ROUTE.account, ['status', 'delay', 'hang', 'reset', 'signed-out'])
})

t.test('--fault and BC_MOCK_FAULTS start the CLI in a failing state; a bad value exits 2 naming the flag', async (t) => {
  const cli = spawnCli(t, [
    '--port',
    '0',
    '--now',
    String(NOW),
    '--fault',
    'current-customer:status=503:2',
    '--fault',
    'account:signed-out',
  ])
  const url = await cli.url()
  t.match(cli.stdout, /Fault f1: current-customer status 503, 2 time\(s\)/, 'the banner names the faults')
  const faults = (await (await fetch(`${url}/__mock/faults`)).json()) as { faults: FaultBody[] }
  t.match(faults.faults, [
    { id: 'f1', route: 'current-customer', effect: 'status', status: 503, remaining: 2 },
    { id: 'f2', route: 'account', effect: 'signed-out' },
  ])
  const { cookie } = (await (
    await fetch(`${url}/__mock/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: DEMO.john.id }),
    })
  ).json()) as { cookie: string }
  const tokenUrl = `${url}/customer/current.jwt?app_client_id=${HS512.clientId}`
  const statuses = []
  for (let attempt = 0; attempt < 3; attempt++) statuses.push((await fetch(tokenUrl, { headers: { cookie } })).status)
  t.same(statuses, [503, 503, 200], '--fault current-customer:status=503:2 fails twice, then recovers')

  const env = spawnCli(t, ['--port', '0'], { BC_MOCK_FAULTS: 'sign-in:reset:1,current-customer:expired-token' })
  const envUrl = await env.url()
  t.match(((await (await fetch(`${envUrl}/__mock/faults`)).json()) as { faults: FaultBody[] }).faults, [
    { route: 'sign-in', effect: 'reset', times: 1 },
    { route: 'current-customer', effect: 'expired-token' },
  ])

  for (const [args, envVars, label] of [
    [['--fault', 'current-customer:refuse'], {}, '--fault'],
    [['--fault', 'checkout:status'], {}, '--fault'],
    [['--fault', 'current-customer:status=700'], {}, '--fault'],
    [['--fault', 'current-customer:delay'], {}, '--fault'],
    [['--fault', 'nonsense'], {}, '--fault'],
    [[], { BC_MOCK_FAULTS: 'account:status:0' }, 'BC_MOCK_FAULTS'],
  ] as [string[], Record<string, string>, string][]) {
    const run = await runCli(t, args, envVars)
    t.equal(run.code, 2, `${args.join(' ') || JSON.stringify(envVars)}: exit 2`)
    t.match(run.stderr, new RegExp(`^bigcommerce-mock: ${label}: `), `names ${label}: ${run.stderr.trim()}`)
  }
})
