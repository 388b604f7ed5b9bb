// POST /__mock/apps/{client_id}/verify: checks a Current Customer token as the app's backend
// should, by the mock's clock. Every answer is also checked against the documented schema, and
// no answer may contain a client secret (controlClient does both).
import { SignJWT } from 'jose'
import t, { type Test } from 'tap'
import { buildApp } from '../../server/index.js'
import { verifyCurrentCustomerToken } from '../../server/domain/verify-current-customer-token.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn, tamper } from '../helpers/session.js'

interface Verification {
  valid: boolean
  reason: string | null
  detail: string
  header: Record<string, unknown> | null
  claims: (Record<string, unknown> & { iat: number; exp: number; aud: string; customer: { id: number } }) | null
  algorithm: string
  checked_at: number
  expires_in: number | null
}

// Far in the past on purpose: a check by the real clock would call every token expired.
const NOW = 1_600_000_000
const OTHER_APP = { client_id: 'other-hs512-app', client_secret: 'other-app-secret-that-must-never-leak' }

function setup(t: Test) {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const api = controlClient(t, app)
  for (const secret of [DEMO.hs512App.secret, DEMO.hs256App.secret, OTHER_APP.client_secret]) api.secrets.add(secret)
  const mint = async (clientId: string, customerId: number = DEMO.john.id) =>
    (await api.post<{ token: string }>('/__mock/tokens', { client_id: clientId, customer_id: customerId })).body.token
  const verify = (clientId: string, token: unknown) =>
    api.post<Verification>(`/__mock/apps/${encodeURIComponent(clientId)}/verify`, { token })
  return { app, api, mint, verify }
}

// A token with BigCommerce's claims for the HS512 demo app, signed however the test needs.
function forgedToken(options: { alg?: string; secret?: string; claims?: Record<string, unknown> } = {}): Promise<string> {
  const claims = {
    customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: '6' },
    iss: 'bc/apps',
    sub: DEMO.storeHash,
    iat: NOW,
    exp: NOW + 900,
    version: 1,
    aud: DEMO.hs512App.clientId,
    application_id: DEMO.hs512App.clientId,
    store_hash: DEMO.storeHash,
    operation: 'current_customer',
    ...options.claims,
  }
  return new SignJWT(claims)
    .setProtectedHeader({ typ: 'JWT', alg: options.alg ?? 'HS512' })
    .sign(new TextEncoder().encode(options.secret ?? DEMO.hs512App.secret))
}

t.test('a token from the storefront verifies: valid, with its header and claims, by the mock clock', async (t) => {
  const { app, verify } = setup(t)
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const token = (await getToken(app, DEMO.hs512App.clientId, { cookie })).body
  const answer = await verify(DEMO.hs512App.clientId, token)
  t.equal(answer.status, 200)
  t.match(answer.body, {
    valid: true,
    reason: null,
    header: { typ: 'JWT', alg: 'HS512' },
    algorithm: 'HS512',
    checked_at: NOW,
    expires_in: 900,
  })
  t.match(answer.body.claims, {
    customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: '6' },
    aud: DEMO.hs512App.clientId,
    iat: NOW,
    exp: NOW + 900,
  })
  t.match(answer.body.detail, /signature verifies/)

  const hs256 = await verify(DEMO.hs256App.clientId, (await getToken(app, DEMO.hs256App.clientId, { cookie })).body)
  t.match(hs256.body, { valid: true, reason: null, header: { alg: 'HS256' }, algorithm: 'HS256' })
  t.equal(
    (await verify(DEMO.hs512App.clientId, `  ${token}\n`)).body.valid,
    true,
    'surrounding whitespace is a copy-paste slip, not another token',
  )
})

