// Who may call the Management API, as BigCommerce's gateway decides it: X-Auth-Token (an app's
// access_token), X-Auth-Client, the store hash, Accept and Content-Type; and that no token
// reaches an answer, a log line (at trace level) or the request log.
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { controlClient } from '../helpers/control.js'
import { LogCapture } from '../helpers/log-capture.js'
import { managementClient, type V2Error, type V3Error } from '../helpers/management.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000
const STATUS_CODES = 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes'

t.test('no token, or one no app has: 401 in the shape of the route version, before the body is read', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const none = managementClient(t, app, { token: undefined })
  const missing = await none.get<V3Error>('/v3/customers')
  t.equal(missing.status, 401)
  t.same(Object.keys(missing.body).sort(), ['code', 'errors', 'status', 'title', 'type'], "BigCommerce's ErrorResponse, plus code")
  t.match(missing.body, { status: 401, type: STATUS_CODES, code: 'BCMOCK_API_UNAUTHORIZED', title: /X-Auth-Token header is missing/ })
  const v2 = await none.get<V2Error>('/v2/orders')
  t.equal(v2.status, 401)
  t.match(v2.body, [{ status: 401, code: 'BCMOCK_API_UNAUTHORIZED' }], 'V2: an array of {status, message}')
  const wrong = managementClient(t, app, { token: 'not-a-token-of-this-store' })
  const unknown = await wrong.get<V3Error>('/v3/customers')
  t.equal(unknown.status, 401)
  t.match(unknown.body.title, /not the access token of any app/)
  t.notMatch(unknown.text, /not-a-token-of-this-store/, 'the token sent is not repeated')
  const empty = managementClient(t, app, { token: '' })
  t.equal((await empty.get('/v3/customers')).status, 401, 'an empty token is none')
  const post = await none.post<V3Error>('/v3/customers', '{not json', { 'content-type': 'application/json' })
  t.equal(post.status, 401, 'a write without a token is refused before its body is parsed')
  t.equal((await none.get<V3Error>('/v3/nothing-served')).status, 401, 'and an unknown path too: nothing is told without a token')
})

t.test("each app's token works; X-Auth-Client, when sent, must be that app's client id", async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const hs256 = managementClient(t, app, { token: DEMO.hs256App.accessToken })
  t.equal((await hs256.get('/v3/customers?id:in=4927')).status, 200)
  t.equal((await hs256.get('/v3/customers?id:in=4927', { 'x-auth-client': DEMO.hs256App.clientId })).status, 200)
  const crossed = await hs256.get<V3Error>('/v3/customers?id:in=4927', { 'x-auth-client': DEMO.hs512App.clientId })
  t.equal(crossed.status, 401, "another app's client id with this token")
  t.match(crossed.body.title, /X-Auth-Client/)
  const control = controlClient(t, app)
  const log = (await control.get<{ requests: { client_id: string | null; status: number }[] }>('/__mock/requests')).body.requests
  t.match(
    log.slice(0, 2),
    [
      { client_id: DEMO.hs256App.clientId, status: 200 },
      { client_id: DEMO.hs256App.clientId, status: 200 },
    ],
    "the request log names the token's app",
  )
})

t.test("a store hash that is not the store's: 404, whatever the token", async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  for (const token of [DEMO.hs512App.accessToken, undefined]) {
    const other = managementClient(t, app, { token, storeHash: 'zzz999' })
    const { status, body } = await other.get<V3Error>('/v3/customers')
    t.equal(status, 404)
    t.match(body, { code: 'BCMOCK_API_UNKNOWN_STORE', errors: { store_hash: /serves store "abc123"/ } })
    t.match((await other.get<V2Error>('/v2/orders')).body, [{ status: 404, code: 'BCMOCK_API_UNKNOWN_STORE' }])
  }
  const encoded = managementClient(t, app, { storeHash: '%61bc123' })
  t.equal((await encoded.get('/v3/customers?id:in=4927')).status, 200, 'the hash is compared decoded')
})

t.test('Accept and Content-Type as the reference says: JSON', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const api = managementClient(t, app)
  for (const accept of ['application/json', '*/*', 'application/json, text/plain, */*', 'application/*', ''])
    t.equal((await api.get('/v3/customers?id:in=4927', { accept })).status, 200, `Accept: ${accept}`)
  for (const accept of ['application/xml', 'text/html', 'application/json;q=0'])
    t.match(
      await api.get<V3Error>('/v3/customers?id:in=4927', { accept }),
      { status: 406, body: { code: 'BCMOCK_API_NOT_ACCEPTABLE' } },
      `Accept: ${accept}`,
    )
  const answer = await api.get('/v3/customers?id:in=4927')
  t.match(answer.headers['content-type'], /^application\/json/)
  t.equal(answer.headers['cache-control'], 'no-store')
  const text = await api.post<V3Error>('/v3/customers', 'email=x', { 'content-type': 'application/x-www-form-urlencoded' })
  t.equal(text.status, 415)
  t.equal(text.body.code, 'BCMOCK_UNSUPPORTED_MEDIA_TYPE')
  const broken = await api.post<V3Error>('/v3/customers', '[{"email": ', { 'content-type': 'application/json' })
  t.equal(broken.status, 400)
  t.equal(broken.body.code, 'BCMOCK_INVALID_JSON')
  t.same(Object.keys(broken.body).sort(), ['code', 'errors', 'status', 'title', 'type'])
})

