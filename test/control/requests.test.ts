import t, { type Test } from 'tap'
import { buildApp } from '../../server/index.js'
import { RequestLog, type RecordedRequest } from '../../server/domain/request-log.js'
import { describeUrl as describeAnyUrl } from '../../server/http/safe-url.js'
import { STOREFRONT_URL_REDACTION } from '../../server/http/storefront-urls.js'
import type { RecordedRequestView } from '../../server/control/requests.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

interface RequestList {
  requests: RecordedRequestView[]
  capacity: number
  total: number
}

const NOW = 1_700_000_000

function setup(t: Test) {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  return { app, api: controlClient(t, app) }
}

t.test('GET /__mock/requests: recent storefront requests, oldest first, without secrets', async (t) => {
  const { app, api } = setup(t)
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  await api.put('/__mock/clock', { advance: 5 })
  const token = await getToken(app, DEMO.hs512App.clientId, { cookie, accept: 'application/json' })
  await app.inject({ url: `/customer/current.jwt?app_client_id=${DEMO.hs256App.clientId}&access_token=sekrit-query-value` })
  const { body: login } = await api.post<{ path: string }>('/__mock/customer-login-url', {
    client_id: DEMO.hs256App.clientId,
    customer_id: DEMO.jane.id,
  })
  const sso = await app.inject({ url: login.path })
  await app.inject({ url: '/no/such/page' })
  await app.inject({ url: '/login.php?action=logout', headers: { cookie } })

  const log = await api.get<RequestList>('/__mock/requests')
  t.equal(log.status, 200)
  t.equal(log.body.capacity, 500)
  t.equal(log.body.total, 6)
  const rows = log.body.requests.map(({ method, path, status, customer_id, client_id }) => ({
    method,
    path,
    status,
    customer_id,
    client_id,
  }))
  t.same(rows, [
    { method: 'POST', path: '/login.php?action=check_login', status: 302, customer_id: DEMO.john.id, client_id: null },
    {
      method: 'GET',
      path: `/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`,
      status: 200,
      customer_id: DEMO.john.id,
      client_id: DEMO.hs512App.clientId,
    },
    {
      method: 'GET',
      path: `/customer/current.jwt?app_client_id=${DEMO.hs256App.clientId}&access_token=[redacted]`,
      status: 404,
      customer_id: null,
      client_id: DEMO.hs256App.clientId,
    },
    { method: 'GET', path: '/login/token/[redacted]', status: 302, customer_id: DEMO.jane.id, client_id: DEMO.hs256App.clientId },
    { method: 'GET', path: '/no/such/page', status: 404, customer_id: null, client_id: null },
    { method: 'GET', path: '/login.php?action=logout', status: 302, customer_id: DEMO.john.id, client_id: null },
  ])
  t.equal(log.body.requests[0]?.at, new Date(NOW * 1000).toISOString(), 'time from the mock clock')
  t.equal(log.body.requests[1]?.at, new Date((NOW + 5) * 1000).toISOString())
  for (const entry of log.body.requests) t.ok(entry.duration_ms >= 0)

  const secrets = [
    ...cookie.split('; ').map((pair) => pair.split('=')[1] ?? ''),
    ...(sso.cookies.map((c) => c.value) ?? []),
    (JSON.parse(token.body) as { token: string }).token,
    login.path.slice('/login/token/'.length),
    'sekrit-query-value',
    DEMO.john.password,
    DEMO.hs512App.secret,
  ]
  for (const secret of secrets) t.notOk(log.text.includes(secret), `the log holds no ${secret.slice(0, 12)}...`)
  t.notMatch(log.text, /SHOP_|cookie|eyJ/i)
})

t.test('control API calls are not recorded; limit keeps the most recent; DELETE clears', async (t) => {
  const { app, api } = setup(t)
  await api.get('/__mock/health')
  await api.get('/__mock/customers')
  await api.get('/__mock/no-such-endpoint')
  t.same((await api.get<RequestList>('/__mock/requests')).body, { requests: [], capacity: 500, total: 0 })

  for (const path of ['/a', '/b', '/c']) await app.inject({ url: path })
  const lastTwo = await api.get<RequestList>('/__mock/requests?limit=2')
  t.same(
    lastTwo.body.requests.map((entry) => entry.path),
    ['/b', '/c'],
  )
  const bad = await api.get<ErrorAnswer>('/__mock/requests?limit=0')
  t.equal(bad.status, 400)
  t.ok(bad.body.errors.limit)

  const cleared = await api.delete<{ cleared: number }>('/__mock/requests')
  t.same(cleared.body, { cleared: 3 })
  t.same((await api.get<RequestList>('/__mock/requests')).body, { requests: [], capacity: 500, total: 0 })
})

t.test('the log is a bounded ring: the oldest entries go first', async (t) => {
  const { app, api } = setup(t)
  for (let index = 0; index < 510; index++) await app.inject({ url: `/page-${index}` })
  const { body } = await api.get<RequestList>('/__mock/requests')
  t.equal(body.requests.length, 500)
  t.equal(body.total, 510)
  t.equal(body.requests[0]?.path, '/page-10')
  t.equal(body.requests[499]?.path, '/page-509')
})

t.test('RequestLog keeps at most its capacity, oldest first', async (t) => {
  const entry = (path: string): RecordedRequest => ({
    atMs: 0,
    method: 'GET',
    path,
    status: 200,
    customerId: undefined,
    clientId: undefined,
    durationMs: 0,
    outcome: 'ok',
    hint: null,
  })
  const log = new RequestLog(3)
  t.same(log.entries(), [])
  for (const path of ['/1', '/2', '/3', '/4', '/5']) log.record(entry(path))
  t.same(
    log.entries().map((e) => e.path),
    ['/3', '/4', '/5'],
  )
  t.same(
    log.entries(2).map((e) => e.path),
    ['/4', '/5'],
  )
  t.same(
    log.entries(99).map((e) => e.path),
    ['/3', '/4', '/5'],
  )
  t.equal(log.size, 3)
  t.equal(log.total, 5)
  t.equal(log.clear(), 3)
  t.equal(log.size, 0)
  log.record(entry('/6'))
  t.same(
    log.entries().map((e) => e.path),
    ['/6'],
  )
  t.throws(() => new RequestLog(0), RangeError)
})

t.test('describeUrl keeps only what is safe', async (t) => {
  const describeUrl = (url: string) => describeAnyUrl(url, STOREFRONT_URL_REDACTION)
  t.same(describeUrl('/customer/current.jwt?app_client_id=abc'), { path: '/customer/current.jwt?app_client_id=abc', clientId: 'abc' })
  t.same(describeUrl('/x?token=t0k3n&app_client_id=a%20b&redirect_url=%2Fcart'), {
    path: '/x?token=[redacted]&app_client_id=a%20b&redirect_url=[redacted]',
    clientId: 'a b',
  })
  t.same(describeUrl('/login/token/not-a-jwt'), { path: '/login/token/[redacted]', clientId: undefined })
  const payload = Buffer.from(JSON.stringify({ iss: 'my-app' })).toString('base64url')
  t.same(describeUrl(`/login/token/eyJhbGciOiJIUzI1NiJ9.${payload}.c2ln?x=1`), {
    path: '/login/token/[redacted]?x=[redacted]',
    clientId: 'my-app',
  })
  t.equal(describeUrl(`/${'a'.repeat(5000)}`).path.length, 1024 + 3, 'long paths are cut')
  t.equal(describeUrl(`/x?app_client_id=${'a'.repeat(300)}`).clientId, undefined, 'an overlong client id is not kept')
})
