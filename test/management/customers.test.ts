// The Management API's customers over HTTP (app.inject): GET /v3/customers with its filters,
// includes, sort and pages; POST, PUT, DELETE by the customer rules; validate-credentials; and
// GET /v2/customers/{id}. Every answer is checked against openapi/management-api.yaml by the client.
import t, { type Test } from 'tap'
import { decodeJwt } from 'jose'
import { buildApp } from '../../server/index.js'
import { controlClient } from '../helpers/control.js'
import { managementClient, type V2Error, type V3Error } from '../helpers/management.js'
import { getToken, postLogin, signIn } from '../helpers/session.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000

interface Customer {
  id: number
  email: string
  first_name: string
  last_name: string
  company: string
  phone: string
  customer_group_id: number
  date_created: string
  date_modified: string
  address_count: number
  attribute_count: number
  addresses?: { id: number; address1: string; city: string; country_code: string; country: string; customer_id: number }[]
  attributes?: { id: number; attribute_id: number; attribute_value: string; customer_id: number }[]
  store_credit_amounts?: unknown[]
  form_fields?: unknown[]
}
interface Pagination {
  total: number
  count: number
  per_page: number
  current_page: number
  total_pages: number
  links: { previous?: string; current: string; next?: string }
}
interface Collection {
  data: Customer[]
  meta: { pagination: Pagination }
}

function setUp(t: Test, options: Parameters<typeof buildApp>[0] = {}) {
  const app = buildApp({ now: NOW, ...options })
  t.teardown(() => app.close())
  return { app, api: managementClient(t, app), control: controlClient(t, app) }
}

t.test('GET /v3/customers?id:in= answers the customer the token names, with the same id, email and group', async (t) => {
  const { app, api } = setUp(t)
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  const token = (await getToken(app, DEMO.hs512App.clientId, { cookie })).body
  const claims = decodeJwt(token) as { customer: { id: number; email: string; group_id: string } }
  const { status, body } = await api.get<Collection>(`/v3/customers?id:in=${claims.customer.id}`)
  t.equal(status, 200)
  t.equal(body.data.length, 1)
  const [customer] = body.data
  t.equal(customer?.id, claims.customer.id, 'the id the token carries')
  t.equal(customer?.email, claims.customer.email, 'and its email (what subscription-foundation checks)')
  t.equal(customer?.customer_group_id, 6, 'customer_group_id is an integer here')
  t.equal(claims.customer.group_id, '6', 'and a string in the token: both from one value')
  t.match(customer, {
    first_name: 'John',
    last_name: 'Doe',
    company: 'Acme Corp',
    phone: '555-123-4567',
    address_count: 1,
    attribute_count: 2,
  })
  t.equal(customer?.date_created, '2023-11-14T22:13:20Z', 'a fixture customer was made when the store was (the clock: --now)')
  t.notOk('addresses' in (customer ?? {}), 'no sub-resources unless include asks')
  t.same(body.meta.pagination, {
    total: 1,
    count: 1,
    per_page: 50,
    current_page: 1,
    total_pages: 1,
    links: { current: '?id%3Ain=4927&page=1&limit=50' },
  })
})

t.test('include=addresses,attributes,storecredit,formfields: the sub-resources, empty strings where a field has no value', async (t) => {
  const { api } = setUp(t)
  const { body } = await api.get<Collection>(
    `/v3/customers?id:in=${DEMO.jane.id},${DEMO.john.id}&include=addresses,attributes,storecredit,formfields`,
  )
  t.same(
    body.data.map((customer) => customer.id),
    [DEMO.john.id, DEMO.jane.id],
    'by id, whatever the order of id:in',
  )
  const [john, jane] = body.data
  t.match(john?.addresses, [
    { id: 1, customer_id: DEMO.john.id, address1: '123 Main Street', city: 'Austin', country_code: 'US', country: 'United States' },
  ])
  t.same(
    john?.attributes?.map(({ attribute_id, attribute_value }) => [attribute_id, attribute_value]),
    [
      [1, '42'],
      [2, 'Gold'],
    ],
    'values are strings, a number attribute too',
  )
  t.match(jane, { company: '', phone: '', customer_group_id: 0 }, 'no company: an empty string, not null')
  t.match(jane?.addresses, [{ country_code: 'GB', country: 'United Kingdom' }])
  t.same(john?.store_credit_amounts, [{ amount: 0 }])
  t.same(john?.form_fields, [])
})

