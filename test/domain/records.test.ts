// The fixture format's Management API parts on their own (parseStore): customers' company,
// phone, addresses and attribute values; customer_groups, customer_attributes, channels,
// orders; apps' access_token. A document without them reads as before; every problem is named
// with the file and its path; secrets are never echoed.
import t, { type Test } from 'tap'
import { parseStore } from '../../server/domain/parse-store.js'
import { FixtureError, type FixtureProblem } from '../../server/errors.js'
import { buildApp } from '../../server/index.js'
import { managementClient } from '../helpers/management.js'

const FILE = 'store.yaml'
const APP = { client_id: 'app-a', client_secret: 'secret-a', access_token: 'token-a' }
const JOHN = { id: 1, email: 'john@example.com', password: 'p', first_name: 'John', last_name: 'Doe' }

function problems(t: Test, document: unknown): FixtureProblem[] {
  try {
    parseStore(document, FILE)
  } catch (error) {
    t.type(error, FixtureError)
    return (error as FixtureError).problems
  }
  t.fail('the document parsed')
  return []
}

t.test('a document without the new parts reads exactly as before: no records, no profile, no token', async (t) => {
  const store = parseStore(
    { store_hash: 'abc', apps: [{ client_id: 'a', client_secret: 's' }], customers: [{ id: 1, email: 'a@example.com', password: 'p' }] },
    FILE,
  )
  t.same(store, {
    storeHash: 'abc',
    apps: [{ clientId: 'a', clientSecret: 's', algorithm: 'HS512' }],
    customers: [{ id: 1, email: 'a@example.com', password: 'p', groupId: '0', firstName: 'Demo', lastName: 'Customer' }],
    generatedCount: 0,
  })
  const app = buildApp({
    fixtures: { store_hash: 'abc', apps: [{ client_id: 'a', client_secret: 's', access_token: 't' }] },
    now: 1_700_000_000,
  })
  t.teardown(() => app.close())
  const api = managementClient(t, app, { token: 't', storeHash: 'abc' })
  t.equal((await api.get('/v2/customer_groups')).status, 204, 'no groups')
  t.equal((await api.get('/v2/orders')).status, 204, 'no orders')
  t.match(
    (await api.post('/v3/customers/validate-credentials', { email: 'x@example.com', password: 'x', channel_id: 1 })).body,
    { is_valid: false },
    'channel 1 exists',
  )
})

t.test('every part read, with its defaults and store-wide ids', async (t) => {
  const store = parseStore(
    {
      store_hash: 'abc',
      apps: [APP],
      customers: [
        {
          ...JOHN,
          company: 'Acme',
          phone: '555',
          addresses: [
            { address1: '1 Main St', city: 'Austin', country_code: 'us', state_or_province: 'Texas' },
            { id: 7, address1: '2 Side St', city: 'Austin', country_code: 'US', first_name: 'Johnny', address_type: 'commercial' },
          ],
          attributes: [
            { attribute_id: 1, value: 42 },
            { attribute_id: 2, value: 'Gold' },
          ],
        },
        { id: 2, email: 'nopass@example.com' },
      ],
      customer_groups: [{ id: 6, name: 'Wholesale' }],
      customer_attributes: [
        { id: 1, name: 'Shoe size', type: 'number' },
        { id: 2, name: 'Tier', type: 'string' },
      ],
      orders: [
        {
          id: 100,
          customer_id: 1,
          date_created: '2024-05-02T09:30:00Z',
          products: [{ product_id: 77, name: 'Towel', price: '49.5', quantity: 2 }],
        },
        { id: 101, customer_id: 1, status_id: 2, products: [{ product_id: 78, name: 'Mug', price: 12 }] },
      ],
    },
    FILE,
  )
  t.same(store.apps[0], { clientId: 'app-a', clientSecret: 'secret-a', algorithm: 'HS512', accessToken: 'token-a' })
  const [john, passwordless] = store.customers
  t.match(john?.profile, {
    company: 'Acme',
    phone: '555',
    addresses: [
      { id: 8, firstName: 'John', lastName: 'Doe', countryCode: 'US', stateOrProvince: 'Texas', address2: '', addressType: 'residential' },
      { id: 7, firstName: 'Johnny', addressType: 'commercial' },
    ],
    attributes: [
      { id: 1, attributeId: 1, value: '42' },
      { id: 2, attributeId: 2, value: 'Gold' },
    ],
  })
  t.equal(passwordless?.password, '', 'no password: an empty one (the customer cannot sign in)')
  t.notOk(passwordless?.profile)
  t.same(store.records?.channels, [{ id: 1, name: 'Default storefront' }], 'channel 1 when none are listed')
  t.same(store.records?.customerGroups, [{ id: 6, name: 'Wholesale' }])
  t.match(store.records?.orders, [
    {
      id: 100,
      customerId: 1,
      statusId: 10,
      channelId: 1,
      createdAtMs: Date.parse('2024-05-02T09:30:00Z'),
      currencyCode: 'USD',
      paymentMethod: 'Manual',
      products: [{ id: 1, productId: 77, price: 495_000, quantity: 2, sku: '' }],
    },
    { id: 101, statusId: 2, products: [{ id: 2, price: 120_000, quantity: 1 }] },
  ])
  t.match(store.records?.orders[0]?.billingAddress, {
    firstName: 'John',
    email: 'john@example.com',
    company: 'Acme',
    street1: '1 Main St',
    countryIso2: 'US',
  })
  t.notOk('createdAtMs' in (store.records?.orders[1] ?? {}), 'no date: the store dates it when made')
})

