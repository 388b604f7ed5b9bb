import t from 'tap'
import { jwtVerify } from 'jose'
import { startMockStorefront } from 'bigcommerce-mock-storefront'

// The app backend's code: the Management API's base URL is a setting, BigCommerce's by default.
const API_URL = () => process.env.BIGCOMMERCE_API_URL ?? 'https://api.bigcommerce.com'

async function whoIsThis(token: string, app: { clientId: string; clientSecret: string; accessToken: string }) {
  const { payload } = await jwtVerify<{ customer: { id: number; email: string }; store_hash: string }>(
    token,
    new TextEncoder().encode(app.clientSecret),
    { algorithms: ['HS256', 'HS512'], audience: app.clientId },
  )
  const api = (path: string) =>
    fetch(`${API_URL()}/stores/${payload.store_hash}${path}`, { headers: { 'X-Auth-Token': app.accessToken, Accept: 'application/json' } })
  const customers = (await (await api(`/v3/customers?id:in=${payload.customer.id}`)).json()) as { data: { email: string }[] }
  const orders = await api(`/v2/orders?customer_id=${payload.customer.id}`) // 204 when there are none
  return { email: customers.data[0]?.email, orders: orders.status === 204 ? [] : ((await orders.json()) as { id: number }[]) }
}

t.test('my backend reads the customer from the Management API the mock serves', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  process.env.BIGCOMMERCE_API_URL = storefront.url // the mock serves /stores/{store_hash}/... on its own origin
  t.teardown(() => delete process.env.BIGCOMMERCE_API_URL)

  const app = {
    clientId: '6sv16tfx3j5gsopm42ss5dd67g2srvq', // the fixtures' demo app
    clientSecret: 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes',
    accessToken: 'demo-access-token-6sv16tfx3j5gsopm42ss5dd67g2srvq', // its access_token in the fixtures
  }
  const answer = await whoIsThis(storefront.mintToken(app.clientId, 4927), app)
  t.equal(answer.email, 'john.doe@example.com', "the API's customer is the token's")
  t.ok(answer.orders.length > 0, 'with their orders')
})