t.test('filters: email:in (without case), customer_group_id:in, name:in, name:like, company:in, phone:in', async (t) => {
  const { api } = setUp(t)
  const ids = async (query: string) => (await api.get<Collection>(`/v3/customers?${query}`)).body.data.map((customer) => customer.id)
  t.same(await ids('email:in=JOHN.DOE@example.com,jane.roe@example.com'), [DEMO.john.id, DEMO.jane.id])
  t.same(await ids('customer_group_id:in=6'), [DEMO.john.id])
  t.equal((await ids('customer_group_id:in=0&limit=250')).length, 26, 'group 0: Jane and the 25 generated')
  t.same(await ids('name:in=john%20doe'), [DEMO.john.id])
  t.same(await ids('name:like=roe,DOE'), [DEMO.john.id, DEMO.jane.id], 'any part, without case')
  t.same(await ids('company:in=Acme%20Corp'), [DEMO.john.id])
  t.same(await ids('phone:in=555-123-4567'), [DEMO.john.id])
  t.same(await ids('id:in=4927,999999'), [DEMO.john.id], 'an unknown id is left out')
  t.same(await ids('id:in=4927&email:in=jane.roe@example.com'), [], 'filters combine')
  t.same(await ids('id:in=4927&id:in=4928'), [DEMO.john.id, DEMO.jane.id], 'a repeated parameter is one list')
})

t.test('page, limit and the pagination links', async (t) => {
  const { api } = setUp(t)
  const first = (await api.get<Collection>('/v3/customers?limit=10')).body
  t.same(
    first.data.map((customer) => customer.id),
    [...Array(10).keys()].map((index) => 4927 + index),
  )
  t.same(first.meta.pagination, {
    total: 27,
    count: 10,
    per_page: 10,
    current_page: 1,
    total_pages: 3,
    links: { current: '?page=1&limit=10', next: '?page=2&limit=10' },
  })
  const last = (await api.get<Collection>(`/v3/customers${first.meta.pagination.links.next?.replace('2', '3') ?? ''}`)).body
  t.equal(last.data.length, 7)
  t.same(last.meta.pagination.links, { previous: '?page=2&limit=10', current: '?page=3&limit=10' })
  const beyond = (await api.get<Collection>('/v3/customers?limit=10&page=9')).body
  t.same(beyond.data, [], 'past the last page: no customers')
  t.equal(beyond.meta.pagination.total, 27)
  const all = (await api.get<Collection>('/v3/customers')).body
  t.equal(all.meta.pagination.per_page, 50, 'limit defaults to 50')
  t.equal(all.data.length, 27)
})

t.test('sort: last_name and date_created, ascending and descending', async (t) => {
  const { api, control } = setUp(t)
  const names = (await api.get<Collection>('/v3/customers?sort=last_name:asc&limit=250')).body.data.map((customer) => customer.last_name)
  t.same(
    names,
    [...names].sort((a, b) => a.localeCompare(b)),
  )
  const descending = (await api.get<Collection>('/v3/customers?sort=last_name:desc&limit=250')).body.data.map(
    (customer) => customer.last_name,
  )
  t.same(descending, [...names].reverse())
  await control.put('/__mock/clock', { advance: 60 })
  const { body: made } = await api.post<{ data: Customer[] }>('/v3/customers', [
    { email: 'late@example.com', first_name: 'Late', last_name: 'Comer' },
  ])
  const newest = (await api.get<Collection>('/v3/customers?sort=date_created:desc&limit=1')).body.data[0]
  t.equal(newest?.id, made.data[0]?.id, 'the customer made last is first by date_created:desc')
  t.equal(newest?.date_created, '2023-11-14T22:14:20Z', 'dated by the mock clock')
  t.equal((await api.get<Collection>('/v3/customers?sort=date_created:asc&limit=1')).body.data[0]?.id, DEMO.john.id)
})

