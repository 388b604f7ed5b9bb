import t from 'tap'
import { jwtVerify } from 'jose'
import { startMockStorefront } from 'bigcommerce-mock-storefront'

const CLIENT_ID = '6sv16tfx3j5gsopm42ss5dd67g2srvq'
const CLIENT_SECRET = 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes'
const secret = new TextEncoder().encode(CLIENT_SECRET)

t.test('the storefront hands my app a verifiable current-customer token', async (t) => {
  const storefront = await startMockStorefront({ now: 1480831863 })
  t.teardown(() => storefront.close())

  const cookie = storefront.login('john.doe@example.com')
  const response = await fetch(`${storefront.url}/customer/current.jwt?app_client_id=${CLIENT_ID}`, { headers: { cookie } })
  t.equal(response.status, 200)

  const { payload } = await jwtVerify(await response.text(), secret, { audience: CLIENT_ID, currentDate: new Date(1480831863 * 1000) })
  t.match(payload, { customer: { id: 4927, email: 'john.doe@example.com', group_id: '6' } })
})

t.test('my backend rejects an expired token', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())

  storefront.clock.set(1700000000)
  const token = storefront.mintToken(CLIENT_ID, 4927)
  await t.rejects(jwtVerify(token, secret, { audience: CLIENT_ID, currentDate: new Date((1700000000 + 901) * 1000) }), {
    code: 'ERR_JWT_EXPIRED',
  })
})

t.test('a Customer Login URL signs the shopper in and lands on redirect_to', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())

  const url = await storefront.customerLoginUrl(CLIENT_ID, 4927, '/cart.php')
  const response = await fetch(url, { redirect: 'manual' })
  t.equal(response.status, 302)
  t.equal(response.headers.get('location'), '/cart.php')
  t.match(storefront.requests().at(-1), { path: '/login/token/[redacted]', status: 302, customerId: 4927 })
})
