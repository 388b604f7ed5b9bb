// node:test for an app backend that hard-codes https://api.bigcommerce.com: the MSW handlers
// answer the Management API there, from the same store that signs the storefront's tokens, so
// the backend's code runs unchanged and offline: verify the token, then ask about the customer.
import assert from 'node:assert/strict'
import { after, before, beforeEach, test } from 'node:test'
import { createMockStorefrontHandlers } from 'bigcommerce-mock-storefront/msw'
import jwt from 'jsonwebtoken'
import { setupServer } from 'msw/node'

const CLIENT_ID = '6sv16tfx3j5gsopm42ss5dd67g2srvq'
const CLIENT_SECRET = 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes'
const ACCESS_TOKEN = 'demo-access-token-6sv16tfx3j5gsopm42ss5dd67g2srvq'

/** The app backend under test, as it runs in production. */
async function customerOf(token) {
  const claims = jwt.verify(token, CLIENT_SECRET, { algorithms: ['HS256', 'HS512'], audience: CLIENT_ID })
  const base = `https://api.bigcommerce.com/stores/${claims.store_hash}`
  const headers = { 'x-auth-token': ACCESS_TOKEN, 'x-auth-client': CLIENT_ID, accept: 'application/json' }
  const response = await fetch(`${base}/v3/customers?id:in=${claims.customer.id}`, { headers })
  if (!response.ok) throw new Error(`GET /v3/customers answered ${response.status}`)
  const [customer] = (await response.json()).data
  const orders = await fetch(`${base}/v2/orders?customer_id=${customer.id}`, { headers })
  // V2 answers an empty list with 204 No Content.
  return { claims, customer, orders: orders.status === 204 ? [] : await orders.json() }
}

const server = setupServer()
// msw 3 calls the option onUnhandledFrame, msw 2 onUnhandledRequest: this file runs under both.
before(() => server.listen({ onUnhandledFrame: 'error', onUnhandledRequest: 'error' }))
after(() => server.close())

let storefront
beforeEach(() => {
  const mock = createMockStorefrontHandlers()
  storefront = mock.storefront
  server.resetHandlers(...mock.handlers)
})

const currentToken = async () => (await fetch(`https://my-store.example/customer/current.jwt?app_client_id=${CLIENT_ID}`)).text()

test('the Management API answers the customer the token names', async () => {
  storefront.login('john.doe@example.com')
  const { claims, customer, orders } = await customerOf(await currentToken())
  assert.equal(customer.id, claims.customer.id)
  assert.equal(customer.email, claims.customer.email)
  // An integer in the API, a string in the token: one value.
  assert.equal(customer.customer_group_id, Number(claims.customer.group_id))
  assert.deepEqual(
    orders.map((order) => order.id),
    [100, 101],
  )
})

test('a 429 from the Management API, with its rate-limit headers', async () => {
  storefront.login('jane.roe@example.com')
  storefront.faults.add({ route: 'api-customers', effect: 'status', status: 429, times: 1 })
  await assert.rejects(customerOf(await currentToken()), /answered 429/)
  const retry = await customerOf(await currentToken())
  assert.equal(retry.customer.email, 'jane.roe@example.com')
  const [limited] = storefront.requests().filter((entry) => entry.outcome === 'fault:status')
  assert.equal(limited.status, 429)
})
