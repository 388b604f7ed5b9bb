// Storefront sessions: idle expiry on the mock's clock (sliding), and a bounded store.
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { cookieHeader, getToken, postLogin, signIn } from '../helpers/session.js'
import { checkToken, expectToken, type AppUnderTest } from '../helpers/tokens.js'

const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }
const nowSeconds = () => Math.floor(Date.now() / 1000)

t.test('a session idle for longer than sessionTtl ends', async (t) => {
  const app = buildApp({ now: nowSeconds(), sessionTtl: 300 })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  app.mock.changeClock({ advance: 301 })
  const response = await getToken(app, HS512.clientId, { cookie })
  t.equal(response.statusCode, 404, 'past the idle ttl: 404')
  t.match(response.body, /errors/)
  t.equal((await app.inject({ url: '/account.php', headers: { cookie } })).statusCode, 302, 'and the account page sends to sign-in')
  app.mock.changeClock({ advance: -301 })
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 404, 'an expired session stays ended when the clock goes back')
})

t.test('the default idle ttl is a day', async (t) => {
  const app = buildApp({ now: nowSeconds() })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  app.mock.changeClock({ advance: 86_400 - 1 })
  const alive = await getToken(app, HS512.clientId, { cookie })
  t.equal(alive.statusCode, 200, 'alive just inside a day')
  await checkToken(t, alive.body, HS512, app.mock.now().seconds)
  app.mock.changeClock({ advance: 86_400 + 1 })
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 404, 'ended after more than a day idle')
})

t.test('a session used within the ttl stays alive (sliding expiry)', async (t) => {
  const start = nowSeconds()
  const app = buildApp({ now: start, sessionTtl: 300 })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  for (let step = 1; step <= 5; step++) {
    app.mock.changeClock({ advance: 250 })
    const response = await getToken(app, HS512.clientId, { cookie })
    t.equal(response.statusCode, 200, `used again after 250 s (${step * 250} s since sign-in)`)
    const claims = await checkToken(t, response.body, HS512, app.mock.now().seconds)
    t.equal(claims.iat, start + step * 250)
  }
  const page = await app.inject({ url: '/account.php', headers: { cookie } })
  t.equal(page.statusCode, 200, 'the account page also counts as use')
  app.mock.changeClock({ advance: 250 })
  await expectToken(t, app, HS512, cookie, 'kept alive by the account page visit')
  app.mock.changeClock({ advance: 301 })
  t.equal((await getToken(app, HS512.clientId, { cookie })).statusCode, 404, 'then idle too long: ended')
})

t.test('the store is bounded: past maxSessions the least recently used session ends', async (t) => {
  const app = buildApp({ maxSessions: 3 })
  t.teardown(() => app.close())
  const sessions = []
  for (let i = 0; i < 4; i++) sessions.push(await signIn(app, DEMO.john.email, DEMO.john.password))
  t.equal(app.mock.stats().sessions, 3, 'three sessions held')
  const first = await getToken(app, HS512.clientId, { cookie: sessions[0]!.cookie })
  t.equal(first.statusCode, 404, "the first session's cookies give 404")
  t.match(first.body, /errors/)
  for (const [index, session] of sessions.slice(1).entries()) {
    const response = await getToken(app, HS512.clientId, { cookie: session.cookie })
    t.equal(response.statusCode, 200, `session ${index + 2} still works`)
    await checkToken(t, response.body, HS512)
  }
})

t.test('eviction is least recently used, not first created', async (t) => {
  const app = buildApp({ maxSessions: 3 })
  t.teardown(() => app.close())
  const [a, b, c] = [
    await signIn(app, DEMO.john.email, 'letmein'),
    await signIn(app, DEMO.jane.email, 'letmein'),
    await signIn(app, DEMO.john.email, 'letmein'),
  ]
  await expectToken(t, app, HS512, a.cookie, 'a used again: now the most recent')
  await signIn(app, DEMO.jane.email, 'letmein')
  t.equal((await getToken(app, HS512.clientId, { cookie: b.cookie })).statusCode, 404, 'b, least recently used, ended')
  await expectToken(t, app, HS512, a.cookie, 'a survives')
  await expectToken(t, app, HS512, c.cookie, 'c survives')
})

t.test('no stream of requests grows the store past its bound', async (t) => {
  const app = buildApp({ maxSessions: 50 })
  t.teardown(() => app.close())
  for (let i = 0; i < 300; i++) await signIn(app, i % 2 ? DEMO.john.email : DEMO.jane.email, 'letmein')
  t.equal(app.mock.stats().sessions, 50, '300 sign-ins, 50 sessions held')
  const statuses = new Set<number>()
  for (let i = 0; i < 200; i++) {
    statuses.add((await postLogin(app, { login_email: DEMO.john.email, login_pass: `wrong-${i}` })).statusCode)
    statuses.add((await getToken(app, HS512.clientId, { cookie: cookieHeader(`forged-${i}-${'x'.repeat(30)}`, `forged-${i}`) })).statusCode)
  }
  t.notOk(statuses.has(302) || statuses.has(200), 'none of them signed in')
  t.equal(app.mock.stats().sessions, 50, 'failed sign-ins and forged cookies add nothing')
})

t.test('logout ends exactly the one session', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const laptop = await signIn(app, DEMO.john.email, DEMO.john.password)
  const phone = await signIn(app, DEMO.john.email, DEMO.john.password)
  await app.inject({ url: '/login.php?action=logout', headers: { cookie: laptop.cookie } })
  t.equal((await getToken(app, HS512.clientId, { cookie: laptop.cookie })).statusCode, 404, 'the signed-out browser is a guest')
  const other = await getToken(app, HS512.clientId, { cookie: phone.cookie })
  t.equal(other.statusCode, 200, "the same customer's other session is untouched")
  await checkToken(t, other.body, HS512)
})

t.test('sessions are per app instance', async (t) => {
  const one = buildApp()
  const two = buildApp()
  t.teardown(() => Promise.all([one.close(), two.close()]))
  const { cookie } = await signIn(one, DEMO.john.email, DEMO.john.password)
  t.equal((await getToken(two, HS512.clientId, { cookie })).statusCode, 404, "another instance does not know this instance's session")
})
