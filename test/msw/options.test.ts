// createMockStorefrontHandlers checks its options with the code buildApp's go through
// (server/options/store-options.ts), so a bad value is the same MockError either way.
import t from 'tap'
import { buildApp } from '../../server/build-app.js'
import { createMockStorefrontHandlers } from '../../server/msw/index.js'

const caught = (run: () => unknown): { name: string; code?: string; field?: string; message: string } | undefined => {
  try {
    run()
  } catch (error) {
    const { name, code, field, message } = error as { name: string; code?: string; field?: string; message: string }
    return { name, code, field, message }
  }
  return undefined
}

t.test('a bad store option: the same error as buildApp', async (t) => {
  const cases: Record<string, unknown>[] = [
    { tokenTtl: 0 },
    { tokenTtl: '900' },
    { now: -1 },
    { now: 1.5 },
    { sessionTtl: Number.NaN },
    { maxSessions: 2 ** 60 },
    { faults: 'status' },
    { faults: [{ route: 'current-customer', effect: 'explode' }] },
    { faults: [{ route: 'current-customer', effect: 'status', time: 1 }] },
    { faults: Array.from({ length: 101 }, () => ({ route: 'current-customer', effect: 'status' })) },
    { fixtures: { store_hash: 'abc 123', apps: [{ client_id: '', client_secret: 's' }] } },
    { fixtures: 'no/such/fixtures.yaml' },
  ]
  for (const options of cases) {
    const server = caught(() => buildApp(options))
    const msw = caught(() => createMockStorefrontHandlers(options))
    t.ok(server, `buildApp refuses ${JSON.stringify(options).slice(0, 80)}`)
    t.same(msw, server, `and the handlers refuse it alike: ${server?.message.slice(0, 100)}`)
  }
})

t.test('options of the server only, and misspelt ones, are unknown options naming the one meant', async (t) => {
  t.match(
    caught(() => createMockStorefrontHandlers({ port: 0 } as never)),
    { code: 'BCMOCK_UNKNOWN_OPTION', message: /port/ },
  )
  t.match(
    caught(() => createMockStorefrontHandlers({ tokenTTL: 60 } as never)),
    {
      code: 'BCMOCK_UNKNOWN_OPTION',
      message: /tokenTTL.*tokenTtl/,
    },
  )
  t.match(
    caught(() => createMockStorefrontHandlers('x' as never)),
    { code: 'BCMOCK_INVALID_OPTION', field: 'options' },
  )
})

t.test('origin: checked as --cors-origin is, and the handlers answer on it only', async (t) => {
  t.match(
    caught(() => createMockStorefrontHandlers({ origin: 'http://localhost:5173/' })),
    {
      code: 'BCMOCK_INVALID_OPTION',
      field: 'origin',
      message: /without the trailing slash/,
    },
  )
  const { handlers } = createMockStorefrontHandlers({ origin: 'http://localhost:5173' })
  const { getResponse } = await import('msw')
  t.equal((await getResponse(handlers, new Request('http://localhost:5173/customer/current.jwt?app_client_id=x')))?.status, 400)
  t.equal(
    await getResponse(handlers, new Request('http://elsewhere.test/customer/current.jwt?app_client_id=x')),
    undefined,
    'another origin is not answered',
  )
})

t.test('fixtures as YAML or JSON text', async (t) => {
  const yaml =
    'store_hash: xyz\napps:\n  - client_id: app1\n    client_secret: secret-1\ncustomers:\n  - id: 1\n    email: a@example.com\n    password: pw\n'
  const json = JSON.stringify({
    store_hash: 'xyz',
    apps: [{ client_id: 'app1', client_secret: 'secret-1' }],
    customers: [{ id: 1, email: 'a@example.com', password: 'pw' }],
  })
  for (const fixtures of [yaml, json]) {
    const { storefront } = createMockStorefrontHandlers({ fixtures })
    t.equal(storefront.store.storeHash, 'xyz')
    t.match(storefront.login('a@example.com'), /^SHOP_SESSION_TOKEN=[\w-]{43}; SHOP_TOKEN=[\w-]{43}$/)
  }
  t.match(
    caught(() => createMockStorefrontHandlers({ fixtures: '{"store_hash": ' })),
    { code: 'BCMOCK_FIXTURE_INVALID', message: /not valid JSON/ },
  )
  t.match(
    caught(() => createMockStorefrontHandlers({ fixtures: '  ' })),
    { code: 'BCMOCK_INVALID_OPTION', field: 'fixtures' },
  )
})
