import t, { type Test } from 'tap'
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import jwt from 'jsonwebtoken'
import { buildApp } from '../../server/index.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

interface TokenAnswer {
  token: string
  claims: Record<string, unknown> & { iat: number; exp: number }
}
interface LoginUrl {
  url: string
  path: string
}

const NOW = 1_700_000_000
const key = (secret: string) => new TextEncoder().encode(secret)

function setup(t: Test) {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  return { app, api: controlClient(t, app) }
}

t.test('POST /__mock/tokens mints exactly the token the storefront would', async (t) => {
  const { app, api } = setup(t)
  const minted = await api.post<TokenAnswer>('/__mock/tokens', { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id })
  t.equal(minted.status, 200)
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const fromStorefront = (await getToken(app, DEMO.hs512App.clientId, { cookie })).body
  t.equal(minted.body.token, fromStorefront, 'byte for byte, at the same instant')

  const { payload, protectedHeader } = await jwtVerify(minted.body.token, key(DEMO.hs512App.secret), {
    algorithms: ['HS512'],
    audience: DEMO.hs512App.clientId,
    currentDate: new Date(NOW * 1000),
  })
  t.same(protectedHeader, { typ: 'JWT', alg: 'HS512' })
  t.same(payload, minted.body.claims, 'the answer lists the claims the token carries')
  t.match(payload, {
    customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: '6' },
    iss: 'bc/apps',
    sub: 'abc123',
    iat: NOW,
    exp: NOW + 900,
    operation: 'current_customer',
  })
})

t.test('a token for the HS256 app verifies with jsonwebtoken, as node-bigcommerce verifies it', async (t) => {
  const { api } = setup(t)
  const minted = await api.post<TokenAnswer>('/__mock/tokens', { client_id: DEMO.hs256App.clientId, customer_id: DEMO.jane.id })
  const verified = jwt.verify(minted.body.token, DEMO.hs256App.secret, {
    algorithms: ['HS256'],
    audience: DEMO.hs256App.clientId,
    clockTimestamp: NOW,
  }) as jwt.JwtPayload
  t.equal((verified.customer as { id: number }).id, DEMO.jane.id)
  t.throws(
    () => jwt.verify(minted.body.token, DEMO.hs512App.secret, { algorithms: ['HS256'], clockTimestamp: NOW }),
    "another app's secret does not verify it",
  )
})

t.test('moving the clock moves iat and exp', async (t) => {
  const { api } = setup(t)
  const mint = async () =>
    (await api.post<TokenAnswer>('/__mock/tokens', { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id })).body.claims
  t.equal((await mint()).iat, NOW)
  await api.put('/__mock/clock', { advance: 120 })
  t.match(await mint(), { iat: NOW + 120, exp: NOW + 120 + 900 })
  await api.put('/__mock/clock', { now: 1_800_000_000 })
  t.match(await mint(), { iat: 1_800_000_000, exp: 1_800_000_900 })
  await api.delete('/__mock/clock')
  const realNow = Math.floor(Date.now() / 1000)
  const { iat } = await mint()
  t.ok(Math.abs(iat - realNow) <= 2, `back to real time (${iat} vs ${realNow})`)
})

t.test('POST /__mock/tokens: 404 for an unknown app or customer, 400 naming the field', async (t) => {
  const { api } = setup(t)
  const unknownApp = await api.post<ErrorAnswer>('/__mock/tokens', { client_id: 'nope', customer_id: DEMO.john.id })
  t.equal(unknownApp.status, 404)
  t.match(unknownApp.body, { code: 'BCMOCK_UNKNOWN_APP', errors: { client_id: /registered: / } })
  const unknownCustomer = await api.post<ErrorAnswer>('/__mock/tokens', { client_id: DEMO.hs512App.clientId, customer_id: 999_999 })
  t.equal(unknownCustomer.status, 404)
  t.ok(unknownCustomer.body.errors.customer_id)
  for (const [body, field] of [
    [{ customer_id: DEMO.john.id }, 'client_id'],
    [{ client_id: DEMO.hs512App.clientId }, 'customer_id'],
    [{ client_id: DEMO.hs512App.clientId, customer_id: 'john' }, 'customer_id'],
    [{ client_id: 42, customer_id: DEMO.john.id }, 'client_id'],
    [{ client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id, app_client_id: 'x' }, 'app_client_id'],
  ] as const) {
    const answer = await api.post<ErrorAnswer>('/__mock/tokens', body)
    t.equal(answer.status, 400, JSON.stringify(body))
    t.ok(answer.body.errors[field], answer.body.title)
  }
})

