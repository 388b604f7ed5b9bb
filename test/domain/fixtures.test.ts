// Fixture files and objects: every refusal names the file and the path and never a secret;
// group ids stay strings; generated customers are reproducible.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inspect } from 'node:util'
import t, { type Test } from 'tap'
import { stringify as toYaml } from 'yaml'
import { buildApp, DEFAULT_FIXTURES_PATH, FixtureError, loadFixtures, MockError, type FixtureDocument } from '../../server/index.js'
import { getToken, signIn } from '../helpers/session.js'
import { SECRETS, tempDir, testDocument, writeTemp } from '../helpers/fixture-docs.js'
import { checkToken } from '../helpers/tokens.js'

/** A fixture document, or one part of it, to break in place. */
type Mutable = Record<string, unknown>

/** A fresh {@link testDocument} as a plain record, to break in place. */
function editableDocument(): Mutable {
  return { ...testDocument() }
}

/** A document, broken on purpose, given to the loaders as the type it no longer fits. */
function asFixtures(doc: Mutable): FixtureDocument {
  return doc as unknown as FixtureDocument
}

/** Entry `index` of the document's `list`, to change in place. */
function entry(doc: Mutable, list: 'apps' | 'customers', index: number): Mutable {
  const item = (doc[list] as Mutable[])[index]
  if (item === undefined) throw new Error(`the test document has no ${list}[${index}]`)
  return item
}

/** One way to break {@link testDocument}, and the path the error must name. */
interface BadCase {
  label: string
  path: string
  mutate(doc: Mutable): void
  /** Something the message must also say. */
  says?: RegExp
  /** Values that must not appear in the message (on top of every secret). */
  hides?: string[]
}

