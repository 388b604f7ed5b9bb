import t from 'tap'
import { jwtVerify } from 'jose'
import { buildApp } from '../../server/index.js'
import { controlClient } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

const NOW = 1_700_000_000

t.test('POST /__mock/reset puts back exactly the fixture state', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const api = controlClient(t, app)
  const snapshot = async () => ({
    customers: (await api.get('/__mock/customers?limit=10000')).body,
    apps: (await api.get('/__mock/apps')).body,
    sessions: (await api.get('/__mock/sessions')).body,
    clock: (await api.get('/__mock/clock')).body,
    requests: (await api.get('/__mock/requests')).body,
  })
  const initial = await snapshot()

  // Change everything there is to change. The login URL is signed before the secret rotates.
  const { body: login } = await api.post<{ path: string }>('/__mock/customer-login-url', {
    client_id: DEMO.hs512App.clientId,
    customer_id: DEMO.john.id,
  })
  t.equal((await app.inject({ url: login.path })).headers.location, '/account.php', 'the URL signs in once')
  t.equal((await app.inject({ url: login.path })).headers.location, '/login.php', 'and not twice')
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  await api.post('/__mock/sessions', { customer_id: DEMO.jane.id })
  await api.post('/__mock/customers', { email: 'added@example.com', password: 'x' })
  await api.patch(`/__mock/customers/${DEMO.jane.id}`, { first_name: 'Janet', password: 'changed' })
  await api.delete(`/__mock/customers/${DEMO.jane.id + 1}`)
  await api.post('/__mock/apps', { client_id: 'added-app', client_secret: 'added-secret' })
  await api.patch(`/__mock/apps/${DEMO.hs512App.clientId}`, { client_secret: 'rotated-secret', token_ttl: 5, algorithm: 'HS256' })
  await api.delete(`/__mock/apps/${DEMO.hs256App.clientId}`)
  await api.put('/__mock/clock', { advance: 10 })
  t.notSame(await snapshot(), initial, 'the state did change')

  const reset = await api.post<{
    status: string
    customers: number
    apps: number
    sessions: number
    requests: number
    clock: { now: number }
  }>('/__mock/reset')
  t.equal(reset.status, 200)
  t.match(reset.body, { status: 'ok', customers: 27, apps: 2, sessions: 0, requests: 0, clock: { now: NOW } })
  t.same(await snapshot(), initial, 'customers, apps, sessions, clock and request log as at start')

  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie })).statusCode, 404, 'old sessions are gone')
  const fresh = (await signIn(app, DEMO.jane.email, DEMO.jane.password)).cookie
  const token = (await getToken(app, DEMO.hs512App.clientId, { cookie: fresh })).body
  const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(DEMO.hs512App.secret), {
    currentDate: new Date(NOW * 1000),
  })
  t.equal(protectedHeader.alg, 'HS512', 'the app signs as the fixture says, with its original secret')
  t.equal(payload.exp! - payload.iat!, 900)

  // The clock is back at the instant the URL was signed, and the spent jti was forgotten.
  t.equal((await app.inject({ url: login.path })).headers.location, '/account.php', 'used Customer Login jtis are cleared')
})