t.test('every problem of the new parts is named with the file and its path', async (t) => {
  const found = problems(t, {
    store_hash: 'abc',
    apps: [
      APP,
      { client_id: 'app-b', client_secret: 's', access_token: 'token-a' },
      { client_id: 'app-c', client_secret: 's', access_token: 'has space' },
    ],
    customers: [
      {
        ...JOHN,
        company: 7,
        phone: 'x'.repeat(51),
        addresses: [
          { city: 'Austin', country_code: 'USA' },
          { address1: 'a', city: 'b', country_code: 'US', address_type: 'castle', extra: 1 },
        ],
        attributes: [
          { attribute_id: 9, value: 'x' },
          { attribute_id: 1, value: 'x'.repeat(256) },
          { attribute_id: 1, value: true },
          { attribute_id: 2, value: 'ok' },
          { attribute_id: 2, value: 'again' },
        ],
      },
    ],
    customer_groups: [
      { id: 0, name: 'None' },
      { id: 7, name: '' },
      { id: 6, name: 'Wholesale' },
      { id: 6, name: 'Again' },
    ],
    customer_attributes: [
      { id: 1, name: 'Size', type: 'boolean' },
      { id: 2, name: 'size', type: 'string' },
      { id: 3, name: 'SIZE', type: 'number' },
    ],
    channels: [
      { id: 1, name: 'One' },
      { id: 1, name: 'Dup' },
    ],
    orders: [
      { id: 1, customer_id: 99, products: [{ product_id: 1, name: 'x', price: 1 }] },
      { id: 2, customer_id: 1, channel_id: 5, status_id: 15, date_created: 'yesterday', currency_code: 'usd', products: [] },
      { id: 3, customer_id: 1, products: [{ product_id: 0, name: '', price: '-1', quantity: 0, colour: 'red' }] },
    ],
  })
  const paths = found.map((problem) => problem.path)
  for (const path of [
    'apps[1].access_token',
    'apps[2].access_token',
    'customers[0].company',
    'customers[0].phone',
    'customers[0].addresses[0].address1',
    'customers[0].addresses[0].country_code',
    'customers[0].addresses[1].address_type',
    'customers[0].addresses[1].extra',
    'customers[0].attributes[1].value',
    'customers[0].attributes[2].value',
    'customers[0].attributes[4].attribute_id',
    'customer_groups[0].id',
    'customer_groups[1].name',
    'customer_groups[3].id',
    'customer_attributes[0].type',
    'customer_attributes[2].name',
    'channels[1].id',
  ])
    t.ok(paths.includes(path), `names ${path}`)
  t.ok(
    found.every((problem) => problem.file === FILE),
    'each with the file',
  )
  t.notMatch(JSON.stringify(found), /token-a|has space/, 'access tokens are never echoed')
  t.match(found.find((problem) => problem.path === 'apps[1].access_token')?.message, /same access token as apps\[0\]/)
  // The attribute and orders checks come once the rest reads.
  const second = problems(t, {
    store_hash: 'abc',
    apps: [APP],
    customers: [{ ...JOHN, attributes: [{ attribute_id: 9, value: 'x' }] }],
    customer_attributes: [{ id: 1, name: 'Size', type: 'string' }],
  })
  t.same(second, [
    { file: FILE, path: 'customers[0].attributes[0].attribute_id', message: 'no customer attribute has id 9 (see customer_attributes)' },
  ])
  const orders = problems(t, {
    store_hash: 'abc',
    apps: [APP],
    customers: [JOHN],
    orders: [
      { id: 1, customer_id: 99, products: [{ product_id: 1, name: 'x', price: 1 }] },
      { id: 2, customer_id: 1, channel_id: 5, status_id: 15, date_created: 'yesterday', currency_code: 'usd', products: [] },
      { id: 3, customer_id: 1, products: [{ product_id: 0, name: '', price: '-1', quantity: 0, colour: 'red' }] },
      { id: 3, customer_id: 1, products: [{ product_id: 1, name: 'x', price: 1 }] },
    ],
  }).map((problem) => problem.path)
  for (const path of [
    'orders[0].customer_id',
    'orders[1].channel_id',
    'orders[1].status_id',
    'orders[1].date_created',
    'orders[1].currency_code',
    'orders[1].products',
    'orders[2].products[0].product_id',
    'orders[2].products[0].name',
    'orders[2].products[0].price',
    'orders[2].products[0].quantity',
    'orders[2].products[0].colour',
    'orders[3].id',
  ])
    t.ok(orders.includes(path), `names ${path}`)
})

t.test('an access token shows in no fixture problem, and the default fixtures give each demo app one', async (t) => {
  const found = problems(t, { store_hash: 'abc', apps: [{ client_id: 'a', client_secret: 's', access_token: `${'x'.repeat(300)}` }] })
  t.match(found, [{ path: 'apps[0].access_token', message: /300 characters/ }])
  t.notMatch(found[0]?.message, /xxxx/)
  const app = buildApp()
  t.teardown(() => app.close())
  t.same(
    app.mock.allApps().map((registered) => Boolean(registered.accessToken)),
    [true, true],
  )
})