t.test('a bad or unserved query parameter is a 422 naming it, never ignored', async (t) => {
  const { api } = setUp(t)
  const cases: [string, string][] = [
    ['id:in=abc', 'id:in'],
    ['id:in=1,,2', 'id:in'],
    ['limit=0', 'limit'],
    ['limit=251', 'limit'],
    ['page=0', 'page'],
    ['sort=email:asc', 'sort'],
    ['include=segment_ids', 'include'],
    ['date_created:min=2024-01-01', 'date_created:min'],
    ['id_in=4927', 'id_in'],
  ]
  for (const [query, field] of cases) {
    const { status, body } = await api.get<V3Error>(`/v3/customers?${query}`)
    t.equal(status, 422, query)
    t.equal(body.code, 'BCMOCK_API_INVALID')
    t.ok(body.errors[field], `${query}: errors names ${field}`)
    t.match(body.type, /api-status-codes/)
  }
})

t.test('POST /v3/customers: made by the customer rules, all or none; a password is optional', async (t) => {
  const { app, api } = setUp(t)
  const { status, body } = await api.post<{ data: Customer[]; meta: object }>('/v3/customers', [
    {
      email: 'New.Customer@example.com',
      first_name: 'New',
      last_name: 'Customer',
      company: 'New Co',
      customer_group_id: 6,
      addresses: [{ first_name: 'New', last_name: 'Customer', address1: '1 Rue', city: 'Paris', country_code: 'fr', postal_code: '75001' }],
      attributes: [{ attribute_id: 2, attribute_value: 'Bronze' }],
      authentication: { new_password: 'new-password', force_password_reset: false },
      notes: 'kept? no',
      channel_ids: [1],
    },
    { email: 'nopassword@example.com', first_name: 'No', last_name: 'Password' },
  ])
  t.equal(status, 200)
  t.same(body.meta, {})
  const [made, passwordless] = body.data
  t.equal(made?.id, 4954, 'the next id after the highest')
  t.equal(passwordless?.id, 4955)
  t.match(made, { email: 'New.Customer@example.com', company: 'New Co', customer_group_id: 6, address_count: 1, attribute_count: 1 })
  t.match(made?.addresses, [{ id: 3, customer_id: 4954, country_code: 'FR', country: 'France' }], 'address ids after the fixtures')
  t.match(made?.attributes, [{ attribute_id: 2, attribute_value: 'Bronze', customer_id: 4954 }])
  const { cookie } = await signIn(app, 'new.customer@example.com', 'new-password')
  const token = decodeJwt((await getToken(app, DEMO.hs512App.clientId, { cookie })).body) as { customer: { id: number; group_id: string } }
  t.same(
    token.customer,
    { id: 4954, email: 'New.Customer@example.com', group_id: '6' },
    "signs in with the password set, and the storefront's token names it",
  )
  const refused = await postLogin(app, { login_email: 'nopassword@example.com', login_pass: 'anything' })
  t.not(refused.headers.location, '/account.php', 'a customer without a password cannot sign in')
  const log = await controlClient(t, app).get<{ requests: { path: string; hint: string | null }[] }>('/__mock/requests')
  t.match(
    log.body.requests.find((entry) => entry.path === `/stores/${DEMO.storeHash}/v3/customers`),
    { hint: /Accepted and not kept by the mock: notes, channel_ids/ },
    'fields accepted and not kept are named in the request log',
  )
})

