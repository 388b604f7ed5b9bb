// Customer attributes and their values, customer groups and orders over HTTP (app.inject), as
// the customer-attributes and recently-purchased-products samples call them. Answers are checked
// against openapi/management-api.yaml by the client.
import t, { type Test } from 'tap'
import { buildApp } from '../../server/index.js'
import { managementClient, type V2Error, type V3Error } from '../helpers/management.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000

interface Value {
  id: number
  customer_id: number
  attribute_id: number
  attribute_value: string
  date_created: string
  date_modified: string
}
interface Page<T> {
  data: T[]
  meta: { pagination: { total: number; count: number } }
}

function setUp(t: Test) {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  return { app, api: managementClient(t, app) }
}

t.test("GET /v3/customers/attributes: the fixtures' attributes, filtered by name, name:like and type", async (t) => {
  const { api } = setUp(t)
  const { body } = await api.get<Page<{ id: number; name: string; type: string }>>('/v3/customers/attributes')
  t.same(
    body.data.map(({ id, name, type }) => ({ id, name, type })),
    [
      { id: 1, name: 'Shoe size', type: 'number' },
      { id: 2, name: 'Loyalty tier', type: 'string' },
    ],
  )
  t.same(
    (await api.get<Page<{ id: number }>>('/v3/customers/attributes?name=Loyalty%20tier')).body.data.map(({ id }) => id),
    [2],
  )
  t.same(
    (await api.get<Page<{ id: number }>>('/v3/customers/attributes?name:like=SHOE')).body.data.map(({ id }) => id),
    [1],
  )
  t.same(
    (await api.get<Page<{ id: number }>>('/v3/customers/attributes?type=number')).body.data.map(({ id }) => id),
    [1],
  )
  t.equal((await api.get<V3Error>('/v3/customers/attributes?type=boolean')).status, 422)
})

