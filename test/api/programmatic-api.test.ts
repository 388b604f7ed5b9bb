// The package's main export: buildApp() for inject, startMockStorefront() listening for real.
import t from 'tap'
import { stringify as toYaml } from 'yaml'
import { buildApp, FixtureError, MockError, startMockStorefront, type MockStorefrontOptions } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { Browser } from '../helpers/browser.js'
import { ensureBuilt, isListening, listenOn } from '../helpers/cli.js'
import { SECRETS, testDocument, writeTemp } from '../helpers/fixture-docs.js'
import { getToken, signIn } from '../helpers/session.js'
import { checkToken, type AppUnderTest } from '../helpers/tokens.js'

const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }

t.test('startMockStorefront() resolves {url, port, close} on a free port', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  t.type(storefront.port, 'number')
  t.ok(storefront.port > 0, 'a real port, not 0')
  t.equal(storefront.url, `http://127.0.0.1:${storefront.port}`)
  t.equal(typeof storefront.close, 'function')
  t.ok(await isListening(storefront.port), 'listening')

  const browser = new Browser(storefront.url)
  t.equal((await browser.fetch('/login.php')).status, 200)
  t.equal((await browser.signIn(DEMO.john.email, DEMO.john.password)).status, 302)
  const response = await browser.fetch(`/customer/current.jwt?app_client_id=${HS512.clientId}`)
  t.equal(response.status, 200)
  const claims = await checkToken(t, await response.text(), HS512)
  t.equal(claims.customer.id, DEMO.john.id)
})

t.test('close() frees the port', async (t) => {
  const storefront = await startMockStorefront()
  const { port, url } = storefront
  await storefront.close()
  t.notOk(await isListening(port), 'nothing listens on the port')
  await t.rejects(fetch(`${url}/login.php`), 'connections are refused')
  const again = await listenOn(port)
  await new Promise<void>((resolve) => again.close(() => resolve()))
  t.pass('the port can be taken again')
})

t.test('two storefronts side by side get different ports and separate state', async (t) => {
  const [one, two] = await Promise.all([startMockStorefront(), startMockStorefront({ fixtures: testDocument() })])
  t.teardown(() => Promise.all([one.close(), two.close()]))
  t.not(one.port, two.port)
  t.equal(one.app.mock.storeHash, 'abc123')
  t.equal(two.app.mock.storeHash, 'teststore1')
})

t.test('fixtures as a path and as an object', async (t) => {
  const file = writeTemp(t, 'store.yaml', toYaml(testDocument()))
  const jsonFile = writeTemp(t, 'store.json', JSON.stringify(testDocument()))
  for (const [label, fixtures] of [
    ['a YAML path', file],
    ['a JSON path', jsonFile],
    ['an object', testDocument()],
  ] as const) {
    const storefront = await startMockStorefront({ fixtures, now: Math.floor(Date.now() / 1000), tokenTtl: 450 })
    t.teardown(() => storefront.close())
    const browser = new Browser(storefront.url)
    t.equal((await browser.signIn('alice@example.com', SECRETS.password)).status, 302, label)
    const response = await browser.fetch('/customer/current.jwt?app_client_id=app-hs512')
    const claims = await checkToken(t, await response.text(), { clientId: 'app-hs512', secret: SECRETS.hs512, algorithm: 'HS512' })
    t.equal(claims.store_hash, 'teststore1', label)
    t.equal(claims.exp - claims.iat, 450, `${label}: tokenTtl option`)
  }
})

t.test('option errors throw a MockError naming the option', async (t) => {
  const bad: Array<[MockStorefrontOptions, string]> = [
    [{ tokenTtl: -1 }, 'tokenTtl'],
    [{ tokenTtl: 0 }, 'tokenTtl'],
    [{ tokenTtl: 1.5 }, 'tokenTtl'],
    [{ tokenTtl: '900' as unknown as number }, 'tokenTtl'],
    [{ sessionTtl: 0 }, 'sessionTtl'],
    [{ maxSessions: -3 }, 'maxSessions'],
    [{ now: -1 }, 'now'],
    [{ now: 1.5 }, 'now'],
    [{ port: 70000 }, 'port'],
    [{ port: -1 }, 'port'],
    [{ host: '' }, 'host'],
    [{ logLevel: 'loud' as never }, 'logLevel'],
  ]
  for (const [options, name] of bad) {
    const label = JSON.stringify(options)
    await t.rejects(
      startMockStorefront(options),
      { name: 'MockError', message: new RegExp(`\\b${name}\\b`) },
      `startMockStorefront(${label})`,
    )
    try {
      buildApp(options)
      t.fail(`buildApp(${label}) should throw`)
    } catch (error) {
      t.ok(error instanceof MockError, `buildApp(${label}): a MockError`)
      t.match((error as MockError).message, name, `buildApp(${label}): names ${name}`)
      t.equal((error as MockError).field, name, `buildApp(${label}): field is ${name}`)
    }
  }
})