t.test('POST /v3/customers refusals: 422 naming item and field, nothing added; 413 past 10', async (t) => {
  const { api, control } = setUp(t)
  const before = (await control.get<{ total: number }>('/__mock/customers')).body.total
  const cases: [unknown, string, RegExp][] = [
    [[{ email: 'JOHN.DOE@example.com', first_name: 'J', last_name: 'D' }], '0.email', /already belongs to customer 4927/],
    [
      [
        { email: 'twin@example.com', first_name: 'A', last_name: 'B' },
        { email: 'TWIN@example.com', first_name: 'A', last_name: 'B' },
      ],
      '1.email',
      /also item 0/,
    ],
    [[{ email: 'ok@example.com', first_name: 'A' }], '0.last_name', /non-empty/],
    [[{ email: 'not-an-email', first_name: 'A', last_name: 'B' }], '0.email', /email address/],
    [[{ email: 'ok@example.com', first_name: 'A', last_name: 'B', customer_group_id: '6' }], '0.customer_group_id', /whole number/],
    [
      [{ email: 'ok@example.com', first_name: 'A', last_name: 'B', attributes: [{ attribute_id: 9, attribute_value: 'x' }] }],
      '0.attributes.0.attribute_id',
      /No customer attribute has id 9/,
    ],
    [
      [{ email: 'ok@example.com', first_name: 'A', last_name: 'B', attributes: [{ attribute_id: 1, attribute_value: 42 }] }],
      '0.attributes.0.attribute_value',
      /string/,
    ],
    [
      [{ email: 'ok@example.com', first_name: 'A', last_name: 'B', addresses: [{ address1: 'x', city: 'y', country_code: 'US' }] }],
      '0.addresses.0.first_name',
      /required/,
    ],
    [[{ email: 'ok@example.com', first_name: 'A', last_name: 'B', favourite_colour: 'blue' }], '0.favourite_colour', /unknown key/],
    [
      [{ email: 'ok@example.com', first_name: 'A', last_name: 'B', authentication: { new_password: '' } }],
      '0.authentication.new_password',
      /non-empty/,
    ],
    [
      [
        {
          email: 'ok@example.com',
          first_name: 'A',
          last_name: 'B',
          attributes: [
            { attribute_id: 1, attribute_value: 'x' },
            { attribute_id: 1, attribute_value: 'y' },
          ],
        },
      ],
      '0.attributes.1.attribute_id',
      /duplicate attribute 1/,
    ],
    [{ email: 'ok@example.com' }, 'body', /JSON array/],
    [[], 'body', /at least one/],
  ]
  for (const [payload, field, message] of cases) {
    const { status, body } = await api.post<V3Error>('/v3/customers', payload)
    t.equal(status, 422, field)
    t.ok(body.errors[field], `errors names ${field}: ${JSON.stringify(body.errors)}`)
    t.match(body.title, message)
  }
  const many = Array.from({ length: 11 }, (_, index) => ({ email: `m${index}@example.com`, first_name: 'M', last_name: 'N' }))
  const { status, body } = await api.post<V3Error>('/v3/customers', many)
  t.equal(status, 413)
  t.equal(body.code, 'BCMOCK_API_BATCH_TOO_LARGE')
  t.equal((await control.get<{ total: number }>('/__mock/customers')).body.total, before, 'nothing was added by any refusal')
  t.notMatch(
    JSON.stringify(
      await api.post('/v3/customers', [{ email: 'ok@example.com', first_name: 'A', last_name: 'B', authentication: { new_password: 7 } }]),
    ),
    /"7"|: 7/,
    'a bad password is not echoed',
  )
})

t.test('PUT /v3/customers: changes by id, keeps the rest; email unique; unknown id 422', async (t) => {
  const { app, api } = setUp(t)
  const { status, body } = await api.put<{ data: Customer[] }>('/v3/customers', [
    {
      id: DEMO.jane.id,
      company: 'Roe Ltd',
      phone: '0207',
      customer_group_id: 6,
      email: 'Jane.Roe2@example.com',
      authentication: { new_password: 'new-one' },
    },
  ])
  t.equal(status, 200)
  t.match(body.data[0], {
    id: DEMO.jane.id,
    company: 'Roe Ltd',
    phone: '0207',
    customer_group_id: 6,
    email: 'Jane.Roe2@example.com',
    first_name: 'Jane',
    attribute_count: 1,
  })
  t.equal(body.data[0]?.date_created, '2023-11-14T22:13:20Z')
  const { cookie } = await signIn(app, 'jane.roe2@example.com', 'new-one')
  const claims = decodeJwt((await getToken(app, DEMO.hs512App.clientId, { cookie })).body) as { customer: { group_id: string } }
  t.equal(claims.customer.group_id, '6', 'the new email and password sign in, and the token carries the new group as a string')
  const cases: [unknown, string][] = [
    [[{ id: 999999, company: 'x' }], '0.id'],
    [[{ id: DEMO.jane.id, email: DEMO.john.email }], '0.email'],
    [[{ company: 'x' }], '0.id'],
    [[{ id: DEMO.john.id, attributes: [] }], '0.attributes'],
    [
      [
        { id: DEMO.john.id, company: 'a' },
        { id: DEMO.john.id, company: 'b' },
      ],
      '1.id',
    ],
  ]
  for (const [payload, field] of cases) {
    const refused = await api.put<V3Error>('/v3/customers', payload)
    t.equal(refused.status, 422, field)
    t.ok(refused.body.errors[field], `errors names ${field}: ${JSON.stringify(refused.body.errors)}`)
  }
  t.match(
    (await api.get<Collection>(`/v3/customers?id:in=${DEMO.john.id}`)).body.data[0],
    { company: 'Acme Corp' },
    'a refused batch changed nothing',
  )
})

