import t from 'tap'
import { BigCommerceOAuthClient } from 'bigcommerce-oauth-client'
import { startMockStorefront } from 'bigcommerce-mock-storefront'

// The fixtures' HS256 app: the library verifies HS256 only.
const CLIENT_ID = 'hs256demo0app0client0id00000000'
const CLIENT_SECRET = 'demo-client-secret-hs256demo0app0client0id00000000-at-least-64-bytes'

t.test('bigcommerce-oauth-client against the mock', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const MOCK_URL = storefront.url
  const bc = new BigCommerceOAuthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, storeHash: 'abc123' })

  // A Customer Login URL (a backend would res.redirect to it): signs in, lands on /account.php.
  const login = await fetch(`${MOCK_URL}/login/token/${bc.createCustomerLoginJwt(4927)}`, { redirect: 'manual' })
  t.equal(login.status, 302)
  t.equal(login.headers.get('location'), '/account.php')

  // A Current Customer token from the storefront, verified as the app backend would.
  const tokenFromStorefront = storefront.mintToken(CLIENT_ID, 4927)
  t.match(bc.verifyCustomerJwt(tokenFromStorefront), { customer: { id: 4927 } })
})