t.test('bad fixtures reject before anything listens', async (t) => {
  const doc = testDocument()
  doc.apps[1]!.client_secret = ''
  await t.rejects(startMockStorefront({ fixtures: doc }), FixtureError)
  await t.rejects(startMockStorefront({ fixtures: doc }), { message: /apps\[1\]\.client_secret/ })
  await t.rejects(startMockStorefront({ fixtures: '/no/such/file.yaml' }), { message: /\/no\/such\/file\.yaml/ })
})

t.test('a port in use rejects with a MockError carrying the advice', async (t) => {
  const blocker = await listenOn(0)
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
  const port = (blocker.address() as { port: number }).port
  await t.rejects(startMockStorefront({ port }), {
    name: 'MockError',
    code: 'BCMOCK_PORT_IN_USE',
    field: 'port',
    message: new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; .*port 0`),
  })
})

t.test('buildApp() does not listen; inject works', async (t) => {
  const app = buildApp({ now: 1480831863 })
  t.teardown(() => app.close())
  t.equal(app.server.listening, false, 'not listening')
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  const response = await getToken(app, HS512.clientId, { cookie })
  t.equal(response.statusCode, 200)
  const claims = await checkToken(t, response.body, HS512, 1480831863)
  t.equal(claims.iat, 1480831863)
})

t.test('the package exports its public API and no internals', async (t) => {
  // Types are checked by the typed consumer in test/e2e/packed-package.test.ts; these are the values.
  t.same(Object.keys(await import('../../server/index.js')).sort(), [
    'BODY_LIMIT_BYTES',
    'CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS',
    'CUSTOMER_LOGIN_MAX_AGE_SECONDS',
    'DEFAULTS',
    'DEFAULT_CUSTOMER_LOGIN_REDIRECT',
    'DEFAULT_FIXTURES_PATH',
    'EFFECTS_BY_ROUTE',
    'ERRORS',
    'FAULT_EFFECTS',
    'FAULT_HEADER',
    'FAULT_ROUTES',
    'FixtureError',
    'INVALID_LOGIN',
    'LOGIN_FLASH_COOKIE',
    'LOG_LEVELS',
    'MAX_ACTIVE_FAULTS',
    'MAX_EPOCH_SECONDS',
    'MAX_LATENCY_MS',
    'MockError',
    'SESSION_COOKIE',
    'SHOP_TOKEN_COOKIE',
    'Store',
    'TOKEN_ALGORITHMS',
    'TOKEN_FAILURE_REASONS',
    'WRONG_SECRET',
    'buildApp',
    'loadFixtures',
    'startMockStorefront',
  ])
})

t.test('the package main export (dist) offers the same API', async (t) => {
  ensureBuilt()
  const pkg = await import('bigcommerce-mock-storefront')
  t.type(pkg.buildApp, 'function')
  t.type(pkg.startMockStorefront, 'function')
  t.type(pkg.loadFixtures, 'function')
  t.type(pkg.FixtureError, 'function')
  t.type(pkg.MockError, 'function')
  const storefront = await pkg.startMockStorefront({ fixtures: testDocument() })
  t.teardown(() => storefront.close())
  const browser = new Browser(storefront.url)
  t.equal((await browser.signIn('bob@example.com', SECRETS.password)).status, 302)
  const response = await browser.fetch('/customer/current.jwt?app_client_id=app-hs256')
  await checkToken(t, await response.text(), { clientId: 'app-hs256', secret: SECRETS.hs256, algorithm: 'HS256' })
})
