// One set of Management API operations, two adapters: every route through the server
// (`app.inject()`) and through the MSW handlers on https://api.bigcommerce.com (msw's
// `getResponse`), asserting equal statuses, headers, bodies and request log entries, with every
// answer checked against openapi/management-api.yaml. Run by management-contract.test.ts (msw 3)
// and management-contract-msw2.test.ts (msw 2).
import { getResponse } from 'msw'
import type { Test } from 'tap'
import { buildApp } from '../../server/build-app.js'
import { storeControls, type StoreControls } from '../../server/domain/store-controls.js'
import type { Store } from '../../server/domain/store.js'
import { createMockStorefrontHandlers } from '../../server/msw/index.js'
import { checkAnswer, type Method } from '../helpers/management.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000
const API = `/stores/${DEMO.storeHash}`
const AUTH = { 'x-auth-token': DEMO.hs512App.accessToken }
const JSON_BODY = { ...AUTH, 'content-type': 'application/json' }
const SECRETS = new Set([DEMO.hs512App.accessToken, DEMO.hs256App.accessToken, DEMO.john.password])

/** What the scenarios compare of an answer. */
interface Answer {
  status: number
  headers: Record<string, string | undefined>
  body: unknown
}

interface Request {
  method?: Method | 'PATCH'
  url: string
  headers?: Record<string, string>
  body?: string
}

/** One adapter under test. */
interface Adapter {
  name: string
  send(request: Request): Promise<Answer | 'unanswered'>
  controls: StoreControls
  store: Store
}

/** The headers that matter to an app: the rest (date, connection, content-length) are the transport's. */
const COMPARED_HEADERS = [
  'content-type',
  'cache-control',
  'x-mock-fault',
  'x-rate-limit-requests-left',
  'x-rate-limit-requests-quota',
  'x-rate-limit-time-reset-ms',
  'x-rate-limit-time-window-ms',
]

/** The origin each adapter was reached on, in the V2 answers' `url`s: written the same for the comparison. */
const ORIGINS = /http:\/\/localhost:80|https:\/\/api\.bigcommerce\.com/g

function answer(t: Test, request: Request, status: number, header: (name: string) => string | undefined, text: string): Answer {
  const headers = Object.fromEntries(COMPARED_HEADERS.map((name) => [name, header(name)]))
  const method = (request.method ?? 'GET') as Method
  const body = checkAnswer<unknown>(t, method, request.url, status, text, headers, SECRETS)
  return { status, headers, body: typeof body === 'string' ? body : JSON.parse(JSON.stringify(body).replace(ORIGINS, '<origin>')) }
}

/** The server, through `app.inject()`. */
function serverAdapter(t: Test): Adapter {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  return {
    name: 'server',
    store: app.mock,
    controls: storeControls(app.mock),
    send: async (request) => {
      try {
        const response = await app.inject({
          method: request.method ?? 'GET',
          url: request.url,
          headers: request.headers ?? {},
          ...(request.body !== undefined && { payload: request.body }),
        })
        return answer(
          t,
          request,
          response.statusCode,
          (name) => {
            const value = response.headers[name]
            return value === undefined ? undefined : String(value)
          },
          response.body,
        )
      } catch {
        return 'unanswered'
      }
    },
  }
}

/** The MSW handlers, on the origin app code calls, through msw's `getResponse`. */
function mswAdapter(t: Test): Adapter {
  const { handlers, storefront } = createMockStorefrontHandlers({ now: NOW })
  return {
    name: 'msw',
    store: storefront.store,
    controls: storeControls(storefront.store),
    send: async (request) => {
      const response = await getResponse(
        handlers,
        new Request(`https://api.bigcommerce.com${request.url}`, {
          method: request.method ?? 'GET',
          headers: request.headers ?? {},
          body: request.body ?? null,
        }),
      )
      if (!response) throw new Error(`no handler answered ${request.method ?? 'GET'} ${request.url}`)
      if (response.type === 'error') return 'unanswered'
      return answer(t, request, response.status, (name) => response.headers.get(name) ?? undefined, await response.text())
    },
  }
}

/** A step of a scenario: what it sends (after changing the store, perhaps). */
type Step = (adapter: Adapter) => Promise<Answer | 'unanswered'>

const send =
  (request: Request): Step =>
  (adapter) =>
    adapter.send(request)
const get = (path: string, headers: Record<string, string> = AUTH) => send({ url: `${API}${path}`, headers })
const write = (method: Method, path: string, body: unknown) =>
  send({ method, url: `${API}${path}`, headers: JSON_BODY, body: JSON.stringify(body) })