t.test('POST /v3/customers/attributes: names unique, types from the reference, at most 50 in a store', async (t) => {
  const { api } = setUp(t)
  const { status, body } = await api.post<Page<{ id: number; name: string; type: string; date_created: string }>>(
    '/v3/customers/attributes',
    [
      { name: 'Date joined', type: 'date' },
      { name: 'Favourite roast', type: 'string' },
    ],
  )
  t.equal(status, 200)
  t.match(body.data, [
    { id: 3, name: 'Date joined', type: 'date', date_created: '2023-11-14T22:13:20Z' },
    { id: 4, name: 'Favourite roast', type: 'string' },
  ])
  const duplicate = await api.post<V3Error>('/v3/customers/attributes', [{ name: 'shoe SIZE', type: 'string' }])
  t.equal(duplicate.status, 422)
  t.match(duplicate.body.errors, { '0.name': /already attribute 1's/ })
  t.match((await api.post<V3Error>('/v3/customers/attributes', [{ name: 'X', type: 'boolean' }])).body.errors, {
    '0.type': /string, number, date/,
  })
  t.match((await api.post<V3Error>('/v3/customers/attributes', [{ name: '', type: 'string' }])).body.errors, { '0.name': /non-empty/ })
  const many = Array.from({ length: 47 }, (_, index) => ({ name: `Attribute ${index}`, type: 'string' }))
  const full = await api.post<V3Error>('/v3/customers/attributes', many)
  t.equal(full.status, 422, '4 + 47 > 50')
  t.match(full.body.title, /at most 50/)
  t.equal((await api.post('/v3/customers/attributes', many.slice(1))).status, 200, '4 + 46 = 50 fits')
  t.equal((await api.get<Page<unknown>>('/v3/customers/attributes?limit=250')).body.meta.pagination.total, 50)
})

t.test('GET /v3/customers/attribute-values: by customer_id:in, attribute_id:in and name; values are strings', async (t) => {
  const { api } = setUp(t)
  const values = async (query: string) => (await api.get<Page<Value>>(`/v3/customers/attribute-values?${query}`)).body.data
  t.same(
    (await values(`customer_id:in=${DEMO.john.id}`)).map((value) => [value.customer_id, value.attribute_id, value.attribute_value]),
    [
      [DEMO.john.id, 1, '42'],
      [DEMO.john.id, 2, 'Gold'],
    ],
  )
  t.same(
    (await values('attribute_id:in=2')).map((value) => [value.customer_id, value.attribute_value]),
    [
      [DEMO.john.id, 'Gold'],
      [DEMO.jane.id, 'Silver'],
    ],
  )
  t.same(
    (await values('name=Shoe%20size')).map((value) => value.attribute_value),
    ['42'],
  )
  t.equal((await values('')).length, 3, 'every value the store holds')
  t.same(await values('customer_id:in=4930'), [], 'a customer without values')
  t.same(await values('limit=2&page=2').then((page) => page.map((value) => value.attribute_value)), ['Silver'])
})

t.test('PUT /v3/customers/attribute-values: upsert keyed by customer and attribute; the rules', async (t) => {
  const { api, app } = setUp(t)
  const { status, body } = await api.put<Page<Value>>('/v3/customers/attribute-values', [
    { customer_id: DEMO.john.id, attribute_id: 1, value: '43' },
    { customer_id: DEMO.jane.id, attribute_id: 1, value: '38' },
  ])
  t.equal(status, 200)
  t.match(
    body.data,
    [
      { id: 1, customer_id: DEMO.john.id, attribute_id: 1, attribute_value: '43', date_created: '2023-11-14T22:13:20Z' },
      { id: 4, customer_id: DEMO.jane.id, attribute_id: 1, attribute_value: '38' },
    ],
    "John's value changed in place (same id), Jane's was added with the next id",
  )
  app.mock.changeClock({ advance: 5 })
  const again = await api.put<Page<Value>>('/v3/customers/attribute-values', [
    { customer_id: DEMO.john.id, attribute_id: 1, value: '44', id: 1 },
  ])
  t.match(again.body.data, [{ id: 1, attribute_value: '44', date_modified: '2023-11-14T22:13:25Z' }])
  const customer = await api.get<{ data: { attribute_count: number; attributes: Value[] }[] }>(
    `/v3/customers?id:in=${DEMO.jane.id}&include=attributes`,
  )
  t.equal(customer.body.data[0]?.attribute_count, 2, 'the customer holds it')
  const cases: [unknown, string, number][] = [
    [[{ customer_id: 999999, attribute_id: 1, value: 'x' }], '0.customer_id', 422],
    [[{ customer_id: DEMO.john.id, attribute_id: 99, value: 'x' }], '0.attribute_id', 422],
    [[{ customer_id: DEMO.john.id, attribute_id: 1, value: 42 }], '0.value', 422],
    [[{ customer_id: DEMO.john.id, attribute_id: 1, value: 'x'.repeat(256) }], '0.value', 422],
    [[{ customer_id: DEMO.john.id, attribute_id: 1 }], '0.value', 422],
    [Array.from({ length: 11 }, (_, index) => ({ customer_id: 4929 + index, attribute_id: 1, value: 'x' })), 'body', 413],
  ]
  for (const [payload, field, expected] of cases) {
    const refused = await api.put<V3Error>('/v3/customers/attribute-values', payload)
    t.equal(refused.status, expected, field)
    t.ok(refused.body.errors[field], `errors names ${field}: ${JSON.stringify(refused.body.errors)}`)
  }
  t.same(
    (await api.get<Page<Value>>(`/v3/customers/attribute-values?customer_id:in=${DEMO.john.id}&attribute_id:in=1`)).body.data.map(
      (value) => value.attribute_value,
    ),
    ['44'],
    'no refused call changed anything',
  )
})

t.test('a customer holds at most 10 attribute values', async (t) => {
  const { api } = setUp(t)
  await api.post(
    '/v3/customers/attributes',
    Array.from({ length: 10 }, (_, index) => ({ name: `A${index}`, type: 'string' })),
  )
  const ten = Array.from({ length: 9 }, (_, index) => ({ customer_id: DEMO.jane.id, attribute_id: 3 + index, value: 'v' }))
  t.equal((await api.put('/v3/customers/attribute-values', ten)).status, 200, 'Silver and 9 more: 10')
  const eleventh = await api.put<V3Error>('/v3/customers/attribute-values', [{ customer_id: DEMO.jane.id, attribute_id: 12, value: 'v' }])
  t.equal(eleventh.status, 422)
  t.match(eleventh.body.title, /already holds 10/)
})

t.test('GET /v2/customer_groups and /{id}: bare arrays and objects; the group a token names', async (t) => {
  const { api } = setUp(t)
  const { status, body } = await api.get<{ id: number; name: string }[]>('/v2/customer_groups')
  t.equal(status, 200)
  t.match(body, [{ id: 6, name: 'Wholesale', is_default: false, category_access: { type: 'all' }, discount_rules: [] }])
  t.match((await api.get<{ id: number; name: string }>('/v2/customer_groups/6')).body, { id: 6, name: 'Wholesale' })
  t.match((await api.get<unknown[]>('/v2/customer_groups?name:like=whole')).body, [{ id: 6 }])
  const none = await api.get('/v2/customer_groups?name=Retail')
  t.equal(none.status, 204, 'no group matches: V2 answers 204 No Content')
  t.equal(none.text, '')
  for (const id of ['0', '7', 'x']) {
    const missing = await api.get<V2Error>(`/v2/customer_groups/${id}`)
    t.equal(missing.status, 404, id)
    t.match(missing.body, [{ status: 404, code: 'BCMOCK_API_NOT_FOUND' }])
  }
  t.match((await api.get<V2Error>('/v2/customer_groups?is_default=true')).body, [
    { status: 400, code: 'BCMOCK_API_BAD_PARAMETER', message: /is_default/ },
  ])
})

interface Order {
  id: number
  customer_id: number
  status_id: number
  status: string
  date_created: string
  subtotal_inc_tax: string
  total_inc_tax: string
  items_total: number
  billing_address: { first_name: string; email: string; street_1: string; country: string; country_iso2: string }
  products: { url: string; resource: string }
}

t.test('GET /v2/orders?customer_id=, then each order and its products: the recently-purchased-products flow', async (t) => {
  const { api } = setUp(t)
  const { status, body: orders } = await api.get<Order[]>(`/v2/orders?customer_id=${DEMO.john.id}`)
  t.equal(status, 200)
  t.same(
    orders.map((order) => order.id),
    [100, 101],
  )
  t.match(orders[0], {
    customer_id: DEMO.john.id,
    status_id: 10,
    status: 'Completed',
    date_created: 'Thu, 02 May 2024 09:30:00 +0000',
    subtotal_inc_tax: '187.0000',
    total_inc_tax: '187.0000',
    items_total: 3,
    billing_address: {
      first_name: 'John',
      email: DEMO.john.email,
      street_1: '123 Main Street',
      country: 'United States',
      country_iso2: 'US',
    },
    products: { resource: '/orders/100/products' },
  })
  const products = await api.get<
    { product_id: number; name: string; quantity: number; price_inc_tax: string; total_inc_tax: string; order_id: number }[]
  >(orders[0]?.products.url.replace(/^https?:\/\/[^/]+\/stores\/[^/]+/, '') ?? '')
  t.equal(products.status, 200, "the url in the order's products resource leads to them")
  t.match(products.body, [
    { order_id: 100, product_id: 77, quantity: 2, price_inc_tax: '49.0000', total_inc_tax: '98.0000' },
    { order_id: 100, product_id: 81, quantity: 1, total_inc_tax: '89.0000' },
  ])
  t.match((await api.get<Order>('/v2/orders/102')).body, {
    id: 102,
    customer_id: DEMO.jane.id,
    status: 'Shipped',
    billing_address: { country: 'United Kingdom', country_iso2: 'GB' },
  })
  const none = await api.get('/v2/orders?customer_id=4930')
  t.equal(none.status, 204, 'a customer without orders: V2 answers 204 No Content')
  t.equal(none.text, '')
})

t.test('GET /v2/orders filters, sort and pages; unknown orders 404', async (t) => {
  const { api } = setUp(t)
  const ids = async (query: string) => {
    const answer = await api.get<Order[]>(`/v2/orders?${query}`)
    return answer.status === 204 ? [] : answer.body.map((order) => order.id)
  }
  t.same(await ids(''), [100, 101, 102])
  t.same(await ids('sort=date_created:desc'), [102, 101, 100])
  t.same(await ids('sort=customer_id:desc'), [102, 100, 101])
  t.same(await ids('status_id=11'), [101])
  t.same(await ids('email=JANE.ROE@example.com'), [102])
  t.same(await ids('min_id=101&max_id=101'), [101])
  t.same(await ids('channel_id=1&limit=2&page=2'), [102])
  t.same(await ids('channel_id=2'), [])
  const badQueries: [string, string][] = [
    ['limit=251', 'limit'],
    ['customer_id=x', 'customer_id'],
    ['sort=total', 'sort'],
    ['min_date_created=2024-01-01', 'min_date_created'],
    ['include=consignments', 'include'],
  ]
  for (const [query, field] of badQueries) {
    const refused = await api.get<V2Error>(`/v2/orders?${query}`)
    t.equal(refused.status, 400, query)
    t.match(refused.body, [{ code: 'BCMOCK_API_BAD_PARAMETER', message: new RegExp(field) }])
  }
  for (const path of ['/v2/orders/999', '/v2/orders/abc', '/v2/orders/999/products']) {
    const missing = await api.get<V2Error>(path)
    t.equal(missing.status, 404, path)
    t.match(missing.body, [{ status: 404, code: 'BCMOCK_API_NOT_FOUND', message: /No order has id/ }])
  }
  t.equal((await api.get('/v2/orders/100/products?page=2')).status, 204, 'a page past the lines')
})
