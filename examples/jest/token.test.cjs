// A CommonJS Jest test file, run by Jest 30 with its default configuration (no transform, no
// flag): a mock per test, and the token a signed-in shopper's page gets, verified with
// jsonwebtoken as an app's backend verifies it.
const jwt = require('jsonwebtoken')
const { startMockStorefront, loadFixtures } = require('bigcommerce-mock-storefront')

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

test('my backend rejects an expired token', () => {
  storefront.clock.set(1700000000)
  const token = storefront.mintToken(app.clientId, 4927)
  expect(() =>
    jwt.verify(token, app.clientSecret, { algorithms: ['HS512'], audience: app.clientId, clockTimestamp: 1700000000 + 901 }),
  ).toThrow(jwt.TokenExpiredError)
})
