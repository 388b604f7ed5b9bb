// The Management API under faults (status with a 429's rate-limit headers, delay, hang, reset,
// narrowed by app and customer), in the request log (outcome and hint), and after
// POST /__mock/reset (customers, attributes, values and orders back to the fixtures').
import t, { type Test } from 'tap'
import { buildApp, startMockStorefront } from '../../server/index.js'
import { controlClient } from '../helpers/control.js'
import { managementClient, type V2Error, type V3Error } from '../helpers/management.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000

interface Entry {
  method: string
  path: string
  status: number
  outcome: string
  hint: string | null
  customer_id: number | null
  client_id: string | null
}

function setUp(t: Test, options: Parameters<typeof buildApp>[0] = {}) {
  const app = buildApp({ now: NOW, ...options })
  t.teardown(() => app.close())
  const control = controlClient(t, app)
  const lastEntry = async () => (await control.get<{ requests: Entry[] }>('/__mock/requests')).body.requests.at(-1)
  return { app, api: managementClient(t, app), control, lastEntry }
}

t.test(
  'status on each api-* route: the fault status in the route version shape, times counted; a 429 with rate-limit headers',
  async (t) => {
    const { api, control, lastEntry } = setUp(t)
    const routes: [string, string, 'v2' | 'v3'][] = [
      ['api-customers', `/v3/customers?id:in=${DEMO.john.id}`, 'v3'],
      ['api-customers', `/v2/customers/${DEMO.john.id}`, 'v2'],
      ['api-attributes', '/v3/customers/attribute-values', 'v3'],
      ['api-customer-groups', '/v2/customer_groups', 'v2'],
      ['api-orders', '/v2/orders/100/products', 'v2'],
    ]
    for (const [route, path, version] of routes) {
      const { body: fault } = await control.post<{ id: string }>('/__mock/faults', { route, effect: 'status', status: 503, times: 1 })
      const failed = await api.get<V3Error | V2Error>(path)
      t.equal(failed.status, 503, `${route} ${path}`)
      t.equal(failed.headers['x-mock-fault'], `${fault.id} status`)
      if (version === 'v3') t.match(failed.body, { status: 503, code: 'BCMOCK_FAULT', title: new RegExp(`Fault ${fault.id}`) })
      else t.match(failed.body, [{ status: 503, code: 'BCMOCK_FAULT' }])
      t.match(await lastEntry(), { status: 503, outcome: 'fault:status', hint: new RegExp(`^fault ${fault.id} \\(status on ${route}\\)`) })
      t.equal((await api.get(path)).status, 200, `${route}: answers again once used up`)
    }
    await control.post('/__mock/faults', { route: 'api-orders', effect: 'status', status: 429, times: 1 })
    const limited = await api.get<V2Error>(`/v2/orders?customer_id=${DEMO.john.id}`)
    t.equal(limited.status, 429)
    t.match(limited.headers, {
      'x-rate-limit-requests-left': '0',
      'x-rate-limit-requests-quota': '150',
      'x-rate-limit-time-reset-ms': '1000',
      'x-rate-limit-time-window-ms': '30000',
    })
    const refused = await control.post<{ errors: Record<string, string> }>('/__mock/faults', {
      route: 'api-orders',
      effect: 'wrong-secret',
    })
    t.equal(refused.status, 400, 'a token effect does not fit an API route')
    t.match(refused.body.errors, { effect: /does not fit route api-orders/ })
  },
)

t.test("faults narrowed by client_id (the token's app) and customer_id (the customer the request names)", async (t) => {
  const { app, api, control } = setUp(t)
  await control.post('/__mock/faults', { route: 'api-orders', effect: 'status', status: 500, customer_id: DEMO.john.id })
  t.equal((await api.get(`/v2/orders?customer_id=${DEMO.john.id}`)).status, 500, "John's orders fail")
  t.equal((await api.get('/v2/orders/100')).status, 500, 'and one of his orders by id')
  t.equal((await api.get(`/v2/orders?customer_id=${DEMO.jane.id}`)).status, 200, "Jane's do not")
  t.equal((await api.get('/v2/orders/102')).status, 200)
  await control.delete('/__mock/faults')
  await control.post('/__mock/faults', { route: 'api-customers', effect: 'status', client_id: DEMO.hs256App.clientId })
  t.equal((await api.get('/v3/customers?id:in=4927')).status, 200, "the HS512 app's token is not narrowed in")
  t.equal((await managementClient(t, app, { token: DEMO.hs256App.accessToken }).get('/v3/customers?id:in=4927')).status, 500)
})

t.test('--fault and the faults option take the API routes', async (t) => {
  const { api } = setUp(t, { faults: [{ route: 'api-customer-groups', effect: 'status', status: 429, times: 1 }] })
  const answer = await api.get('/v2/customer_groups')
  t.equal(answer.status, 429)
  t.equal(answer.headers['x-rate-limit-requests-left'], '0')
})

