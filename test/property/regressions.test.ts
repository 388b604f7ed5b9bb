// Shrunk counterexamples found by the property tests, kept as fixed tests so the bugs they
// exposed stay fixed whatever seed the properties run with.
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { SECRETS, testDocument } from '../helpers/fixture-docs.js'
import { getToken, postLogin, sessionFrom, signIn } from '../helpers/session.js'

const NOW = 1_700_000_000
// A valid-looking SHOP_TOKEN (43 base64url characters) that belongs to no session.
const FORGED_TOKEN = 'Zm9yZ2VkLXNob3AtdG9rZW4tdGhhdC1pcy1ub3QtcmVhbA'

// model.test.ts, seed 20250605, shrunk to:
//   [FormSignIn(browser 2, alice@example.com, right password), Logout(browser 2, own id, token of the next browser)]
// The next browser had no cookie, so the logout carried the session id with a forged SHOP_TOKEN,
// and it ended the session: a guest's cookie (an id without its own SHOP_TOKEN) signed someone out.
t.test('a logout carrying a session id without its own SHOP_TOKEN ends nothing', async (t) => {
  const app = buildApp({ now: NOW, fixtures: testDocument() })
  t.teardown(() => app.close())
  const alice = await signIn(app, 'alice@example.com', SECRETS.password)

  for (const cookie of [`SHOP_SESSION_TOKEN=${alice.sessionId}; SHOP_TOKEN=${FORGED_TOKEN}`, `SHOP_SESSION_TOKEN=${alice.sessionId}`]) {
    const logout = await app.inject({ url: '/login.php?action=logout', headers: { cookie } })
    t.equal(logout.statusCode, 302, 'the logout still answers as for any guest')
    t.equal(app.mock.stats().sessions, 1, `the session survives a logout with "${cookie.replace(alice.sessionId, '<id>')}"`)
    t.equal((await getToken(app, 'app-hs512', { cookie: alice.cookie })).statusCode, 200, 'and still signs its browser in')
  }

  await app.inject({ url: '/login.php?action=logout', headers: { cookie: alice.cookie } })
  t.equal(app.mock.stats().sessions, 0, 'the browser holding both cookies signs out')
})

// storefront.test.ts ("login form"), seed 20250605, counterexample:
//   right credentials (lola.hilll78@example.com / storefront) posted with cookie
//   "SHOP_SESSION_TOKEN=<victim's id>; SHOP_TOKEN=<forged>": the victim's session ended.
// A sign-in ends the browser's previous session only when the browser really held it.
t.test("a sign-in sending another session's id without its SHOP_TOKEN leaves that session alone", async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const victim = await signIn(app, 'jane.roe@example.com', 'letmein')

  for (const cookie of [`SHOP_SESSION_TOKEN=${victim.sessionId}; SHOP_TOKEN=${FORGED_TOKEN}`, `SHOP_SESSION_TOKEN=${victim.sessionId}`]) {
    const response = await postLogin(app, { login_email: '\tlola.hilll78@example.com\t', login_pass: 'storefront' }, { cookie })
    t.equal(response.statusCode, 302, 'the attacker signs in as themselves')
    t.not(sessionFrom(response).sessionId, victim.sessionId)
    t.equal(
      (await getToken(app, '6sv16tfx3j5gsopm42ss5dd67g2srvq', { cookie: victim.cookie })).statusCode,
      200,
      "the victim's session survives",
    )
  }

  // The same browser signing in again (both cookies) does end its previous session.
  const again = await postLogin(app, { login_email: 'jane.roe@example.com', login_pass: 'letmein' }, { cookie: victim.cookie })
  t.equal(again.statusCode, 302)
  t.equal(
    (await getToken(app, '6sv16tfx3j5gsopm42ss5dd67g2srvq', { cookie: victim.cookie })).statusCode,
    404,
    'a new sign-in from the same browser replaces its session',
  )
})
