// The Management API through the MSW handlers as app code meets it: msw/node's setupServer and
// real fetch calls to https://api.bigcommerce.com, with no server and no change of host. The
// example app backend (examples/app-backend/server.mjs) runs in this process with its production
// API URL: it verifies a token the handlers signed and asks the handlers' Management API about
// the customer, so a whole app flow runs offline.
import jwt from 'jsonwebtoken'
import { getResponse } from 'msw'
import { setupServer } from 'msw/node'
import t from 'tap'
import { createMockStorefrontHandlers } from '../../server/msw/index.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = Math.floor(Date.now() / 1000)
const API = `https://api.bigcommerce.com/stores/${DEMO.storeHash}`
const AUTH = { 'x-auth-token': DEMO.hs512App.accessToken, 'x-auth-client': DEMO.hs512App.clientId, accept: 'application/json' }

/** What the example backend's module exports that the test uses. */
interface BackendModule {
  readConfig(env: Record<string, string | undefined>): unknown
  createBackend(config: unknown): {
    inject(request: { method: 'POST'; url: string; payload: unknown }): Promise<{ statusCode: number; json(): unknown }>
    close(): Promise<void>
  }
}

const { handlers, storefront } = createMockStorefrontHandlers({ now: NOW })
const server = setupServer(...handlers)
server.listen({ onUnhandledFrame: 'error' })
t.teardown(() => server.close())
t.beforeEach(() => storefront.reset())

async function currentCustomerToken(): Promise<string> {
  storefront.login(DEMO.john.email)
  const response = await fetch(`http://localhost:3100/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`)
  return response.text()
}

t.test('the token names the customer GET /v3/customers?id:in= answers, on https://api.bigcommerce.com', async (t) => {
  const token = await currentCustomerToken()
  const claims = jwt.verify(token, DEMO.hs512App.secret, { algorithms: ['HS512'], audience: DEMO.hs512App.clientId }) as {
    store_hash: string
    customer: { id: number; email: string; group_id: string }
  }
  const response = await fetch(`https://api.bigcommerce.com/stores/${claims.store_hash}/v3/customers?id:in=${claims.customer.id}`, {
    headers: AUTH,
  })
  t.equal(response.status, 200)
  t.equal(response.headers.get('x-rate-limit-requests-quota'), '150', "BigCommerce's rate-limit headers")
  const body = (await response.json()) as { data: { id: number; email: string; customer_group_id: number }[] }
  t.equal(body.data[0]?.id, claims.customer.id)
  t.equal(body.data[0]?.email, claims.customer.email)
  t.equal(body.data[0]?.customer_group_id, Number(claims.customer.group_id), 'the group: an integer here, a string in the token')

  const orders = (await (await fetch(`${API}/v2/orders?customer_id=${claims.customer.id}`, { headers: AUTH })).json()) as {
    id: number
    customer_id: number
  }[]
  t.ok(orders.length > 0, 'the demo customer has orders')
  t.ok(
    orders.every((order) => order.customer_id === claims.customer.id),
    'all of them theirs',
  )

  const entries = storefront.requests().filter((entry) => entry.path.startsWith('/stores/'))
  t.same(
    entries.map(({ method, path, status, customerId, clientId, outcome }) => ({ method, path, status, customerId, clientId, outcome })),
    [
      {
        method: 'GET',
        path: `/stores/${DEMO.storeHash}/v3/customers?id%3Ain=${DEMO.john.id}`,
        status: 200,
        customerId: DEMO.john.id,
        clientId: DEMO.hs512App.clientId,
        outcome: 'ok',
      },
      {
        method: 'GET',
        path: `/stores/${DEMO.storeHash}/v2/orders?customer_id=${DEMO.john.id}`,
        status: 200,
        customerId: DEMO.john.id,
        clientId: DEMO.hs512App.clientId,
        outcome: 'ok',
      },
    ],
    'the request log has both calls, with the app and the customer',
  )
  t.notMatch(JSON.stringify(storefront.requests()), DEMO.hs512App.accessToken, 'and never the access token')
})