const cases: BadCase[] = [
  { label: 'duplicate customer ids', path: 'customers[1].id', mutate: (d) => (entry(d, 'customers', 1).id = 10), says: /duplicate/i },
  {
    label: 'duplicate emails, compared without case',
    path: 'customers[1].email',
    mutate: (d) => (entry(d, 'customers', 1).email = 'ALICE@Example.COM'),
    says: /duplicate/i,
  },
  {
    label: 'duplicate client ids',
    path: 'apps[1].client_id',
    mutate: (d) => (entry(d, 'apps', 1).client_id = 'app-hs512'),
    says: /duplicate/i,
  },
  {
    label: 'an empty client secret',
    path: 'apps[1].client_secret',
    mutate: (d) => (entry(d, 'apps', 1).client_secret = ''),
    says: /non-empty/,
  },
  { label: 'a blank client secret', path: 'apps[1].client_secret', mutate: (d) => (entry(d, 'apps', 1).client_secret = '   ') },
  { label: 'a missing client secret', path: 'apps[0].client_secret', mutate: (d) => delete entry(d, 'apps', 0).client_secret },
  {
    label: 'a numeric client secret',
    path: 'apps[1].client_secret',
    mutate: (d) => (entry(d, 'apps', 1).client_secret = 987654321987),
    hides: ['987654321987'],
  },
  { label: 'a missing client id', path: 'apps[2].client_id', mutate: (d) => delete entry(d, 'apps', 2).client_id },
  {
    label: 'an unknown algorithm (RS256)',
    path: 'apps[0].algorithm',
    mutate: (d) => (entry(d, 'apps', 0).algorithm = 'RS256'),
    says: /HS256.*HS384.*HS512/,
  },
  { label: 'algorithm none', path: 'apps[0].algorithm', mutate: (d) => (entry(d, 'apps', 0).algorithm = 'none') },
  { label: 'a lower-case algorithm', path: 'apps[1].algorithm', mutate: (d) => (entry(d, 'apps', 1).algorithm = 'hs256') },
  { label: 'a zero ttl', path: 'apps[1].token_ttl', mutate: (d) => (entry(d, 'apps', 1).token_ttl = 0), says: /positive/ },
  { label: 'a negative ttl', path: 'apps[1].token_ttl', mutate: (d) => (entry(d, 'apps', 1).token_ttl = -60) },
  { label: 'a fractional ttl', path: 'apps[1].token_ttl', mutate: (d) => (entry(d, 'apps', 1).token_ttl = 1.5) },
  { label: 'a ttl given as a string', path: 'apps[1].token_ttl', mutate: (d) => (entry(d, 'apps', 1).token_ttl = '900') },
  { label: 'an app group_id that is not a group id', path: 'apps[2].group_id', mutate: (d) => (entry(d, 'apps', 2).group_id = 'admins') },
  { label: 'store_hash a number', path: 'store_hash', mutate: (d) => (d.store_hash = 123) },
  { label: 'store_hash missing', path: 'store_hash', mutate: (d) => delete d.store_hash },
  { label: 'store_hash with punctuation', path: 'store_hash', mutate: (d) => (d.store_hash = 'abc-123!') },
  { label: 'apps a mapping', path: 'apps', mutate: (d) => (d.apps = { client_id: 'x' }), says: /list/ },
  { label: 'apps missing', path: 'apps', mutate: (d) => delete d.apps },
  { label: 'an app that is a string', path: 'apps[0]', mutate: (d) => ((d.apps as unknown[])[0] = 'app-hs512') },
  { label: 'customers a string', path: 'customers', mutate: (d) => (d.customers = 'alice') },
  { label: 'a customer id given as a string', path: 'customers[0].id', mutate: (d) => (entry(d, 'customers', 0).id = '10') },
  { label: 'a zero customer id', path: 'customers[0].id', mutate: (d) => (entry(d, 'customers', 0).id = 0) },
  { label: 'a fractional customer id', path: 'customers[1].id', mutate: (d) => (entry(d, 'customers', 1).id = 11.5) },
  { label: 'an email that is a number', path: 'customers[0].email', mutate: (d) => (entry(d, 'customers', 0).email = 42) },
  { label: 'an email without @', path: 'customers[0].email', mutate: (d) => (entry(d, 'customers', 0).email = 'alice.example.com') },
  {
    label: 'a numeric password',
    path: 'customers[1].password',
    mutate: (d) => (entry(d, 'customers', 1).password = 24681357),
    hides: ['24681357'],
  },
  { label: 'an empty password', path: 'customers[0].password', mutate: (d) => (entry(d, 'customers', 0).password = '') },
  { label: 'a customer group_id of letters', path: 'customers[0].group_id', mutate: (d) => (entry(d, 'customers', 0).group_id = 'vip') },
  { label: 'a boolean customer group_id', path: 'customers[0].group_id', mutate: (d) => (entry(d, 'customers', 0).group_id = true) },
  { label: 'a negative customer group_id', path: 'customers[1].group_id', mutate: (d) => (entry(d, 'customers', 1).group_id = -1) },
  { label: 'generate a number', path: 'generate', mutate: (d) => (d.generate = 5) },
  { label: 'generate.customers a string', path: 'generate.customers', mutate: (d) => (d.generate = { customers: 'lots' }) },
  { label: 'generate.customers missing', path: 'generate.customers', mutate: (d) => (d.generate = { seed: 1 }) },
  { label: 'generate.customers too many', path: 'generate.customers', mutate: (d) => (d.generate = { customers: 10_000_000 }) },
  { label: 'a negative generate.seed', path: 'generate.seed', mutate: (d) => (d.generate = { customers: 1, seed: -1 }) },
  { label: 'an empty generate.password', path: 'generate.password', mutate: (d) => (d.generate = { customers: 1, password: '' }) },
  { label: 'an unknown top-level key', path: 'stores', mutate: (d) => (d.stores = []), says: /unknown key/ },
  { label: 'an unknown app key', path: 'apps[0].secret', mutate: (d) => (entry(d, 'apps', 0).secret = 'x'), says: /unknown key/ },
  {
    label: 'a misspelt client_secret key',
    path: 'apps[1].client_secrett',
    mutate: (d) => ((entry(d, 'apps', 1).client_secrett = 'typo-secret-value-zz'), delete entry(d, 'apps', 1).client_secret),
    hides: ['typo-secret-value-zz'],
  },
  {
    label: 'an unknown customer key',
    path: 'customers[1].passwd',
    mutate: (d) => (entry(d, 'customers', 1).passwd = 'x'),
    says: /unknown key/,
  },
  {
    label: 'an unknown generate key',
    path: 'generate.count',
    mutate: (d) => (d.generate = { customers: 1, count: 3 }),
    says: /unknown key/,
  },
]

function broken(c: BadCase): Mutable {
  const doc = structuredClone(editableDocument())
  c.mutate(doc)
  return doc
}