const act =
  (change: (adapter: Adapter) => void | Promise<void>, then: Step): Step =>
  async (adapter) => {
    await change(adapter)
    return then(adapter)
  }

/** Send a request, then change the store while it is held; answers what the request got. */
const whileHeld =
  (request: Request, change: (adapter: Adapter) => void): Step =>
  async (adapter) => {
    const pending = adapter.send(request)
    await new Promise((resolve) => setTimeout(resolve, 50))
    change(adapter)
    return pending
  }

/** The scenarios: a name and its steps; every step's answer and request log must be equal. */
const SCENARIOS: Record<string, Step[]> = {
  'GET /v3/customers: filters, includes, sort and pages': [
    get(`/v3/customers?id:in=${DEMO.john.id}`),
    get(`/v3/customers?id:in=${DEMO.john.id},${DEMO.jane.id}&include=addresses,attributes,storecredit,formfields`),
    get(`/v3/customers?email:in=${encodeURIComponent(DEMO.jane.email)}`),
    get('/v3/customers?customer_group_id:in=6&sort=last_name:desc'),
    get('/v3/customers?name:like=jo&limit=2&page=1'),
    get('/v3/customers?limit=5&page=3'),
    get('/v3/customers?company:in=Acme%20Corp&phone:in=555-123-4567'),
  ],
  'GET /v3/customers refusals: an unserved filter, a bad id, a bad limit': [
    get('/v3/customers?date_created:min=2020-01-01'),
    get('/v3/customers?id:in=abc'),
    get('/v3/customers?limit=251'),
    get('/v3/customers?include=orders'),
  ],
  'POST, PUT, DELETE /v3/customers by the customer rules': [
    write('POST', '/v3/customers', [
      { email: 'new@example.com', first_name: 'New', last_name: 'Shopper', authentication: { new_password: 'a-password-1' } },
    ]),
    write('POST', '/v3/customers', [{ email: DEMO.john.email.toUpperCase(), first_name: 'Dup', last_name: 'Licate' }]),
    write('PUT', '/v3/customers', [{ id: DEMO.jane.id, company: 'Roe & Co', customer_group_id: 6, phone: '555-0000' }]),
    write('PUT', '/v3/customers', [{ id: 999_999, first_name: 'Nobody' }]),
    send({ method: 'DELETE', url: `${API}/v3/customers?id:in=${DEMO.jane.id},999999`, headers: AUTH }),
    send({ method: 'DELETE', url: `${API}/v3/customers`, headers: JSON_BODY }),
    get(`/v3/customers?id:in=${DEMO.jane.id}`),
  ],
  'bodies: not JSON, no type, the wrong type, not an array': [
    send({ method: 'POST', url: `${API}/v3/customers`, headers: JSON_BODY, body: '[{"email": ' }),
    send({ method: 'POST', url: `${API}/v3/customers`, headers: JSON_BODY, body: '' }),
    send({ method: 'POST', url: `${API}/v3/customers`, headers: { ...AUTH, 'content-type': 'application/xml' }, body: '<customer/>' }),
    send({ method: 'POST', url: `${API}/v3/customers`, headers: { ...AUTH, 'content-type': 'text/plain' }, body: 'hello' }),
    write('POST', '/v3/customers', { email: 'one@example.com' }),
    send({ method: 'POST', url: `${API}/v3/customers`, headers: JSON_BODY, body: '[{"__proto__": {"x": 1}}]' }),
    // Over the 64 KiB body limit: a 413, the body never parsed.
    send({ method: 'POST', url: `${API}/v3/customers`, headers: JSON_BODY, body: JSON.stringify([{ notes: 'x'.repeat(70_000) }]) }),
    send({ method: 'PUT', url: `${API}/v3/customers/attribute-values`, headers: JSON_BODY, body: '{"not": "a list"}' }),
  ],
  'POST /v3/customers/validate-credentials': [
    write('POST', '/v3/customers/validate-credentials', { email: DEMO.john.email, password: DEMO.john.password, channel_id: 1 }),
    write('POST', '/v3/customers/validate-credentials', { email: DEMO.john.email, password: 'wrong', channel_id: 1 }),
    write('POST', '/v3/customers/validate-credentials', { email: DEMO.john.email }),
  ],
  'customer attributes and their values': [
    get('/v3/customers/attributes'),
    get('/v3/customers/attributes?type=number&name:like=size'),
    write('POST', '/v3/customers/attributes', [{ name: 'Favourite colour', type: 'string' }]),
    get(`/v3/customers/attribute-values?customer_id:in=${DEMO.john.id}`),
    write('PUT', '/v3/customers/attribute-values', [{ customer_id: DEMO.jane.id, attribute_id: 1, value: '38' }]),
    write('PUT', '/v3/customers/attribute-values', [{ customer_id: DEMO.jane.id, attribute_id: 1, value: 38 }]),
    get('/v3/customers/attribute-values?attribute_id:in=1'),
  ],
  'V2: a customer, customer groups, orders and their products': [
    get(`/v2/customers/${DEMO.john.id}`),
    get('/v2/customers/999999'),
    get('/v2/customer_groups'),
    get('/v2/customer_groups/6'),
    get('/v2/customer_groups/0'),
    get('/v2/customer_groups?name=Nobody'),
    get(`/v2/orders?customer_id=${DEMO.john.id}&sort=date_created:desc`),
    get(`/v2/orders?customer_id=${DEMO.jane.id}`),
    get('/v2/orders/100'),
    get('/v2/orders/100/products'),
    get('/v2/orders/100/products?page=9'),
    get('/v2/orders/424242'),
    get('/v2/orders?status=bad'),
  ],
  'the gateway: store hash, token, client, Accept, unknown routes': [
    send({ url: `/stores/xyz789/v3/customers`, headers: AUTH }),
    get('/v3/customers', {}),
    get('/v3/customers', { 'x-auth-token': 'not-a-token' }),
    get('/v3/customers', { ...AUTH, 'x-auth-client': DEMO.hs256App.clientId }),
    get('/v3/customers?id:in=4927', { ...AUTH, 'x-auth-client': DEMO.hs512App.clientId }),
    get('/v3/customers', { 'x-auth-token': DEMO.hs256App.accessToken }),
    get('/v3/customers', { ...AUTH, accept: 'application/xml' }),
    get('/v3/catalog/products'),
    get('/v2/store'),
    send({ method: 'PATCH', url: `${API}/v3/customers`, headers: JSON_BODY, body: '[]' }),
  ],
  'faults: status with the rate-limit headers, per customer and app, reset': [
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'api-customers', effect: 'status', status: 429, times: 1 }),
      get(`/v3/customers?id:in=${DEMO.john.id}`),
    ),
    get(`/v3/customers?id:in=${DEMO.john.id}`),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'api-orders', effect: 'status', customer_id: DEMO.jane.id }),
      get(`/v2/orders?customer_id=${DEMO.john.id}`),
    ),
    get(`/v2/orders?customer_id=${DEMO.jane.id}`),
    act(
      (adapter) =>
        void adapter.controls.faults.add({ route: 'api-attributes', effect: 'status', status: 503, client_id: DEMO.hs256App.clientId }),
      get('/v3/customers/attributes', { 'x-auth-token': DEMO.hs256App.accessToken }),
    ),
    get('/v3/customers/attributes'),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'api-customer-groups', effect: 'reset', times: 1 }),
      get('/v2/customer_groups'),
    ),
    get('/v2/customer_groups'),
  ],
  'faults: delay answers late; hang waits for the fault to end; a store reset ends it unanswered': [
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'api-customers', effect: 'delay', delay_ms: 20, times: 1 }),
      get(`/v2/customers/${DEMO.john.id}`),
    ),
    act((adapter) => {
      const fault = adapter.controls.faults.add({ route: 'api-orders', effect: 'hang' })
      setTimeout(() => fault.remove(), 60)
    }, get('/v2/orders/100')),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'api-customer-groups', effect: 'hang' }),
      whileHeld({ url: `${API}/v2/customer_groups/6`, headers: AUTH }, (adapter) => adapter.controls.reset()),
    ),
    get('/v2/customer_groups/6'),
  ],
}

/** Run every scenario through both adapters and compare them step by step. */
export async function runManagementContract(t: Test): Promise<void> {
  for (const [name, steps] of Object.entries(SCENARIOS)) {
    await t.test(name, async (t) => {
      const adapters = [serverAdapter(t), mswAdapter(t)]
      for (const [index, step] of steps.entries()) {
        const answers: (Answer | 'unanswered')[] = []
        for (const adapter of adapters) answers.push(await step(adapter))
        const [server, msw] = answers
        t.same(msw, server, `step ${index + 1}: the same answer`)
        const logs = adapters.map((adapter) => adapter.store.listRequests().map(({ durationMs: _d, ...entry }) => entry))
        t.same(logs[1], logs[0], `step ${index + 1}: the same request log`)
      }
    })
  }
}
