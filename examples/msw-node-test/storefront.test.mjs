// node:test with msw/node: the storefront's routes answer in this process, on any origin, with
// no server started. Tokens are verified with jose and with jsonwebtoken, as app backends do.
import assert from 'node:assert/strict'
import { after, before, beforeEach, test } from 'node:test'
import { createMockStorefrontHandlers } from 'bigcommerce-mock-storefront/msw'
import { jwtVerify } from 'jose'
import jwt from 'jsonwebtoken'
import { setupServer } from 'msw/node'

const STORE = 'https://my-store.example' // any origin: the handlers answer on every one
const CLIENT_ID = '6sv16tfx3j5gsopm42ss5dd67g2srvq'
const CLIENT_SECRET = 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes'
const NOW = 1480831863

const server = setupServer()
// msw 3 calls the option onUnhandledFrame, msw 2 onUnhandledRequest: this file runs under both.
before(() => server.listen({ onUnhandledFrame: 'error', onUnhandledRequest: 'error' }))
after(() => server.close())

let storefront
beforeEach(() => {
  const mock = createMockStorefrontHandlers({ now: NOW })
  storefront = mock.storefront
  server.resetHandlers(...mock.handlers)
})

const tokenUrl = `${STORE}/customer/current.jwt?app_client_id=${CLIENT_ID}`

test('the sign-in form starts a session; its token verifies with jose and jsonwebtoken', async () => {
  const signIn = await fetch(`${STORE}/login.php?action=check_login`, {
    method: 'POST',
    body: new URLSearchParams({ login_email: 'john.doe@example.com', login_pass: 'letmein' }),
    redirect: 'manual',
  })
  assert.equal(signIn.status, 302)
  const cookie = signIn.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
  assert.match(cookie, /SHOP_SESSION_TOKEN=.+; SHOP_TOKEN=.+/)

  const response = await fetch(tokenUrl, { headers: { cookie } })
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('cache-control'), 'no-store')
  const token = await response.text()

  const { payload } = await jwtVerify(token, new TextEncoder().encode(CLIENT_SECRET), {
    audience: CLIENT_ID,
    currentDate: new Date(NOW * 1000),
  })
  assert.deepEqual(payload.customer, { id: 4927, email: 'john.doe@example.com', group_id: '6' })
  const claims = jwt.verify(token, CLIENT_SECRET, { algorithms: ['HS512'], audience: CLIENT_ID, clockTimestamp: NOW })
  assert.equal(claims.exp, NOW + 900)
})

test('the handle signs the page in and out; a guest gets 404, an unknown app 400', async () => {
  storefront.login('jane.roe@example.com')
  const json = await fetch(tokenUrl, { headers: { accept: 'application/json' } })
  const { token } = await json.json()
  assert.equal(jwt.verify(token, CLIENT_SECRET, { clockTimestamp: NOW }).customer.id, 4928)

  storefront.logout()
  assert.equal((await fetch(tokenUrl)).status, 404)
  const unknown = await fetch(`${STORE}/customer/current.jwt?app_client_id=not-an-app`)
  assert.equal(unknown.status, 400)
  assert.match(await unknown.text(), /app_client_id/)
})

test('a Customer Login URL signs the shopper in once, then is refused', async () => {
  const url = await storefront.customerLoginUrl(CLIENT_ID, 4927, '/cart.php')
  const first = await fetch(new URL(url, STORE), { redirect: 'manual' })
  assert.equal(first.status, 302)
  assert.equal(first.headers.get('location'), '/cart.php')
  const again = await fetch(new URL(url, STORE), { redirect: 'manual' })
  assert.equal(again.headers.get('location'), '/login.php')
  assert.deepEqual(
    storefront.requests().map(({ status, outcome }) => ({ status, outcome })),
    [
      { status: 302, outcome: 'ok' },
      { status: 302, outcome: 'jti_reused' },
    ],
  )
})

test('faults and the clock', async () => {
  storefront.login('john.doe@example.com')
  storefront.faults.add({ route: 'current-customer', effect: 'status', status: 503, times: 1 })
  assert.equal((await fetch(tokenUrl)).status, 503)

  storefront.clock.advance(3600)
  const token = await (await fetch(tokenUrl)).text()
  assert.equal(jwt.decode(token).iat, NOW + 3600)
})
