// Control API edge rules: cross-site writes, duplicate Host, the customer id space, run-time caps.
import t from 'tap'
import { composeApp } from '../../server/build-app.js'
import { buildApp, loadFixtures } from '../../server/index.js'
import { resolveOptions } from '../../server/options/resolve.js'
import type { ErrorAnswer } from '../helpers/control.js'
import { rawExchange } from '../helpers/raw-http.js'
import { DEMO } from '../helpers/storefront.js'

t.test('a state-changing control call with Sec-Fetch-Site: cross-site is refused even without Origin', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const reset = await app.inject({ method: 'POST', url: '/__mock/reset', headers: { 'sec-fetch-site': 'cross-site' } })
  t.equal(reset.statusCode, 403)
  t.equal(reset.json<ErrorAnswer>().code, 'BCMOCK_CONTROL_FOREIGN')
  t.match(reset.json<ErrorAnswer>().errors.control, /Sec-Fetch-Site: cross-site/)
  const create = await app.inject({
    method: 'POST',
    url: '/__mock/sessions',
    headers: { 'sec-fetch-site': 'cross-site' },
    payload: { customer_id: DEMO.john.id },
  })
  t.equal(create.statusCode, 403, 'no session minted for a cross-site page')
  t.equal(
    (await app.inject({ method: 'GET', url: '/__mock/health', headers: { 'sec-fetch-site': 'cross-site' } })).statusCode,
    200,
    'a read is still answered',
  )
  t.equal(
    (await app.inject({ method: 'POST', url: '/__mock/reset', headers: { 'sec-fetch-site': 'same-origin' } })).statusCode,
    200,
    'same-origin writes pass',
  )
})

t.test('a request with two Host headers gets 400', async (t) => {
  const app = buildApp()
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const port = (app.server.address() as { port: number }).port
  for (const path of ['/__mock/health', '/login.php']) {
    const answer = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`, {
      timeoutMs: 3000,
    })
    t.equal(answer.status, 400, `${path}: 400`)
    t.match(answer.text, /BCMOCK_DUPLICATE_HOST/)
  }
  const one = await rawExchange(port, `GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, { timeoutMs: 3000 })
  t.equal(one.status, 200, 'one Host is fine')
})

t.test('the next customer id past 2^53-1 is a clear error naming the id space', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const top = await app.inject({
    method: 'POST',
    url: '/__mock/customers',
    payload: { id: Number.MAX_SAFE_INTEGER, email: 'top@example.com', password: 'pw' },
  })
  t.equal(top.statusCode, 201)
  const next = await app.inject({ method: 'POST', url: '/__mock/customers', payload: { email: 'next@example.com', password: 'pw' } })
  t.equal(next.statusCode, 409)
  t.equal(next.json<ErrorAnswer>().code, 'BCMOCK_ID_SPACE_EXHAUSTED')
  t.match(next.json<ErrorAnswer>().errors.id, /9007199254740991 \(2\^53-1/)
  t.equal(
    (await app.inject({ method: 'POST', url: '/__mock/customers', payload: { id: 77, email: 'next@example.com', password: 'pw' } }))
      .statusCode,
    201,
    'an explicit free id works',
  )
  t.throws(
    () =>
      loadFixtures({
        store_hash: 'abc',
        apps: [],
        customers: [{ id: Number.MAX_SAFE_INTEGER - 1, email: 'a@b.c', password: 'p' }],
        generate: { customers: 5 },
      }),
    /generate\.customers: .*2\^53-1/,
    'a fixture whose generated ids would pass it is refused naming generate.customers',
  )
})

t.test('customers and apps added at run time have a cap, past which 409 says so', async (t) => {
  const app = composeApp(resolveOptions({}), { runtimeCaps: { customers: 2, apps: 1 } })
  t.teardown(() => app.close())
  for (const n of [1, 2])
    t.equal(
      (await app.inject({ method: 'POST', url: '/__mock/customers', payload: { email: `c${n}@example.com`, password: 'pw' } })).statusCode,
      201,
    )
  const over = await app.inject({ method: 'POST', url: '/__mock/customers', payload: { email: 'c3@example.com', password: 'pw' } })
  t.equal(over.statusCode, 409)
  t.equal(over.json<ErrorAnswer>().code, 'BCMOCK_STORE_FULL')
  t.match(over.json<ErrorAnswer>().errors.customer, /2 customers beyond its fixtures/)
  t.equal((await app.inject({ method: 'POST', url: '/__mock/apps', payload: { client_id: 'app-1', client_secret: 's' } })).statusCode, 201)
  const appOver = await app.inject({ method: 'POST', url: '/__mock/apps', payload: { client_id: 'app-2', client_secret: 's' } })
  t.equal(appOver.statusCode, 409)
  t.equal(appOver.json<ErrorAnswer>().code, 'BCMOCK_STORE_FULL')
  t.equal((await app.inject({ method: 'DELETE', url: '/__mock/apps/app-1' })).statusCode, 200)
  t.equal(
    (await app.inject({ method: 'POST', url: '/__mock/apps', payload: { client_id: 'app-2', client_secret: 's' } })).statusCode,
    201,
    'deleting one frees its place',
  )
})
