import t from 'tap'
import jwt from 'jsonwebtoken'
import { randomUUID } from 'node:crypto'
import { startMockStorefront } from 'bigcommerce-mock-storefront'

const CLIENT_ID = '6sv16tfx3j5gsopm42ss5dd67g2srvq' // a client id from the fixtures
const CLIENT_SECRET = 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes'

t.test('a Customer Login URL my backend signs lands the shopper on redirect_to, signed in', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const MOCK_URL = storefront.url

  // What the app backend does: sign the JWT with the client secret, send the browser to the URL.
  const token = jwt.sign(
    {
      iss: CLIENT_ID,
      iat: Math.floor(Date.now() / 1000), // integer seconds
      jti: randomUUID(), // new for every URL
      operation: 'customer_login',
      store_hash: 'abc123',
      customer_id: 4927,
      redirect_to: '/cart.php', // optional, default /account.php
    },
    CLIENT_SECRET,
    { algorithm: 'HS256' }, // jsonwebtoken adds typ: "JWT"
  )
  const response = await fetch(`${MOCK_URL}/login/token/${token}`, { redirect: 'manual' }) // res.redirect(...) in a backend

  t.equal(response.status, 302)
  t.equal(response.headers.get('location'), '/cart.php')
  t.match(response.headers.getSetCookie().join('\n'), /SHOP_SESSION_TOKEN=/, 'signed in')
})