t.test('expiry is judged by the mock clock: exp itself is expired, a second before is not', async (t) => {
  const { api, mint, verify } = setup(t)
  const token = await mint(DEMO.hs512App.clientId)
  await api.put('/__mock/clock', { advance: 899 })
  t.match((await verify(DEMO.hs512App.clientId, token)).body, { valid: true, expires_in: 1 })
  await api.put('/__mock/clock', { advance: 1 })
  const expired = await verify(DEMO.hs512App.clientId, token)
  t.match(expired.body, { valid: false, reason: 'expired', checked_at: NOW + 900, expires_in: 0 })
  t.match(expired.body.detail, /exp 1600000900 has passed by the mock's clock/)
  t.match(expired.body.claims, { customer: { id: DEMO.john.id } }, 'the claims are still shown, decoded')
  await api.put('/__mock/clock', { now: NOW - 10 })
  t.equal((await verify(DEMO.hs512App.clientId, token)).body.valid, true, 'moving the clock back makes it valid again')
})

t.test('a wrong secret or a changed token fails the signature', async (t) => {
  const { mint, verify } = setup(t)
  const wrongSecret = await forgedToken({ secret: 'not-the-client-secret' })
  t.match((await verify(DEMO.hs512App.clientId, wrongSecret)).body, {
    valid: false,
    reason: 'signature',
    claims: { aud: DEMO.hs512App.clientId },
  })

  const token = await mint(DEMO.hs512App.clientId)
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { customer: { id: number } }
  claims.customer.id = DEMO.jane.id
  const otherCustomer = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
  t.match((await verify(DEMO.hs512App.clientId, otherCustomer)).body, {
    valid: false,
    reason: 'signature',
    claims: { customer: { id: DEMO.jane.id } },
  })
  t.match((await verify(DEMO.hs512App.clientId, `${header}.${payload}.${tamper(signature)}`)).body, { valid: false, reason: 'signature' })
  t.equal(
    (await verify(DEMO.hs512App.clientId, await forgedToken())).body.valid,
    true,
    'the same claims signed with the right secret verify',
  )
})

t.test("another app's token fails the audience", async (t) => {
  const { api, mint, verify } = setup(t)
  await api.post('/__mock/apps', { ...OTHER_APP, algorithm: 'HS512' })
  const others = await verify(DEMO.hs512App.clientId, await mint(OTHER_APP.client_id))
  t.match(others.body, { valid: false, reason: 'audience', claims: { aud: OTHER_APP.client_id } })
  t.match(others.body.detail, /is for "other-hs512-app" \(aud\), not app "6sv16tfx3j5gsopm42ss5dd67g2srvq"/)

  // Same secret, other aud: the signature holds, the audience does not.
  const sameSecret = await forgedToken({ claims: { aud: OTHER_APP.client_id } })
  t.match((await verify(DEMO.hs512App.clientId, sameSecret)).body, { valid: false, reason: 'audience' })
  const noAud = await forgedToken({ claims: { aud: undefined } })
  t.match((await verify(DEMO.hs512App.clientId, noAud)).body, { valid: false, reason: 'audience', detail: /has no aud claim/ })
})

t.test("the algorithm must be the app's own, and HMAC", async (t) => {
  const { mint, verify } = setup(t)
  const hs256Token = await mint(DEMO.hs256App.clientId)
  t.match((await verify(DEMO.hs512App.clientId, hs256Token)).body, {
    valid: false,
    reason: 'algorithm',
    detail: /header alg is HS256 but app .* signs with HS512/,
  })
  const hs384 = await forgedToken({ alg: 'HS384' })
  t.match(
    (await verify(DEMO.hs512App.clientId, hs384)).body,
    { valid: false, reason: 'algorithm', header: { alg: 'HS384' } },
    'right secret and aud, wrong algorithm',
  )

  const none = `${Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'none' })).toString('base64url')}.${(await forgedToken()).split('.')[1]}.`
  t.match((await verify(DEMO.hs512App.clientId, none)).body, { valid: false, reason: 'algorithm', detail: /alg is "none"/ })
})

t.test('what is not a JWT, or lacks exp, is named as such', async (t) => {
  const { verify } = setup(t)
  t.match((await verify(DEMO.hs512App.clientId, 'not-a-jwt')).body, {
    valid: false,
    reason: 'malformed',
    header: null,
    claims: null,
    expires_in: null,
  })
  t.match((await verify(DEMO.hs512App.clientId, 'a.b.c')).body, { valid: false, reason: 'malformed' })
  const noExp = await forgedToken({ claims: { exp: undefined } })
  t.match((await verify(DEMO.hs512App.clientId, noExp)).body, {
    valid: false,
    reason: 'claims',
    detail: 'required claim exp is missing',
    expires_in: null,
  })
  const textExp = await forgedToken({ claims: { exp: 'tomorrow' } })
  t.match((await verify(DEMO.hs512App.clientId, textExp)).body, { valid: false, reason: 'claims', detail: /exp must be epoch seconds/ })
})

t.test('unknown app: 404 naming client_id; no token: 400 naming token', async (t) => {
  const { api, mint, verify } = setup(t)
  const unknown = await verify('no-such-app', await mint(DEMO.hs512App.clientId))
  t.equal(unknown.status, 404)
  t.match((unknown.body as unknown as ErrorAnswer).errors, { client_id: /No app with client id "no-such-app" \(registered: / })

  for (const body of [{}, { token: '' }, { token: 42 }]) {
    const answer = await api.post<ErrorAnswer>(`/__mock/apps/${DEMO.hs512App.clientId}/verify`, body)
    t.equal(answer.status, 400, JSON.stringify(body))
    t.ok(answer.body.errors.token, `errors.token for ${JSON.stringify(body)}: ${answer.body.title}`)
  }
  const noBody = await api.post<ErrorAnswer>(`/__mock/apps/${DEMO.hs512App.clientId}/verify`)
  t.equal(noBody.status, 400)
  const extra = await api.post<ErrorAnswer>(`/__mock/apps/${DEMO.hs512App.clientId}/verify`, { token: 'x', secret: 'y' })
  t.equal(extra.status, 400)
  t.match(extra.body.errors, { secret: /not accepted here/ })
})

t.test('the control API rules apply: off answers 403, an admin token is needed when set', async (t) => {
  const off = buildApp({ now: NOW, admin: false })
  t.teardown(() => off.close())
  const offAnswer = await off.inject({ method: 'POST', url: `/__mock/apps/${DEMO.hs512App.clientId}/verify`, payload: { token: 'x' } })
  t.equal(offAnswer.statusCode, 403)

  const guarded = buildApp({ now: NOW, adminToken: 'admin-token-for-verify-test' })
  t.teardown(() => guarded.close())
  const url = `/__mock/apps/${DEMO.hs512App.clientId}/verify`
  t.equal((await guarded.inject({ method: 'POST', url, payload: { token: 'x' } })).statusCode, 401)
  const allowed = await guarded.inject({
    method: 'POST',
    url,
    payload: { token: 'x' },
    headers: { authorization: 'Bearer admin-token-for-verify-test' },
  })
  t.equal(allowed.statusCode, 200)
  t.equal(allowed.json<{ reason: string }>().reason, 'malformed')
})

t.test('the domain function is the one the route uses, and takes the clock as an argument', async (t) => {
  const { app, mint } = setup(t)
  const registered = app.mock.lookupApp(DEMO.hs512App.clientId)
  if (!registered) throw new Error('demo app missing')
  const token = await mint(DEMO.hs512App.clientId)
  t.match(await verifyCurrentCustomerToken(registered, token, NOW * 1000), { valid: true, checkedAt: NOW, expiresIn: 900 })
  t.match(await verifyCurrentCustomerToken(registered, token, (NOW + 900) * 1000), { valid: false, reason: 'expired' })
  t.match(
    await verifyCurrentCustomerToken(registered, token, (NOW + 899) * 1000 + 999),
    { valid: true, checkedAt: NOW + 899, expiresIn: 1 },
    'milliseconds before exp are still before it',
  )
})