t.test('delay, hang and reset over a real socket; a store reset ends a held request unanswered', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  const url = `${storefront.url}/stores/${DEMO.storeHash}/v3/customers?id:in=${DEMO.john.id}`
  const headers = { 'x-auth-token': DEMO.hs512App.accessToken }
  const send = (signal?: AbortSignal) =>
    fetch(url, { headers, ...(signal && { signal }) }).then(
      (response) => ({ status: response.status }),
      (error: unknown) => ({ error }),
    )

  storefront.faults.add({ route: 'api-customers', effect: 'delay', delay_ms: 300, times: 1 })
  const started = performance.now()
  t.match(await send(), { status: 200 }, 'delay: answered normally')
  t.ok(performance.now() - started >= 290, 'after delay_ms')

  storefront.faults.add({ route: 'api-customers', effect: 'reset', times: 1 })
  t.ok('error' in (await send()), 'reset: the socket is destroyed unanswered')
  t.match(storefront.requests().at(-1), { status: 0, outcome: 'fault:reset', clientId: DEMO.hs512App.clientId, customerId: DEMO.john.id })

  const hang = storefront.faults.add({ route: 'api-customers', effect: 'hang' })
  let settled = false
  const held = send().finally(() => (settled = true))
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.notOk(settled, 'hang: no answer while the fault is active')
  hang.remove()
  t.match(await held, { status: 200 }, 'removing the fault releases it with the normal answer')

  storefront.faults.add({ route: 'api-customers', effect: 'hang' })
  const heldAcrossReset = send()
  await new Promise((resolve) => setTimeout(resolve, 200))
  storefront.reset()
  t.ok('error' in (await heldAcrossReset), 'a reset ends a held request unanswered')
  t.same(storefront.requests(), [], 'and it is not recorded in the fresh log')
  t.match(await send(), { status: 200 }, 'the fault ended with the reset')
})

t.test('the request log: outcome and hint of each kind of answer, the customer and app named', async (t) => {
  const { app, api, control } = setUp(t)
  await api.get(`/v3/customers?id:in=${DEMO.john.id}`)
  await api.post('/v3/customers', [{ email: DEMO.john.email, first_name: 'J', last_name: 'D' }])
  await api.get('/v2/orders/999')
  await managementClient(t, app, { token: 'wrong' }).get('/v3/customers')
  await api.get(`/v2/orders?customer_id=${DEMO.jane.id}`)
  await api.delete('/v3/customers?id:in=999999')
  const entries = (await control.get<{ requests: Entry[] }>('/__mock/requests')).body.requests
  t.match(entries, [
    {
      method: 'GET',
      path: `/stores/${DEMO.storeHash}/v3/customers?id%3Ain=${DEMO.john.id}`,
      status: 200,
      outcome: 'ok',
      hint: null,
      customer_id: DEMO.john.id,
      client_id: DEMO.hs512App.clientId,
    },
    { method: 'POST', status: 422, outcome: 'BCMOCK_API_INVALID', hint: /already belongs to customer 4927/ },
    {
      method: 'GET',
      path: `/stores/${DEMO.storeHash}/v2/orders/999`,
      status: 404,
      outcome: 'BCMOCK_API_NOT_FOUND',
      hint: /No order has id/,
    },
    { method: 'GET', status: 401, outcome: 'BCMOCK_API_UNAUTHORIZED', client_id: null, hint: /not the access token of any app/ },
    { method: 'GET', status: 200, outcome: 'ok', customer_id: DEMO.jane.id },
    { method: 'DELETE', status: 204, outcome: 'ok', hint: /No customer had id 999999/ },
  ])
  t.equal(entries.length, 6)
})

t.test('POST /__mock/reset restores customers, attributes, values and orders', async (t) => {
  const { app: mock, api, control } = setUp(t)
  const snapshot = async () => ({
    customers: (await api.get('/v3/customers?include=addresses,attributes&limit=250')).body,
    attributes: (await api.get('/v3/customers/attributes')).body,
    values: (await api.get('/v3/customers/attribute-values')).body,
    orders: (await api.get('/v2/orders')).body,
    groups: (await api.get('/v2/customer_groups')).body,
  })
  const initial = await snapshot()
  await api.post('/v3/customers', [
    {
      email: 'added@example.com',
      first_name: 'A',
      last_name: 'B',
      addresses: [{ first_name: 'A', last_name: 'B', address1: 'x', city: 'y', country_code: 'US' }],
    },
  ])
  await api.put('/v3/customers', [{ id: DEMO.john.id, company: 'Changed' }])
  await api.delete(`/v3/customers?id:in=${DEMO.jane.id}`)
  await api.post('/v3/customers/attributes', [{ name: 'Added', type: 'date' }])
  await api.put('/v3/customers/attribute-values', [{ customer_id: DEMO.john.id, attribute_id: 1, value: '99' }])
  t.notSame(await snapshot(), initial, 'the state did change')
  t.equal((await control.post('/__mock/reset')).status, 200)
  t.same(await snapshot(), initial, 'back to the fixtures')
  const again = await api.post<{ data: { id: number; addresses: { id: number }[] }[] }>('/v3/customers', [
    {
      email: 'added@example.com',
      first_name: 'A',
      last_name: 'B',
      addresses: [{ first_name: 'A', last_name: 'B', address1: 'x', city: 'y', country_code: 'US' }],
    },
  ])
  t.match(again.body.data, [{ id: 4954, addresses: [{ id: 3 }] }], 'ids start again from the fixtures')
  t.equal(mock.mock.stats().customers, 28)
})