t.test('DELETE /v3/customers?id:in=: removes them and ends their sessions; without id:in a 204 that changes nothing', async (t) => {
  const { app, api, control } = setUp(t)
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie })).statusCode, 200)
  const nothing = await api.delete('/v3/customers')
  t.equal(nothing.status, 204)
  t.equal((await control.get<{ total: number }>('/__mock/customers')).body.total, 27)
  const { status, text } = await api.delete(`/v3/customers?id:in=${DEMO.john.id},999999`)
  t.equal(status, 204)
  t.equal(text, '')
  t.same((await api.get<Collection>(`/v3/customers?id:in=${DEMO.john.id}`)).body.data, [])
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie })).statusCode, 404, "John's session ended: his token is a guest's 404")
  t.equal((await api.delete<V3Error>('/v3/customers?id:in=x')).status, 422)
  const delWithJson = await api.delete('/v3/customers?id:in=4930', { 'content-type': 'application/json' })
  t.equal(delWithJson.status, 204, 'a client that sends Content-Type: application/json with no body is served')
})

t.test('POST /v3/customers/validate-credentials', async (t) => {
  const { api } = setUp(t)
  const check = (body: unknown) => api.post<{ is_valid: boolean; customer_id: number | null }>('/v3/customers/validate-credentials', body)
  t.same((await check({ email: DEMO.john.email, password: DEMO.john.password, channel_id: 1 })).body, {
    is_valid: true,
    customer_id: DEMO.john.id,
  })
  t.same(
    (await check({ email: 'JOHN.DOE@example.com', password: DEMO.john.password })).body,
    { is_valid: true, customer_id: DEMO.john.id },
    'channel 1 by default',
  )
  t.same((await check({ email: DEMO.john.email, password: 'wrong' })).body, { is_valid: false, customer_id: null })
  t.same((await check({ email: 'nobody@example.com', password: 'x' })).body, { is_valid: false, customer_id: null })
  await api.post('/v3/customers', [{ email: 'nopass@example.com', first_name: 'N', last_name: 'P' }])
  t.same(
    (await check({ email: 'nopass@example.com', password: '' })).body,
    { is_valid: false, customer_id: null },
    'no password: never valid',
  )
  const channel = await api.post<V3Error>('/v3/customers/validate-credentials', { email: DEMO.john.email, password: 'x', channel_id: 2 })
  t.equal(channel.status, 422)
  t.match(channel.body.errors, { channel_id: /No channel has id 2/ })
  const missing = await api.post<V3Error>('/v3/customers/validate-credentials', { email: DEMO.john.email })
  t.equal(missing.status, 422)
  t.ok(missing.body.errors.password)
})

t.test('GET /v2/customers/{id}: a bare object; an unknown id a V2 404', async (t) => {
  const { api } = setUp(t)
  const { status, body } = await api.get<{ id: number; customer_group_id: number; date_created: string; addresses: { url: string } }>(
    `/v2/customers/${DEMO.john.id}`,
  )
  t.equal(status, 200)
  t.match(body, { id: DEMO.john.id, customer_group_id: 6, date_created: 'Tue, 14 Nov 2023 22:13:20 +0000', company: 'Acme Corp' })
  t.equal(
    body.addresses.url,
    `http://localhost:80/stores/${DEMO.storeHash}/v2/customers/${DEMO.john.id}/addresses`,
    'urls on the mock origin',
  )
  for (const id of ['999999', 'abc', '0']) {
    const missing = await api.get<V2Error>(`/v2/customers/${id}`)
    t.equal(missing.status, 404, id)
    t.match(missing.body, [{ status: 404, code: 'BCMOCK_API_NOT_FOUND', message: /No customer has id/ }])
  }
  const query = await api.get<V2Error>(`/v2/customers/${DEMO.john.id}?include=x`)
  t.equal(query.status, 400)
  t.match(query.body, [{ code: 'BCMOCK_API_BAD_PARAMETER' }])
})