function expectFixtureError(
  t: Test,
  load: () => unknown,
  file: string,
  c: { path: string; says?: RegExp; hides?: string[] },
  label: string,
): void {
  let error: unknown
  try {
    load()
  } catch (caught) {
    error = caught
  }
  if (!(error instanceof FixtureError)) {
    t.fail(`${label}: expected a FixtureError, got ${error === undefined ? 'no error' : inspect(error)}`)
    return
  }
  t.ok(error instanceof MockError, `${label}: a MockError too`)
  t.ok(error.message.includes(file), `${label}: names the file ${file}\n${error.message}`)
  t.ok(error.message.includes(`${c.path}:`), `${label}: names the path ${c.path}\n${error.message}`)
  t.ok(
    error.problems.some((p) => p.path === c.path && p.file === file),
    `${label}: problems carry file and path`,
  )
  if (c.says) t.match(error.message, c.says, `${label}: says what was expected`)
  for (const secret of [...Object.values(SECRETS), ...(c.hides ?? [])])
    t.notOk(error.message.includes(secret), `${label}: no secret in the message`)
}

t.test('every bad fixture is refused, as an object, a YAML file and a JSON file', async (t) => {
  const dir = tempDir(t)
  cases.forEach((c, index) => {
    const doc = broken(c)
    expectFixtureError(t, () => loadFixtures(asFixtures(doc)), '<fixtures object>', c, `object: ${c.label}`)
    expectFixtureError(t, () => buildApp({ fixtures: asFixtures(doc) }), '<fixtures object>', c, `buildApp(object): ${c.label}`)
    const yamlFile = join(dir, `case-${index}.yaml`)
    writeFileSync(yamlFile, toYaml(doc))
    expectFixtureError(t, () => loadFixtures(yamlFile), yamlFile, c, `YAML file: ${c.label}`)
    expectFixtureError(t, () => buildApp({ fixtures: yamlFile }), yamlFile, c, `buildApp(YAML file): ${c.label}`)
    const jsonFile = join(dir, `case-${index}.json`)
    writeFileSync(jsonFile, JSON.stringify(doc, null, 2))
    expectFixtureError(t, () => loadFixtures(jsonFile), jsonFile, c, `JSON file: ${c.label}`)
  })
})

t.test('every problem is reported at once', async (t) => {
  const doc = editableDocument()
  entry(doc, 'apps', 0).algorithm = 'RS256'
  entry(doc, 'apps', 1).client_secret = ''
  entry(doc, 'customers', 1).id = 10
  doc.extra = true
  try {
    loadFixtures(asFixtures(doc))
    t.fail('expected a FixtureError')
  } catch (error) {
    t.type(error, FixtureError)
    const paths = (error as FixtureError).problems.map((p) => p.path)
    t.same(paths.sort(), ['apps[0].algorithm', 'apps[1].client_secret', 'customers[1].id', 'extra'].sort())
    for (const path of paths) t.match((error as Error).message, `${path}:`)
  }
})

t.test('a document that is not a mapping', async (t) => {
  for (const value of [[], 'store_hash: abc', null, 42]) {
    t.throws(() => loadFixtures(value as unknown as FixtureDocument), FixtureError, JSON.stringify(value))
  }
  const file = writeTemp(t, 'list.yaml', '- store_hash: abc\n')
  expectFixtureError(t, () => loadFixtures(file), file, { path: '', says: /mapping/ }, 'a YAML list')
  const empty = writeTemp(t, 'empty.yaml', '')
  t.throws(() => loadFixtures(empty), FixtureError, 'an empty file')
})

t.test('files that cannot be read or parsed', async (t) => {
  const dir = tempDir(t)
  const missing = join(dir, 'no-such-store.yaml')
  t.throws(() => loadFixtures(missing), FixtureError)
  t.throws(() => buildApp({ fixtures: missing }), FixtureError, 'buildApp refuses before anything could listen')
  try {
    loadFixtures(missing)
  } catch (error) {
    t.match((error as Error).message, missing, 'names the file')
    t.match((error as Error).message, /not found/)
  }
  t.throws(() => loadFixtures(dir), FixtureError, 'a folder is not a fixture file')

  const badYaml = writeTemp(
    t,
    'bad.yaml',
    `store_hash: abc\napps:\n  - client_id: a\n    client_secret: ${SECRETS.hs512}\n   bad_indent: [\n`,
  )
  const badJson = writeTemp(t, 'bad.json', `{"store_hash": "abc", "apps": [{"client_id": "a", "client_secret": "${SECRETS.hs512}",}]}`)
  for (const [file, kind] of [
    [badYaml, /YAML/],
    [badJson, /JSON/],
  ] as const) {
    try {
      loadFixtures(file)
      t.fail(`${file}: expected a FixtureError`)
    } catch (error) {
      t.type(error, FixtureError)
      t.match((error as Error).message, file, 'names the file')
      t.match((error as Error).message, kind, 'says which syntax is broken')
      t.notMatch((error as Error).message, SECRETS.hs512, 'no secret')
    }
  }
})