t.test('POST /__mock/customer-login-url signs a token as an app backend would', async (t) => {
  const { api } = setup(t)
  const answer = await api.post<LoginUrl>('/__mock/customer-login-url', {
    client_id: DEMO.hs512App.clientId,
    customer_id: DEMO.john.id,
    redirect_to: '/cart.php?x=1',
  })
  t.equal(answer.status, 200)
  t.match(answer.body.path, /^\/login\/token\/[\w-]+\.[\w-]+\.[\w-]+$/)
  t.equal(answer.body.url, `http://localhost:80${answer.body.path}`, 'absolute, on the origin the request came to')
  const token = answer.body.path.slice('/login/token/'.length)
  t.same(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' })
  // Verified independently, as a real app backend's library would read it.
  const claims = jwt.verify(token, DEMO.hs512App.secret, { algorithms: ['HS256'], clockTimestamp: NOW }) as jwt.JwtPayload
  t.same(Object.keys(claims).sort(), ['customer_id', 'iat', 'iss', 'jti', 'operation', 'redirect_to', 'store_hash'])
  t.match(claims, {
    iss: DEMO.hs512App.clientId,
    iat: NOW,
    operation: 'customer_login',
    store_hash: 'abc123',
    customer_id: DEMO.john.id,
    redirect_to: '/cart.php?x=1',
  })
  t.match(claims.jti, /^[0-9a-f-]{36}$/)

  const other = await api.post<LoginUrl>('/__mock/customer-login-url', { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id })
  const otherClaims = decodeJwt(other.body.path.slice('/login/token/'.length))
  t.not(otherClaims.jti, claims.jti, 'a fresh jti every time')
  t.notOk('redirect_to' in otherClaims, 'no redirect_to unless asked for')
})

t.test('a customer-login URL works when followed: 302 to redirect_to with session cookies, once', async (t) => {
  const { app, api } = setup(t)
  const { body } = await api.post<LoginUrl>('/__mock/customer-login-url', {
    client_id: DEMO.hs256App.clientId,
    customer_id: DEMO.jane.id,
    redirect_to: '/cart.php',
  })
  const followed = await app.inject({ method: 'GET', url: body.path })
  t.equal(followed.statusCode, 302)
  t.equal(followed.headers.location, '/cart.php')
  const cookie = followed.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  t.match(cookie, /SHOP_SESSION_TOKEN=.+; SHOP_TOKEN=.+/)
  const token = await getToken(app, DEMO.hs256App.clientId, { cookie })
  t.equal(token.statusCode, 200)
  t.equal((decodeJwt(token.body).customer as { id: number }).id, DEMO.jane.id, 'signed in as the customer the URL named')

  const replay = await app.inject({ method: 'GET', url: body.path })
  t.equal(replay.statusCode, 302)
  t.equal(replay.headers.location, '/login.php', 'the same URL works only once')

  const noRedirect = await api.post<LoginUrl>('/__mock/customer-login-url', {
    client_id: DEMO.hs256App.clientId,
    customer_id: DEMO.jane.id,
  })
  t.equal((await app.inject({ method: 'GET', url: noRedirect.body.path })).headers.location, '/account.php', 'default redirect')
})

t.test("a customer-login URL's iat follows the mock clock", async (t) => {
  const { app, api } = setup(t)
  await api.put('/__mock/clock', { now: 1_750_000_000 })
  const { body } = await api.post<LoginUrl>('/__mock/customer-login-url', { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id })
  t.equal(decodeJwt(body.path.slice('/login/token/'.length)).iat, 1_750_000_000)
  await api.put('/__mock/clock', { advance: 31 })
  const stale = await app.inject({ method: 'GET', url: body.path })
  t.equal(stale.headers.location, '/login.php', 'refused once the clock has moved past its 30 seconds')
})

t.test('POST /__mock/customer-login-url: unsafe redirect_to and bad ids', async (t) => {
  const { api } = setup(t)
  for (const redirect of [
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    'account.php',
    '/a\nb',
    '/a\u0000b',
    '',
    `/${'a'.repeat(2048)}`,
  ]) {
    const answer = await api.post<ErrorAnswer>('/__mock/customer-login-url', {
      client_id: DEMO.hs512App.clientId,
      customer_id: DEMO.john.id,
      redirect_to: redirect,
    })
    t.equal(answer.status, 400, JSON.stringify(redirect.slice(0, 20)))
    t.ok(answer.body.errors.redirect_to, answer.body.title.slice(0, 100))
  }
  t.equal((await api.post('/__mock/customer-login-url', { client_id: 'nope', customer_id: DEMO.john.id })).status, 404)
  t.equal((await api.post('/__mock/customer-login-url', { client_id: DEMO.hs512App.clientId, customer_id: 999_999 })).status, 404)
  const missing = await api.post<ErrorAnswer>('/__mock/customer-login-url', { client_id: DEMO.hs512App.clientId })
  t.equal(missing.status, 400)
  t.ok(missing.body.errors.customer_id)
  const nodeBigcommerceStyle = await api.post<ErrorAnswer>('/__mock/customer-login-url', {
    client_id: DEMO.hs512App.clientId,
    customer_id: DEMO.john.id,
    redirect_url: '/x',
  })
  t.equal(nodeBigcommerceStyle.status, 400)
  t.match(nodeBigcommerceStyle.body.errors.redirect_url, /not accepted here.*redirect_to/)
})
