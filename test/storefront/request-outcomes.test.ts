import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import jwt from 'jsonwebtoken'
import t from 'tap'
import { buildApp, ERRORS, startMockStorefront } from '../../server/index.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { LEVEL, LogCapture } from '../helpers/log-capture.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

const NOW = 1_700_000_000
const APP = DEMO.hs512App

interface RequestEntry {
  path: string
  status: number
  outcome: string
  hint: string | null
}

function loginClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: APP.clientId,
    iat: NOW,
    jti: randomUUID(),
    operation: 'customer_login',
    store_hash: DEMO.storeHash,
    customer_id: DEMO.john.id,
    ...overrides,
  }
}

function sign(payload: Record<string, unknown>): string {
  return jwt.sign(payload, APP.secret, { algorithm: 'HS256' })
}

t.test('every request log entry names its outcome: ok, the Customer Login rule, or the error code', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const api = controlClient(t, app)
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  await getToken(app, APP.clientId, { cookie })
  await getToken(app, 'no-such-app', { cookie })
  await getToken(app, APP.clientId)
  const reused = sign(loginClaims())
  await app.inject(`/login/token/${reused}`)
  await app.inject(`/login/token/${reused}`)
  await app.inject(`/login/token/${sign(loginClaims({ iat: NOW - 31 }))}`)
  await app.inject(`/login/token/${sign(loginClaims({ iat: NOW + 0.5 }))}`)
  // jose's SignJWT sets no typ unless asked.
  await app.inject(
    `/login/token/${await new SignJWT(loginClaims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(APP.secret))}`,
  )
  await app.inject({
    method: 'POST',
    url: '/login.php?action=check_login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `login_email=${DEMO.john.email}&login_pass=wrong`,
  })
  await app.inject('/no/such/page')

  const { body } = await api.get<{ requests: RequestEntry[] }>('/__mock/requests')
  const outcomes = body.requests.map(({ outcome }) => outcome)
  t.same(outcomes, [
    'ok',
    'ok',
    'BCMOCK_UNKNOWN_APP_CLIENT_ID',
    'BCMOCK_NOT_LOGGED_IN',
    'ok',
    'jti_reused',
    'iat_stale',
    'iat',
    'typ',
    'BCMOCK_WRONG_CREDENTIALS',
    'BCMOCK_NOT_FOUND',
  ])
  const byOutcome = new Map(body.requests.map((entry) => [entry.outcome, entry]))
  t.equal(byOutcome.get('ok')?.hint, null, 'nothing to say about a plain success')
  t.match(byOutcome.get('BCMOCK_UNKNOWN_APP_CLIENT_ID')?.hint, /registered: /)
  t.match(byOutcome.get('jti_reused')?.hint, /already used; a Customer Login URL works once/)
  t.match(byOutcome.get('iat_stale')?.hint, /31 s old/)
  for (const entry of body.requests) t.notOk(entry.hint?.includes(reused), 'no hint repeats a token')
})

t.test("the handle's requests() carries the same outcome and hint, and redirect_url is hinted on success", async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  const token = sign(loginClaims({ redirect_url: '/cart.php' }))
  const response = await fetch(`${storefront.url}/login/token/${token}`, { redirect: 'manual' })
  t.equal(response.status, 302)
  const entry = storefront.requests().at(-1)
  t.equal(entry?.outcome, 'ok')
  t.match(entry?.hint, /redirect_url claim, which BigCommerce ignores .*use redirect_to/)

  await fetch(`${storefront.url}/login/token/${sign(loginClaims({ iat: NOW - 40 }))}`, { redirect: 'manual' })
  const refused = storefront.requests().at(-1)
  t.equal(refused?.outcome, 'iat_stale')
  const listed = (await (await fetch(`${storefront.url}/__mock/requests`)).json()) as { requests: RequestEntry[] }
  t.same(
    listed.requests.map(({ outcome, hint }) => ({ outcome, hint })),
    storefront.requests().map(({ outcome, hint }) => ({ outcome, hint })),
    'the control API and the handle agree field for field',
  )
})

