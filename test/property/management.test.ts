// Generated requests against the Management API (/stores/{store_hash}/...): random methods,
// paths and ids, query strings mixing served and unserved parameters with odd values, JSON
// bodies shaped like the references' and random ones, good and forged tokens. Properties: never
// a 5xx; every refusal is its version's error body with a catalogue code; no token or password
// (the fixtures' or one sent) ever comes back; a forged token changes nothing.
// Seed and runs: test/helpers/property.ts.
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { checkProperty, expect, PropertyTally } from '../helpers/property.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000
const tally = new PropertyTally()
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

const id = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(4927, 4928, 4930, 100, 101, 6, 1, 2) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -5, max: 200_000 }), fc.constantFrom(2 ** 53, 1.5, 0)) },
)
const idText = fc.oneof({ weight: 4, arbitrary: id.map(String) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) })
const path = fc.oneof(
  fc.constant('/v3/customers'),
  fc.constant('/v3/customers/validate-credentials'),
  fc.constant('/v3/customers/attributes'),
  fc.constant('/v3/customers/attribute-values'),
  idText.map((value) => `/v2/customers/${encodeURIComponent(value)}`),
  fc.constant('/v2/customer_groups'),
  idText.map((value) => `/v2/customer_groups/${encodeURIComponent(value)}`),
  fc.constant('/v2/orders'),
  idText.map((value) => `/v2/orders/${encodeURIComponent(value)}`),
  idText.map((value) => `/v2/orders/${encodeURIComponent(value)}/products`),
  fc.string({ maxLength: 20 }).map((rest) => `/v3/${encodeURIComponent(rest)}`),
)
const parameterName = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      'id:in',
      'email:in',
      'customer_group_id:in',
      'name:like',
      'include',
      'sort',
      'page',
      'limit',
      'customer_id',
      'customer_id:in',
      'attribute_id:in',
      'name',
      'type',
      'status_id',
      'min_id',
      'email',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
)
const parameterValue = fc.oneof(
  fc.array(id, { minLength: 1, maxLength: 4 }).map((ids) => ids.join(',')),
  fc.constantFrom('addresses,attributes', 'last_name:desc', 'date_created', 'string', 'john.doe@example.com', '', ',', '250', '251', '0'),
  fc.string({ maxLength: 16 }),
)
const query = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(parameterName, parameterValue), { minLength: 1, maxLength: 3 })
      .map((pairs) => new URLSearchParams(pairs).toString()),
  },
)
const sentPassword = fc.stringMatching(/^[0-9a-f]{16}$/).map((hex) => `pw-${hex}`)
const customerItem = fc.record(
  {
    id,
    email: fc.oneof(fc.emailAddress(), fc.constantFrom(DEMO.john.email, 'x', '')),
    first_name: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(7)),
    last_name: fc.string({ maxLength: 8 }),
    company: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null)),
    customer_group_id: fc.oneof(id, fc.constant('6')),
    authentication: fc.record(
      { new_password: fc.oneof(sentPassword, fc.constant('')), force_password_reset: fc.boolean() },
      { requiredKeys: [] },
    ),
    addresses: fc.array(
      fc.record(
        {
          first_name: fc.string(),
          last_name: fc.string(),
          address1: fc.string(),
          city: fc.string(),
          country_code: fc.constantFrom('US', 'GB', 'USA', 'u'),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    attributes: fc.array(fc.record({ attribute_id: id, attribute_value: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()) }), {
      maxLength: 2,
    }),
    notes: fc.string({ maxLength: 4 }),
  },
  { requiredKeys: [] },
)
const valueItem = fc.record(
  { customer_id: id, attribute_id: id, value: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()) },
  { requiredKeys: [] },
)
const body = fc.oneof(
  { weight: 3, arbitrary: fc.array(customerItem, { maxLength: 12 }) },
  { weight: 2, arbitrary: fc.array(valueItem, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        email: fc.constantFrom(DEMO.john.email, 'x'),
        password: fc.oneof(sentPassword, fc.constant(DEMO.john.password)),
        channel_id: fc.oneof(id, fc.constant(null)),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
)
const token = fc.oneof(
  { weight: 8, arbitrary: fc.constant<string | undefined>(DEMO.hs512App.accessToken) },
  { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.string({ maxLength: 40 }), fc.constant(`${DEMO.hs512App.accessToken}x`))
      .map((value) => value.replace(/[^\x21-\x7e]/g, 'x')),
  },
)
// Mostly the operations served (so calls get past routing and change the store), then any method on any path.
const served: fc.Arbitrary<{ method: Method; path: string }> = fc.oneof(
  fc.constantFrom<{ method: Method; path: string }>(
    { method: 'GET', path: '/v3/customers' },
    { method: 'POST', path: '/v3/customers' },
    { method: 'PUT', path: '/v3/customers' },
    { method: 'DELETE', path: '/v3/customers' },
    { method: 'POST', path: '/v3/customers/validate-credentials' },
    { method: 'GET', path: '/v3/customers/attributes' },
    { method: 'POST', path: '/v3/customers/attributes' },
    { method: 'GET', path: '/v3/customers/attribute-values' },
    { method: 'PUT', path: '/v3/customers/attribute-values' },
    { method: 'GET', path: '/v2/customer_groups' },
    { method: 'GET', path: '/v2/orders' },
  ),
  idText.map((value) => ({ method: 'GET' as const, path: `/v2/customers/${encodeURIComponent(value)}` })),
  idText.map((value) => ({ method: 'GET' as const, path: `/v2/orders/${encodeURIComponent(value)}` })),
  idText.map((value) => ({ method: 'GET' as const, path: `/v2/orders/${encodeURIComponent(value)}/products` })),
)
const operation = fc.oneof(
  { weight: 6, arbitrary: served },
  { weight: 1, arbitrary: fc.record({ method: fc.constantFrom<Method>('GET', 'POST', 'PUT', 'DELETE'), path }) },
)
const request = fc.record({
  operation,
  query,
  body,
  token,
  hash: fc.oneof({ weight: 9, arbitrary: fc.constant(DEMO.storeHash) }, { weight: 1, arbitrary: fc.constant('other1') }),
})

function customerCount(app: FastifyInstance): number {
  return app.mock.stats().customers
}

t.test('the Management API under generated requests', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const secrets = new Set<string>([DEMO.hs512App.accessToken, DEMO.hs256App.accessToken, DEMO.john.password])
  const statuses = new Map<number, number>()
  await checkProperty(
    t,
    tally,
    'Management API: random bodies, paths, queries and tokens',
    request,
    async ({ operation: { method, path: inputPath }, ...input }) => {
      const sent = JSON.stringify(input.body)
      for (const [found] of sent.matchAll(/pw-[0-9a-f]{16}/g)) secrets.add(found)
      const before = customerCount(app)
      const response = await app.inject({
        method,
        url: `/stores/${input.hash}${inputPath}${input.query ? `?${input.query}` : ''}`,
        headers: { 'content-type': 'application/json', ...(input.token !== undefined && { 'x-auth-token': input.token }) },
        ...(method !== 'GET' && { payload: sent }),
      })
      const status = response.statusCode
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      const where = `${method} ${inputPath}?${input.query}`
      expect(status < 500, `5xx for ${where}`, { status, body: response.body.slice(0, 300) })
      const text = response.body + JSON.stringify(response.headers)
      for (const value of secrets) expect(!text.includes(value), `${where} answered with a secret`, { status })
      if (status >= 400) {
        const parsed = response.json<unknown>()
        const error = (Array.isArray(parsed) ? parsed[0] : parsed) as {
          status?: unknown
          code?: unknown
          title?: unknown
          message?: unknown
        }
        expect(
          error.status === status &&
            typeof error.code === 'string' &&
            error.code.startsWith('BCMOCK_') &&
            (typeof error.title === 'string' || typeof error.message === 'string'),
          'a refusal is its version error body',
          parsed,
        )
        expect(customerCount(app) === before || method === 'DELETE', 'a refused call adds no customer', { where, status })
      }
      if (input.token !== DEMO.hs512App.accessToken)
        expect(status === 401 || status === 404, 'a forged or missing token is refused', { where, status })
      if (customerCount(app) > 400) app.mock.reset()
    },
  )
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`)
  t.ok((statuses.get(200) ?? 0) > 50, 'many calls were served')
  t.ok((statuses.get(422) ?? 0) > 50 && (statuses.get(401) ?? 0) > 20, 'and many refused')
  t.comment(tally.summary('test/property/management.test.ts'))
})
