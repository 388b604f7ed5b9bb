// The fixture parser on its own, without a file or a server: a parsed document becomes a store
// definition with the documented defaults, or a FixtureError listing every problem with the
// file and the path; generate.customers adds reproducible customers after the listed ones.
import t, { type Test } from 'tap'
import { parseStore } from '../../server/domain/parse-store.js'
import { ERRORS, FixtureError, type FixtureProblem } from '../../server/errors.js'

const FILE = 'store.yaml'
const APPS = [{ client_id: 'app-a', client_secret: 'secret-a' }]

/** The problems parseStore reports for a document; fails the test when it parses. */
function problems(t: Test, document: unknown): FixtureProblem[] {
  try {
    parseStore(document, FILE)
  } catch (error) {
    t.type(error, FixtureError)
    t.equal((error as FixtureError).code, ERRORS.fixtureInvalid.code)
    return (error as FixtureError).problems
  }
  t.fail('the document parsed')
  return []
}

t.test('a minimal document: the defaults for apps and customers', async (t) => {
  const store = parseStore(
    {
      store_hash: 'abc123',
      apps: APPS,
      customers: [
        { id: 3, email: 'a@example.com', password: 'p' },
        { id: 4, email: 'b@example.com', password: 'q', group_id: 7, first_name: 'B', last_name: 'C' },
      ],
    },
    FILE,
  )
  t.same(store, {
    storeHash: 'abc123',
    apps: [{ clientId: 'app-a', clientSecret: 'secret-a', algorithm: 'HS512' }],
    customers: [
      { id: 3, email: 'a@example.com', password: 'p', groupId: '0', firstName: 'Demo', lastName: 'Customer' },
      { id: 4, email: 'b@example.com', password: 'q', groupId: '7', firstName: 'B', lastName: 'C' },
    ],
    generatedCount: 0,
  })
  t.same(parseStore({ store_hash: 'abc', apps: [] }, FILE).customers, [], 'customers may be left out')
})

t.test('not a mapping: one problem at the top', async (t) => {
  t.same(problems(t, null), [{ file: FILE, path: '', message: 'expected a mapping, got null' }])
  t.same(problems(t, []), [{ file: FILE, path: '', message: 'expected a mapping, got a list' }])
})

t.test('every problem is listed, each with the file and its path', async (t) => {
  const found = problems(t, {
    store_hash: 'a-b',
    extra: 1,
    apps: [
      { client_id: 'x', client_secret: 's' },
      { client_id: 'x', client_secret: 's', algorithm: 'RS256' },
      { client_id: 'y', client_secret: 's', token_ttl: -1 },
    ],
    customers: [
      { id: 1, email: 'A@example.com', password: 'p' },
      { id: 1, email: 'a@EXAMPLE.com', password: 'p' },
      { id: -2, email: 'nope', password: '', client_secret: 'z' },
    ],
    generate: { customers: 2_000_000, seed: -1, extra: 1 },
  })
  for (const problem of found) t.equal(problem.file, FILE, `${problem.path} names the file`)
  t.same(found.map((problem) => problem.path).sort(), [
    'apps[1].algorithm',
    'apps[1].client_id',
    'apps[2].token_ttl',
    'customers[1].email',
    'customers[1].id',
    'customers[2].client_secret',
    'customers[2].email',
    'customers[2].id',
    'customers[2].password',
    'extra',
    'generate.customers',
    'generate.extra',
    'generate.seed',
    'store_hash',
  ])
  const at = (path: string) => found.find((problem) => problem.path === path)?.message ?? ''
  t.match(at('apps[1].client_id'), 'duplicate client id "x" (also apps[0])')
  t.match(at('customers[1].id'), 'duplicate customer id 1 (also customers[0])')
  t.match(at('customers[1].email'), '(also customers[0])', 'emails clash whatever their case')
  t.match(at('extra'), 'unknown key; expected one of store_hash, apps, customers, generate')
  t.match(at('apps[1].algorithm'), /HS256, HS384, HS512/)
  t.match(at('generate.customers'), 'from 0 to 1000000')
})