t.test('syntax errors around a secret never echo it', async (t) => {
  const secret = 'Xy9-leaky-secret-value-123'
  const files: Array<[string, string]> = [
    ['unquoted.json', `{"store_hash":"abc","apps":[{"client_id":"a","client_secret":${secret}}]}`],
    ['short.json', `{"s":${secret}}`],
    ['truncated.json', `{"store_hash":"abc","apps":[{"client_id":"a","client_secret":"${secret}"`],
    ['trailing.json', `{"store_hash":"abc","apps":[{"client_id":"a","client_secret":"${secret}"}]} ${secret}`],
    ['alias.yaml', `store_hash: abc\napps:\n  - client_id: a\n    client_secret: *${secret}\n`],
    ['reserved.yaml', `store_hash: abc\napps:\n  - client_id: a\n    client_secret: @${secret}\n`],
    ['quote.yaml', `store_hash: abc\napps:\n  - client_id: a\n    client_secret: "${secret}\n`],
    ['tag.yaml', `store_hash: abc\napps:\n  - client_id: a\n    client_secret: !${secret}\n`],
    ['colon.yaml', `store_hash: abc\napps:\n  - client_id: a\n    client_secret: ${secret}: x\n`],
  ]
  const warnings: string[] = []
  const onWarning = (warning: Error) => warnings.push(String(warning.stack ?? warning.message))
  process.on('warning', onWarning)
  t.teardown(() => void process.off('warning', onWarning))
  const dir = tempDir(t)
  for (const [name, text] of files) {
    const file = join(dir, name)
    writeFileSync(file, text)
    try {
      loadFixtures(file)
      t.fail(`${name}: expected a FixtureError`)
    } catch (error) {
      t.type(error, FixtureError, name)
      const message = (error as Error).message
      t.match(message, file, `${name}: names the file`)
      t.notOk(message.includes(secret.slice(0, 8)), `${name}: no part of the secret in ${JSON.stringify(message)}`)
    }
  }
  await new Promise((resolve) => setImmediate(resolve))
  t.same(
    warnings.filter((w) => w.includes(secret.slice(0, 8))),
    [],
    'no warning printed to stderr quotes the secret',
  )
})

t.test('group ids given as numbers are kept as strings', async (t) => {
  const doc = editableDocument()
  entry(doc, 'customers', 0).group_id = 6
  entry(doc, 'customers', 1).group_id = 0
  entry(doc, 'apps', 0).group_id = 7
  const store = loadFixtures(asFixtures(doc))
  t.equal(store.customers[0]!.groupId, '6')
  t.equal(store.customers[1]!.groupId, '0')
  t.equal(store.apps[0]!.groupId, '7')

  const file = writeTemp(t, 'numbers.yaml', toYaml(doc))
  const fromFile = loadFixtures(file)
  t.equal(fromFile.customers[0]!.groupId, '6', 'YAML `group_id: 6` becomes "6"')

  const app = buildApp({ fixtures: file })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, 'bob@example.com', SECRETS.password)
  const hs256 = await getToken(app, 'app-hs256', { cookie })
  const claims = await checkToken(t, hs256.body, { clientId: 'app-hs256', secret: SECRETS.hs256, algorithm: 'HS256' })
  t.equal(claims.customer.group_id, '0', 'a numeric 0 is "0" in the token')
  const forced = await getToken(app, 'app-hs512', { cookie })
  t.equal((await checkToken(t, forced.body, { clientId: 'app-hs512', secret: SECRETS.hs512, algorithm: 'HS512' })).customer.group_id, '7')
})

