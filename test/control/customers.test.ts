import t, { type Test } from 'tap'
import { buildApp } from '../../server/index.js'
import type { CustomerView } from '../../server/control/customers.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

interface CustomerList {
  customers: CustomerView[]
  total: number
  offset: number
  limit: number
}

function setup(t: Test) {
  const app = buildApp({ now: 1_700_000_000 })
  t.teardown(() => app.close())
  return { app, api: controlClient(t, app) }
}

t.test('GET /__mock/customers lists the fixture customers in order, paged, without passwords', async (t) => {
  const { api } = setup(t)
  const all = await api.get<CustomerList>('/__mock/customers')
  t.equal(all.status, 200)
  t.equal(all.body.total, 27, '2 fixture customers and 25 generated')
  t.same(all.body.customers[0], { id: DEMO.john.id, email: DEMO.john.email, group_id: '6', first_name: 'John', last_name: 'Doe' })
  t.notMatch(all.text, /password|letmein|storefront"/, 'passwords are write-only')

  const page = await api.get<CustomerList>('/__mock/customers?limit=2&offset=1')
  t.same(
    page.body.customers.map((customer) => customer.id),
    [DEMO.jane.id, DEMO.jane.id + 1],
  )
  t.match(page.body, { offset: 1, limit: 2, total: 27 })

  const byEmail = await api.get<CustomerList>('/__mock/customers?email=JOHN.DOE%40example.com')
  t.same(
    byEmail.body.customers.map((customer) => customer.id),
    [DEMO.john.id],
    'email matches without regard to case',
  )
  const nobody = await api.get<CustomerList>('/__mock/customers?email=nobody%40example.com')
  t.same(nobody.body, { customers: [], total: 0, offset: 0, limit: 250 })
})

t.test('listing refuses bad query parameters by name', async (t) => {
  const { api } = setup(t)
  for (const [query, field] of [
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=10001', 'limit'],
    ['offset=-1', 'offset'],
    ['limt=5', 'limt'],
  ] as const) {
    const answer = await api.get<ErrorAnswer>(`/__mock/customers?${query}`)
    t.equal(answer.status, 400, query)
    t.ok(answer.body.errors[field], `${query} names ${field}: ${answer.body.title}`)
    t.match(answer.body.title, /^query parameter/)
  }
})

t.test('GET /__mock/customers/{id}: 200, 404 for an unknown id, 400 for a bad one', async (t) => {
  const { api } = setup(t)
  t.match((await api.get<CustomerView>(`/__mock/customers/${DEMO.jane.id}`)).body, {
    id: DEMO.jane.id,
    email: DEMO.jane.email,
    group_id: '0',
  })
  const missing = await api.get<ErrorAnswer>('/__mock/customers/999999')
  t.equal(missing.status, 404)
  t.match(missing.body, { code: 'BCMOCK_UNKNOWN_CUSTOMER', errors: { id: /999999/ } })
  for (const bad of ['abc', '0', '1.5', '-3']) {
    const answer = await api.get<ErrorAnswer>(`/__mock/customers/${bad}`)
    t.equal(answer.status, 400, bad)
    t.match(answer.body.errors.id, /^path parameter 'id'/, bad)
  }
})

t.test('POST /__mock/customers adds a customer who can then sign in', async (t) => {
  const { app, api } = setup(t)
  const created = await api.post<CustomerView>('/__mock/customers', {
    email: 'sam@example.com',
    password: 'open-sesame',
    group_id: 7,
    first_name: 'Sam',
  })
  t.equal(created.status, 201)
  const nextId = DEMO.jane.id + 25 + 1
  t.same(
    created.body,
    { id: nextId, email: 'sam@example.com', group_id: '7', first_name: 'Sam', last_name: 'Customer' },
    'fixture defaults, next id, group id as a string',
  )
  t.equal(created.headers.location, `/__mock/customers/${nextId}`)
  t.notMatch(created.text, /open-sesame/)

  const cookie = (await signIn(app, 'sam@example.com', 'open-sesame')).cookie
  const token = await getToken(app, DEMO.hs512App.clientId, { cookie })
  t.equal(token.statusCode, 200, 'the new customer gets a token')

  const withId = await api.post<CustomerView>('/__mock/customers', { id: 50, email: 'fifty@example.com', password: 'x' })
  t.equal(withId.body.id, 50)
})

t.test('POST /__mock/customers: fixture rules, each failure names its field', async (t) => {
  const { api } = setup(t)
  const cases: [string, unknown, string, RegExp][] = [
    ['no email', { password: 'x' }, 'email', /is required/],
    ['no password', { email: 'a@example.com' }, 'password', /is required/],
    ['bad email', { email: 'not-an-email', password: 'x' }, 'email', /email address/],
    ['email with spaces', { email: 'a b@example.com', password: 'x' }, 'email', /email address/],
    ['blank password', { email: 'a@example.com', password: '   ' }, 'password', /non-empty/],
    ['number password', { email: 'a@example.com', password: 1234 }, 'password', /non-empty/],
    ['id zero', { id: 0, email: 'a@example.com', password: 'x' }, 'id', /positive whole number/],
    ['id as string', { id: '12', email: 'a@example.com', password: 'x' }, 'id', /positive whole number/],
    ['id fraction', { id: 1.5, email: 'a@example.com', password: 'x' }, 'id', /positive whole number/],
    ['unsafe id', { id: 2 ** 53, email: 'a@example.com', password: 'x' }, 'id', /positive whole number/],
    ['group id letters', { email: 'a@example.com', password: 'x', group_id: 'vip' }, 'group_id', /customer group id/],
    ['negative group id', { email: 'a@example.com', password: 'x', group_id: -1 }, 'group_id', /customer group id/],
    ['empty first name', { email: 'a@example.com', password: 'x', first_name: '' }, 'first_name', /non-empty/],
    ['unknown field', { email: 'a@example.com', password: 'x', nickname: 'Al' }, 'nickname', /not accepted here.*email/],
    ['camelCase field', { email: 'a@example.com', password: 'x', firstName: 'Al' }, 'firstName', /not accepted here/],
  ]
  for (const [name, body, field, message] of cases) {
    const answer = await api.post<ErrorAnswer>('/__mock/customers', body)
    t.equal(answer.status, 400, name)
    t.match(answer.body.errors[field], message, `${name}: ${answer.body.title}`)
    t.match(answer.body.errors[field], new RegExp(`^body field '${field}'`), name)
  }
  const notJson = await api.post<ErrorAnswer>('/__mock/customers', 'email=a', { 'content-type': 'text/plain' })
  t.equal(notJson.status, 400, 'a body that is not JSON')
  t.match(notJson.body.title, /must be a JSON object \(send Content-Type: application\/json\)/)
  const noBody = await api.post<ErrorAnswer>('/__mock/customers')
  t.equal(noBody.status, 400)
  t.match(noBody.body.title, /JSON object/)
  const brokenJson = await api.post<ErrorAnswer>('/__mock/customers', '{"email":', { 'content-type': 'application/json' })
  t.equal(brokenJson.status, 400, 'broken JSON is a 400, not a 500')
})

t.test('POST /__mock/customers keeps ids and emails unique (409)', async (t) => {
  const { api } = setup(t)
  const sameId = await api.post<ErrorAnswer>('/__mock/customers', { id: DEMO.john.id, email: 'new@example.com', password: 'x' })
  t.equal(sameId.status, 409)
  t.match(sameId.body, { code: 'BCMOCK_CONFLICT', errors: { id: /4927/ } })
  const sameEmail = await api.post<ErrorAnswer>('/__mock/customers', { email: 'John.Doe@Example.com', password: 'x' })
  t.equal(sameEmail.status, 409)
  t.ok(sameEmail.body.errors.email, 'email compared without regard to case')
})

t.test('PATCH /__mock/customers/{id} changes only what is given', async (t) => {
  const { app, api } = setup(t)
  const patched = await api.patch<CustomerView>(`/__mock/customers/${DEMO.john.id}`, { group_id: '9', password: 'new-pass' })
  t.equal(patched.status, 200)
  t.same(patched.body, { id: DEMO.john.id, email: DEMO.john.email, group_id: '9', first_name: 'John', last_name: 'Doe' })
  await t.rejects(signIn(app, DEMO.john.email, DEMO.john.password), 'the old password no longer works')
  const cookie = (await signIn(app, DEMO.john.email, 'new-pass')).cookie
  const token = await getToken(app, DEMO.hs512App.clientId, { cookie, accept: 'application/json' })
  const claims = JSON.parse(
    Buffer.from((JSON.parse(token.body) as { token: string }).token.split('.')[1] ?? '', 'base64url').toString(),
  ) as { customer: { group_id: string } }
  t.equal(claims.customer.group_id, '9', 'tokens carry the new group')

  const list = await api.get<CustomerList>('/__mock/customers?limit=2')
  t.equal(list.body.customers[0]?.id, DEMO.john.id, 'the customer keeps its place')

  const renamed = await api.patch<CustomerView>(`/__mock/customers/${DEMO.john.id}`, { email: 'johnny@example.com' })
  t.equal(renamed.body.email, 'johnny@example.com')
  t.equal(
    (await api.get<CustomerList>('/__mock/customers?limit=1')).body.customers[0]?.email,
    'johnny@example.com',
    'still first after an email change',
  )
  t.equal(
    (await api.get<CustomerList>(`/__mock/customers?email=${encodeURIComponent(DEMO.john.email)}`)).body.total,
    0,
    'the old email is free',
  )
  t.equal((await api.get<CustomerList>('/__mock/customers?email=johnny%40example.com')).body.total, 1)
})

t.test('PATCH /__mock/customers/{id}: 404, 409, 400', async (t) => {
  const { api } = setup(t)
  t.equal((await api.patch<ErrorAnswer>('/__mock/customers/999999', { first_name: 'X' })).status, 404)
  const taken = await api.patch<ErrorAnswer>(`/__mock/customers/${DEMO.john.id}`, { email: DEMO.jane.email })
  t.equal(taken.status, 409)
  t.ok(taken.body.errors.email)
  const ownEmail = await api.patch<CustomerView>(`/__mock/customers/${DEMO.john.id}`, { email: DEMO.john.email.toUpperCase() })
  t.equal(ownEmail.status, 200, 'a customer may keep (or re-case) their own email')
  const takenId = await api.patch<ErrorAnswer>(`/__mock/customers/${DEMO.john.id}`, { id: DEMO.jane.id })
  t.equal(takenId.status, 409)
  t.ok(takenId.body.errors.id)
  const bad = await api.patch<ErrorAnswer>(`/__mock/customers/${DEMO.john.id}`, { last_name: 42 })
  t.equal(bad.status, 400)
  t.match(bad.body.errors.last_name, /non-empty string/)
  const unknown = await api.patch<ErrorAnswer>(`/__mock/customers/${DEMO.john.id}`, { groupId: '3' })
  t.equal(unknown.status, 400)
  t.ok(unknown.body.errors.groupId)
})

t.test("changing a customer's id ends their sessions; other changes keep them", async (t) => {
  const { app, api } = setup(t)
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  await api.patch(`/__mock/customers/${DEMO.john.id}`, { first_name: 'Jon' })
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie })).statusCode, 200, 'still signed in')
  const moved = await api.patch<CustomerView>(`/__mock/customers/${DEMO.john.id}`, { id: 1 })
  t.equal(moved.body.id, 1)
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie })).statusCode, 404, 'signed out')
  t.equal((await api.get(`/__mock/customers/${DEMO.john.id}`)).status, 404)
  t.equal((await api.get('/__mock/customers/1')).status, 200)
})

t.test('DELETE /__mock/customers/{id} removes the customer and ends their sessions', async (t) => {
  const { app, api } = setup(t)
  const first = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const second = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const jane = (await signIn(app, DEMO.jane.email, DEMO.jane.password)).cookie
  const removed = await api.delete<{ id: number; sessions_ended: number }>(`/__mock/customers/${DEMO.john.id}`)
  t.equal(removed.status, 200)
  t.same(removed.body, { id: DEMO.john.id, sessions_ended: 2 })
  for (const cookie of [first, second]) t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie })).statusCode, 404)
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie: jane })).statusCode, 200, "other customers' sessions stay")
  t.equal((await api.get(`/__mock/customers/${DEMO.john.id}`)).status, 404)
  t.equal((await api.delete(`/__mock/customers/${DEMO.john.id}`)).status, 404, 'a second delete is a 404')
  t.equal((await api.post('/__mock/customers', { email: DEMO.john.email, password: 'x' })).status, 201, 'the email is free again')
})