t.test('the example app backend, in this process with its production API URL: verify, then the customer from the API', async (t) => {
  const backend = (await import(new URL('../../examples/app-backend/server.mjs', import.meta.url).href)) as BackendModule
  const app = backend.createBackend(backend.readConfig({ BIGCOMMERCE_API_URL: 'https://api.bigcommerce.com' }))
  t.teardown(() => app.close())
  const token = await currentCustomerToken()
  const logged = t.capture(console, 'log')
  const verified = await app.inject({ method: 'POST', url: '/verify', payload: { token } })
  t.equal(verified.statusCode, 200)
  t.match(verified.json(), {
    customer: { id: DEMO.john.id, email: DEMO.john.email },
    details: {
      name: 'John Doe',
      email: DEMO.john.email,
      group: { id: 6, name: 'Wholesale' },
      attributes: [{ name: 'Shoe size' }, { name: 'Loyalty tier' }],
      recent_orders: [{ id: Number }],
    },
  })
  t.match(logged()[0]?.args.join(' '), /group Wholesale/)

  storefront.faults.add({ route: 'api-orders', effect: 'status', status: 429, times: 1 })
  const limited = await app.inject({ method: 'POST', url: '/verify', payload: { token } })
  t.match(limited.json(), { details_error: { status: 429 } }, 'a Management API fault reaches the backend as on BigCommerce')
})

t.test('a 429 fault carries the rate-limit headers; a write is undone by reset()', async (t) => {
  storefront.faults.add({ route: 'api-customers', effect: 'status', status: 429, times: 1 })
  const limited = await fetch(`${API}/v3/customers`, { headers: AUTH })
  t.equal(limited.status, 429)
  t.equal(limited.headers.get('x-rate-limit-requests-left'), '0')
  t.equal(limited.headers.get('x-rate-limit-time-reset-ms'), '1000')
  t.match(limited.headers.get('x-mock-fault'), /api-customers|status/)

  const created = await fetch(`${API}/v3/customers`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify([{ email: 'offline@example.com', first_name: 'Off', last_name: 'Line' }]),
  })
  t.equal(created.status, 200)
  const lookup = () => fetch(`${API}/v3/customers?email:in=offline@example.com`, { headers: AUTH }).then((r) => r.json())
  t.equal(((await lookup()) as { data: unknown[] }).data.length, 1, 'the new customer is in the store')
  storefront.reset()
  t.equal(((await lookup()) as { data: unknown[] }).data.length, 0, 'and gone after reset()')
})

t.test('where the handlers answer: api.bigcommerce.com and the origin; never an app’s own /stores routes', async (t) => {
  const scoped = createMockStorefrontHandlers({ origin: 'http://localhost:5173' }).handlers
  const ask = (url: string) => getResponse(scoped, new Request(url, { headers: AUTH }))
  t.equal((await ask(`${API}/v2/customer_groups`))?.status, 200, 'https://api.bigcommerce.com')
  t.equal((await ask(`http://localhost:5173/stores/${DEMO.storeHash}/v2/customer_groups`))?.status, 200, 'the origin')
  t.equal(await ask(`http://elsewhere.test/stores/${DEMO.storeHash}/v2/customer_groups`), undefined, 'not another origin')
  t.equal(await ask(`http://localhost:5173/stores/${DEMO.storeHash}/settings`), undefined, 'not an app’s own /stores route')
  t.equal((await ask(`${API}/v3/catalog/products`))?.status, 404, 'a BigCommerce path the mock does not serve: its 404')
  const anywhere = createMockStorefrontHandlers().handlers
  t.equal(
    (await getResponse(anywhere, new Request(`http://elsewhere.test/stores/${DEMO.storeHash}/v2/customer_groups`, { headers: AUTH })))
      ?.status,
    200,
    'without origin: any origin, as the storefront routes',
  )
})
