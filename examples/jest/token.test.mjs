// An ESM Jest test file, run as Jest's documentation says for ESM:
// `node --experimental-vm-modules node_modules/jest/bin/jest.js`. A mock per test, and the token
// a signed-in shopper's page gets, verified with jsonwebtoken as an app's backend verifies it.
import jwt from 'jsonwebtoken'
import { loadFixtures, startMockStorefront } from 'bigcommerce-mock-storefront'

// The default fixtures' demo app that signs as production does (HS512): its client id and secret.
const app = loadFixtures().apps.find((candidate) => candidate.algorithm === 'HS512')

let storefront
beforeEach(async () => {
  storefront = await startMockStorefront()
})
afterEach(() => storefront.close())

test('a signed-in shopper gets a token my backend accepts', async () => {
  const cookie = storefront.login('john.doe@example.com')
  const response = await fetch(`${storefront.url}/customer/current.jwt?app_client_id=${app.clientId}`, { headers: { cookie } })
  expect(response.status).toBe(200)

  const claims = jwt.verify(await response.text(), app.clientSecret, { algorithms: ['HS512'], audience: app.clientId })
  expect(claims).toMatchObject({ customer: { id: 4927, email: 'john.doe@example.com', group_id: '6' }, store_hash: 'abc123' })
})

test('a Customer Login URL signs the shopper in and lands on redirect_to', async () => {
  const url = await storefront.customerLoginUrl(app.clientId, 4927, '/cart.php')
  const response = await fetch(url, { redirect: 'manual' })
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toBe('/cart.php')
  expect(storefront.requests().at(-1)).toMatchObject({ status: 302, customerId: 4927 })
})