t.test('apps is required and must be a list; customers must be a list', async (t) => {
  t.same(
    problems(t, { store_hash: 'abc' }).map((p) => p.path),
    ['apps'],
  )
  t.same(
    problems(t, { store_hash: 'abc', apps: 'x', customers: {} }).map((p) => p.path),
    ['apps', 'customers'],
  )
})

t.test('generate.customers: after the highest listed id, with the generate password, reproducible by seed', async (t) => {
  const listed = [
    { id: 30, email: 'listed@example.com', password: 'p' },
    { id: 3, email: 'other@example.com', password: 'p' },
  ]
  const store = parseStore({ store_hash: 'abc', apps: APPS, customers: listed, generate: { customers: 5, seed: 7, password: 'pw' } }, FILE)
  t.equal(store.generatedCount, 5)
  t.equal(store.generatedPassword, 'pw')
  t.equal(store.customers.length, 7)
  const generated = store.customers.slice(2)
  t.same(
    generated.map((customer) => customer.id),
    [31, 32, 33, 34, 35],
    'ids follow the highest listed id',
  )
  for (const customer of generated) t.equal(customer.password, 'pw')
  const emails = store.customers.map((customer) => customer.email.toLowerCase())
  t.equal(new Set(emails).size, emails.length, 'no generated email clashes with another')

  const again = parseStore({ store_hash: 'abc', apps: APPS, customers: listed, generate: { customers: 5, seed: 7, password: 'pw' } }, FILE)
  t.same(again.customers, store.customers, 'the same seed makes the same customers')
  const otherSeed = parseStore(
    { store_hash: 'abc', apps: APPS, customers: listed, generate: { customers: 5, seed: 8, password: 'pw' } },
    FILE,
  )
  t.not(
    JSON.stringify(otherSeed.customers.slice(2).map((c) => c.email)),
    JSON.stringify(generated.map((c) => c.email)),
    'another seed, other customers',
  )
})

t.test('generate: the defaults (seed 42, password "storefront"), and zero customers', async (t) => {
  const defaults = parseStore({ store_hash: 'abc', apps: APPS, generate: { customers: 2 } }, FILE)
  const explicit = parseStore({ store_hash: 'abc', apps: APPS, generate: { customers: 2, seed: 42, password: 'storefront' } }, FILE)
  t.same(defaults, explicit)
  t.same(
    defaults.customers.map((customer) => customer.id),
    [1, 2],
    'without listed customers ids start at 1',
  )
  t.same(parseStore({ store_hash: 'abc', apps: APPS, generate: { customers: 0 } }, FILE), {
    storeHash: 'abc',
    apps: [{ clientId: 'app-a', clientSecret: 'secret-a', algorithm: 'HS512' }],
    customers: [],
    generatedCount: 0,
    generatedPassword: 'storefront',
  })
})

t.test('generate.customers: ids may not pass the largest exact JSON integer', async (t) => {
  const found = problems(t, {
    store_hash: 'abc',
    apps: APPS,
    customers: [{ id: Number.MAX_SAFE_INTEGER - 1, email: 'a@example.com', password: 'p' }],
    generate: { customers: 5 },
  })
  t.same(
    found.map((p) => p.path),
    ['generate.customers'],
  )
  t.match(found[0]?.message, '9007199254740991')
  t.equal(
    parseStore(
      {
        store_hash: 'abc',
        apps: APPS,
        customers: [{ id: Number.MAX_SAFE_INTEGER - 1, email: 'a@example.com', password: 'p' }],
        generate: { customers: 1 },
      },
      FILE,
    ).customers[1]?.id,
    Number.MAX_SAFE_INTEGER,
    'up to it is fine',
  )
})