t.test('every answer carries the rate-limit headers, with a full quota (the mock never limits)', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const { headers } = await managementClient(t, app).get('/v2/customer_groups')
  t.match(headers, {
    'x-rate-limit-requests-left': '150',
    'x-rate-limit-requests-quota': '150',
    'x-rate-limit-time-window-ms': '30000',
    'x-rate-limit-time-reset-ms': '30000',
  })
})

t.test('access tokens at run time: registered, rotated, removed, unique', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const control = controlClient(t, app)
  control.secrets.add('runtime-token-1')
  t.equal(
    (await control.post('/__mock/apps', { client_id: 'runtime-app', client_secret: 'a-secret', access_token: 'runtime-token-1' })).status,
    201,
  )
  const runtime = managementClient(t, app, { token: 'runtime-token-1' })
  t.equal((await runtime.get('/v3/customers?id:in=4927', { 'x-auth-client': 'runtime-app' })).status, 200)
  t.notMatch((await control.get('/__mock/apps/runtime-app')).text, /runtime-token-1/, 'the control API never shows a token')
  await control.patch('/__mock/apps/runtime-app', { access_token: 'runtime-token-2' })
  t.equal((await runtime.get('/v3/customers')).status, 401, 'the old token stops working at once')
  t.equal((await managementClient(t, app, { token: 'runtime-token-2' }).get('/v3/customers?id:in=1')).status, 200)
  const clash = await control.patch<{ code: string; errors: Record<string, string> }>('/__mock/apps/runtime-app', {
    access_token: DEMO.hs512App.accessToken,
  })
  t.equal(clash.status, 409, "another app's token")
  t.ok(clash.body.errors.access_token)
  t.notMatch(clash.text, new RegExp(DEMO.hs512App.accessToken), 'not repeated')
  await control.patch('/__mock/apps/runtime-app', { access_token: null })
  t.equal((await managementClient(t, app, { token: 'runtime-token-2' }).get('/v3/customers')).status, 401, 'null: no token')
  const bad = await control.post<{ errors: Record<string, string> }>('/__mock/apps', {
    client_id: 'spaces',
    client_secret: 'x',
    access_token: 'has spaces',
  })
  t.equal(bad.status, 400)
  t.ok(bad.body.errors.access_token)
})

t.test('tokens never reach a log line (trace level included) nor the request log', async (t) => {
  const log = new LogCapture()
  const app = buildApp({ now: NOW, logLevel: 'trace', logStream: log })
  t.teardown(() => app.close())
  const api = managementClient(t, app, { headers: { 'x-auth-client': DEMO.hs512App.clientId } })
  await api.get('/v3/customers?id:in=4927&email:in=john.doe@example.com')
  await api.post('/v3/customers', [
    { email: 'logged@example.com', first_name: 'L', last_name: 'G', authentication: { new_password: 'a-new-password-1' } },
  ])
  await api.put('/v3/customers', [{ id: 4927, authentication: { new_password: 'a-new-password-2' } }])
  await api.post('/v3/customers/validate-credentials', { email: DEMO.john.email, password: 'a-new-password-2' })
  await managementClient(t, app, { token: 'a-wrong-token-value' }).get('/v3/customers')
  const requests = (await controlClient(t, app).get<{ requests: { path: string }[] }>('/__mock/requests')).text
  const logged = JSON.stringify(log.lines)
  for (const secret of [DEMO.hs512App.accessToken, 'a-wrong-token-value', 'a-new-password-1', 'a-new-password-2']) {
    t.notMatch(logged, new RegExp(secret), `no log line holds ${secret.slice(0, 12)}...`)
    t.notMatch(requests, new RegExp(secret), `nor the request log`)
  }
  t.notMatch(requests, /john\.doe@example\.com/, "a filter's email is redacted in the request log")
  t.match(requests, /id%3Ain=4927/, 'the ids are kept')
  t.ok(
    log.lines.some((line) => line.msg === 'api: customers created'),
    'the mock did log the calls',
  )
})
