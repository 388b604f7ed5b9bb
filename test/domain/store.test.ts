// The Store on its own, without Fastify: what its methods change and what its reads answer.
import t from 'tap'
import { Store, type StoreDefinition } from '../../server/index.js'
import { loadFixtures } from '../../server/fixture-loader/load-fixtures.js'

const SETTINGS = { tokenTtl: 900, sessionTtl: 600, maxSessions: 100, now: 1_700_000_000 }

function definition(customers: { id: number; email: string }[], generate = 0): StoreDefinition {
  return loadFixtures({
    store_hash: 'abc123',
    apps: [{ client_id: 'app', client_secret: 'a-long-secret' }],
    customers: customers.map((customer) => ({ ...customer, password: 'letmein' })),
    ...(generate > 0 && { generate: { customers: generate, seed: 7, password: 'generated' } }),
  })
}

t.test('reload: the new fixtures apply at once; sessions of customers that are gone end', async (t) => {
  const store = new Store(
    definition([
      { id: 1, email: 'a@example.com' },
      { id: 2, email: 'b@example.com' },
    ]),
    SETTINGS,
  )
  store.startSession(store.findCustomer(1))
  store.startSession(store.findCustomer(2))
  store.reload(
    definition([
      { id: 2, email: 'b@example.com' },
      { id: 3, email: 'c@example.com' },
    ]),
  )
  t.same(
    [...store.allCustomers()].map((customer) => customer.id),
    [2, 3],
  )
  t.same(
    store.heldSessions().map((session) => session.customerId),
    [2],
    "customer 1's session ended",
  )
  t.match(store.stats(), { customers: 2, apps: 1, sessions: 1, liveSessions: 1 })
})

t.test('prepareReload: customers go in by batches and nothing changes until apply', async (t) => {
  const store = new Store(definition([{ id: 1, email: 'a@example.com' }]), SETTINGS)
  const next = definition([
    { id: 5, email: 'e@example.com' },
    { id: 6, email: 'f@example.com' },
  ])
  const pending = store.prepareReload()
  pending.addCustomers(next.customers.slice(0, 1))
  t.equal(store.lookupCustomer(5), undefined, 'not yet')
  t.throws(() => pending.apply(next), /indexed 1 customers, the fixtures have 2/, 'a partial reload is refused')
  t.ok(store.lookupCustomer(1), 'and changed nothing')
  pending.addCustomers(next.customers.slice(1))
  pending.apply(next)
  t.same(
    [...store.allCustomers()].map((customer) => customer.id),
    [5, 6],
  )
})

t.test('fixtureCustomers: written and generated customers, as they are now', async (t) => {
  const store = new Store(
    definition(
      [
        { id: 1, email: 'a@example.com' },
        { id: 2, email: 'b@example.com' },
      ],
      5,
    ),
    SETTINGS,
  )
  store.updateCustomer(1, { first_name: 'Changed' })
  store.removeCustomer(2)
  store.addCustomer({ email: 'added@example.com', password: 'x' })
  const fixture = store.fixtureCustomers(2)
  t.same(
    fixture.written.map((customer) => [customer.id, customer.firstName]),
    [[1, 'Changed']],
    'a removed one is left out, a changed one shown changed, an added one is none',
  )
  t.equal(fixture.writtenCount, 2)
  t.same(
    fixture.generated.map((customer) => customer.id),
    [3, 4],
    'the first generated ones',
  )
  t.equal(fixture.generatedCount, 5)
  t.equal(fixture.generatedPassword, 'generated')
})

t.test('the request log: stamped by the clock, and nothing recorded for a request begun before a reset', async (t) => {
  const store = new Store(definition([{ id: 1, email: 'a@example.com' }]), SETTINGS)
  const entry = {
    method: 'GET',
    path: '/',
    status: 200,
    customerId: undefined,
    clientId: undefined,
    durationMs: 1,
    outcome: 'ok',
    hint: null,
  }
  const startedIn = store.generation
  store.recordRequest(entry, startedIn)
  t.match(store.listRequests(), [{ ...entry, atMs: 1_700_000_000_000 }])
  store.reset()
  store.recordRequest(entry, startedIn)
  t.same(store.listRequests(), [], 'begun before the reset: not recorded')
  store.recordRequest(entry)
  t.equal(store.stats().requests, 1)
  t.equal(store.clearRequests(), 1)
  t.equal(store.stats().requestsTotal, 0)
})

t.test('the clock: changed only by its rules', async (t) => {
  const store = new Store(definition([{ id: 1, email: 'a@example.com' }]), SETTINGS)
  t.match(store.changeClock({ advance: 60 }), { seconds: 1_700_000_060, frozen: true })
  t.throws(() => store.changeClock({ now: 1, advance: 1 }), { field: 'advance', message: /not both/ })
  t.throws(() => store.changeClock({}), { field: 'now', message: /required/ })
  t.match(store.useRealTime(), { frozen: false })
  t.throws(
    () => new Store(definition([]), { ...SETTINGS, now: -1 }),
    { field: 'now', message: /epoch seconds/ },
    'a store cannot start outside the range either',
  )
})