t.test('an unregistered app_client_id is logged at warn', async (t) => {
  const logs = new LogCapture()
  const app = buildApp({ logLevel: 'warn', logStream: logs })
  t.teardown(() => app.close())
  const cookie = (await signIn(app, DEMO.jane.email, DEMO.jane.password)).cookie
  t.equal((await getToken(app, 'typo-client-id', { cookie })).statusCode, 400)
  const line = logs.find('current customer token refused')[0]
  t.equal(line?.level, LEVEL.warn)
  t.match(line?.msg, /"typo-client-id" is not a registered app \(registered: 6sv16tfx3j5gsopm42ss5dd67g2srvq/)
  t.equal(logs.find('current customer token refused').length, 1, 'one line per refusal')
  await getToken(app, APP.clientId, { cookie })
  t.equal(logs.lines.length, 1, 'a registered app logs nothing at warn')
})

t.test('refusal hints speak to every language', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  await app.inject(`/login/token/${sign(loginClaims({ iat: NOW + 0.25 }))}`)
  const untyped = await new SignJWT(loginClaims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(APP.secret))
  await app.inject(`/login/token/${untyped}`)
  const [fractional, noTyp] = app.mock.listRequests()
  t.equal(fractional?.outcome, 'iat')
  t.match(fractional?.hint, /integer seconds/)
  t.match(fractional?.hint, /JavaScript: Math\.floor\(Date\.now\(\) \/ 1000\)/)
  t.match(fractional?.hint, /Python: int\(time\.time\(\)\)/)
  t.equal(noTyp?.outcome, 'typ')
  t.match(noTyp?.hint, /jose's SignJWT .*setProtectedHeader\(\{ alg: 'HS256', typ: 'JWT' \}\)/)
})

t.test('bodiless control calls accept Content-Type: application/json with an empty body', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  await signIn(app, DEMO.john.email, DEMO.john.password)
  const json = { 'content-type': 'application/json' }
  const reset = await app.inject({ method: 'POST', url: '/__mock/reset', headers: json, payload: '' })
  t.equal(reset.statusCode, 200, 'POST /__mock/reset')
  await signIn(app, DEMO.john.email, DEMO.john.password)
  const ended = await app.inject({ method: 'DELETE', url: '/__mock/sessions', headers: json, payload: '' })
  t.equal(ended.statusCode, 200, 'DELETE /__mock/sessions')
  t.same(ended.json(), { ended: 1 })
  const cleared = await app.inject({ method: 'DELETE', url: '/__mock/requests', headers: json })
  t.equal(cleared.statusCode, 200, 'DELETE /__mock/requests with no payload at all')
  const needsBody = await app.inject({ method: 'POST', url: '/__mock/customers', headers: json, payload: '' })
  t.equal(needsBody.statusCode, 400, 'a call that needs a body still says so')
  t.equal(needsBody.json<ErrorAnswer>().code, 'BCMOCK_INVALID_REQUEST')
  const poisoned = await app.inject({
    method: 'POST',
    url: '/__mock/customers',
    headers: json,
    payload: '{"__proto__": {"x": 1}, "email": "a@example.com", "password": "p"}',
  })
  t.equal(poisoned.statusCode, 400, "Fastify's prototype-poisoning guard still applies")
})

t.test('the programmatic API is as strict as the fixture file', async (t) => {
  const misspelt = { tokenTTL: 60 } as Parameters<typeof buildApp>[0]
  t.throws(() => buildApp(misspelt), {
    name: 'MockError',
    code: ERRORS.unknownOption.code,
    field: 'tokenTTL',
    message: /^tokenTTL: not an option; did you mean tokenTtl\?/,
  })
  await t.rejects(startMockStorefront({ maxSesions: 5 } as Parameters<typeof startMockStorefront>[0]), {
    code: 'BCMOCK_UNKNOWN_OPTION',
    message: /did you mean maxSessions\?/,
  })
  t.throws(() => buildApp({ colour: 'red' } as Parameters<typeof buildApp>[0]), {
    message: /^colour: not an option \(options: fixtures, tokenTtl/,
  })
})