t.test('generate: reproducible from its seed, ids after the fixtures, unique emails', async (t) => {
  const withGenerate = (seed: number, customers = 25): FixtureDocument => ({ ...testDocument(), generate: { customers, seed } })
  const first = loadFixtures(withGenerate(42))
  const second = loadFixtures(withGenerate(42))
  t.equal(first.generatedCount, 25)
  t.equal(first.customers.length, 27)
  t.same(second.customers, first.customers, 'same seed, same customers')
  const other = loadFixtures(withGenerate(43))
  t.notSame(other.customers.slice(2), first.customers.slice(2), 'a different seed, different customers')

  const generated = first.customers.slice(2)
  t.same(
    generated.map((c) => c.id),
    Array.from({ length: 25 }, (_, i) => 12 + i),
    'ids follow the highest fixture id (11)',
  )
  t.ok(
    generated.every((c) => c.groupId === '0' && c.password === 'storefront'),
    'group "0", default password "storefront"',
  )

  const many = loadFixtures(withGenerate(7, 2000))
  const emails = many.customers.map((c) => c.email.toLowerCase())
  t.equal(new Set(emails).size, emails.length, '2000 generated customers, no repeated email (case-insensitively)')
  t.ok(
    many.customers.every((c) => /^[^\s@]+@[^\s@]+$/.test(c.email)),
    'all look like emails',
  )

  const highId = editableDocument()
  entry(highId, 'customers', 0).id = 5000
  highId.generate = { customers: 3, seed: 1, password: 'gen-pass' }
  const after = loadFixtures(asFixtures(highId))
  t.same(
    after.customers.slice(2).map((c) => c.id),
    [5001, 5002, 5003],
    'after the highest id, wherever it is',
  )
  t.equal(after.generatedPassword, 'gen-pass')

  const fromFile = loadFixtures(writeTemp(t, 'gen.yaml', toYaml(withGenerate(42))))
  t.same(fromFile.customers, first.customers, 'a file with the same seed gives the same customers')

  const probe = loadFixtures({ ...testDocument(), generate: { customers: 1, seed: 42 } }).customers[2]!
  const clash = testDocument()
  clash.customers![1]!.email = probe.email.toUpperCase()
  const clashed = loadFixtures({ ...clash, generate: { customers: 1, seed: 42 } })
  t.not(clashed.customers[2]!.email.toLowerCase(), probe.email.toLowerCase(), "a generated email never repeats a fixture customer's")

  const none = loadFixtures({ ...testDocument(), generate: { customers: 0 } })
  t.equal(none.customers.length, 2, 'customers: 0 generates none')
})

t.test('a generated customer signs in with the generate password', async (t) => {
  const app = buildApp({ fixtures: { ...testDocument(), generate: { customers: 3, seed: 9, password: 'gen-pass' } } })
  t.teardown(() => app.close())
  const generated = [...app.mock.allCustomers()].slice(2)
  for (const customer of generated) {
    const { cookie } = await signIn(app, customer.email, 'gen-pass')
    const response = await getToken(app, 'app-hs384', { cookie })
    const claims = await checkToken(t, response.body, { clientId: 'app-hs384', secret: SECRETS.hs384, algorithm: 'HS384' })
    t.equal(claims.customer.id, customer.id)
    t.equal(claims.customer.email, customer.email)
  }
})

t.test('JSON and YAML fixture files work end to end', async (t) => {
  for (const [name, text] of [
    ['store.json', JSON.stringify(testDocument())],
    ['store.yaml', toYaml(testDocument())],
    ['store.yml', toYaml(testDocument())],
  ] as const) {
    const file = writeTemp(t, name, text)
    const app = buildApp({ fixtures: file })
    t.teardown(() => app.close())
    t.equal(app.mock.storeHash, 'teststore1', name)
    const { cookie } = await signIn(app, 'alice@example.com', SECRETS.password)
    const response = await getToken(app, 'app-hs256', { cookie })
    t.equal(response.statusCode, 200, name)
    const claims = await checkToken(t, response.body, { clientId: 'app-hs256', secret: SECRETS.hs256, algorithm: 'HS256' })
    t.equal(claims.store_hash, 'teststore1')
  }
})

t.test('the bundled default fixtures', async (t) => {
  const store = loadFixtures()
  t.equal(loadFixtures(DEFAULT_FIXTURES_PATH).storeHash, store.storeHash)
  t.equal(store.storeHash, 'abc123')
  t.ok(
    store.apps.some((a) => a.clientId === '6sv16tfx3j5gsopm42ss5dd67g2srvq' && a.algorithm === 'HS512'),
    'the seed app, HS512',
  )
  t.ok(
    store.apps.some((a) => a.algorithm === 'HS256'),
    'an HS256 app for node-bigcommerce',
  )
  t.match(
    store.customers.find((c) => c.id === 4927),
    { email: 'john.doe@example.com', groupId: '6' },
    'customer 4927 in group "6"',
  )
  t.ok(store.generatedCount > 0, 'plus generated customers')
  t.same(loadFixtures().customers, store.customers, 'the same generated customers on every load')
})

t.test('an app with no customers section and an empty apps list load', async (t) => {
  const store = loadFixtures({ store_hash: 'x1', apps: [] })
  t.same(store.apps, [])
  t.same(store.customers, [])
  const app = buildApp({ fixtures: { store_hash: 'x1', apps: [] } })
  t.teardown(() => app.close())
  const response = await getToken(app, 'anything')
  t.equal(response.statusCode, 400)
  t.match(response.body, /no apps are registered/)
})
