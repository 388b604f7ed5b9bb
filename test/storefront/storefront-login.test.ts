// The Stencil storefront sign-in: the form, check_login, logout and the account page.
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, parseSetCookie, postLogin, setCookieLines, sessionFrom, signIn } from '../helpers/session.js'
import { checkToken, expectToken, type AppUnderTest } from '../helpers/tokens.js'

const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }
const WRONG = 'Your email address or password is incorrect'

function newApp(t: { teardown(fn: () => unknown): void }) {
  const app = buildApp()
  t.teardown(() => app.close())
  return app
}

t.test('GET /login.php: the cornerstone sign-in form', async (t) => {
  const app = newApp(t)
  const response = await app.inject({ url: '/login.php' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/html\b/)
  t.equal(setCookieLines(response).length, 0, 'showing the form sets no cookie')
  const form = /<form\b[^>]*>/i.exec(response.body)?.[0] ?? ''
  t.match(form, /action="\/login\.php\?action=check_login"/, 'posts to /login.php?action=check_login')
  t.match(form, /method="post"/i)
  t.match(response.body, /<input\b[^>]*name="login_email"/, 'a login_email field')
  t.match(
    response.body,
    /<input\b[^>]*type="password"[^>]*name="login_pass"|<input\b[^>]*name="login_pass"[^>]*type="password"/,
    'a login_pass password field',
  )
})

t.test('POST check_login, right details: 302 to /account.php with both cookies', async (t) => {
  const app = newApp(t)
  const response = await postLogin(app, { login_email: DEMO.john.email, login_pass: DEMO.john.password })
  t.equal(response.statusCode, 302)
  t.equal(response.headers.location, '/account.php')
  const raw = setCookieLines(response)
  t.equal(raw.length, 2, 'two Set-Cookie headers')
  const byName = new Map(raw.map((line) => [parseSetCookie(line).name, line]))
  t.same([...byName.keys()].sort(), ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN'])
  for (const [name, line] of byName) {
    const { value, attributes } = parseSetCookie(line)
    const lower = attributes.map((a) => a.toLowerCase())
    t.ok(lower.includes('httponly'), `${name}: HttpOnly (${line})`)
    t.ok(lower.includes('samesite=lax'), `${name}: SameSite=Lax`)
    t.ok(attributes.includes('Path=/'), `${name}: Path=/`)
    t.notOk(
      lower.some((a) => a === 'secure' || a === 'samesite=none'),
      `${name}: no Secure/SameSite=None over plain http`,
    )
    t.match(value, /^[A-Za-z0-9_-]{43}$/, `${name}: 43 base64url characters`)
    t.equal(Buffer.from(value, 'base64url').length, 32, `${name}: 256 bits`)
  }
  const { sessionId, shopToken, cookie } = sessionFrom(response)
  t.not(sessionId, shopToken, 'the two cookies are independent values')
  const token = await getToken(app, HS512.clientId, { cookie })
  t.equal(token.statusCode, 200, 'the cookies yield a token')
  await checkToken(t, token.body, HS512)
})

t.test('every sign-in gets fresh random cookie values', async (t) => {
  const app = newApp(t)
  const seen = new Set<string>()
  for (let i = 0; i < 20; i++) {
    const { sessionId, shopToken } = await signIn(app, i % 2 ? DEMO.john.email : DEMO.jane.email, DEMO.john.password)
    seen.add(sessionId)
    seen.add(shopToken)
  }
  t.equal(seen.size, 40, 'no session id or SHOP_TOKEN repeats')
})

t.test('wrong password or unknown email: the login page again, with the message and no cookie', async (t) => {
  const app = newApp(t)
  const cases: Array<[string, Record<string, string>]> = [
    ['wrong password', { login_email: DEMO.john.email, login_pass: 'not-the-password' }],
    ['password in the wrong case', { login_email: DEMO.john.email, login_pass: DEMO.john.password.toUpperCase() }],
    ['unknown email', { login_email: 'nobody@example.com', login_pass: DEMO.john.password }],
    ["another customer's password", { login_email: DEMO.john.email, login_pass: 'storefront' }],
  ]
  for (const [label, fields] of cases) {
    const response = await postLogin(app, fields)
    t.not(response.statusCode, 302, `${label}: no redirect`)
    t.match(response.headers['content-type'], /^text\/html\b/, label)
    t.match(response.body, WRONG, `${label}: says "${WRONG}"`)
    t.match(response.body, /name="login_email"/, `${label}: the form again`)
    t.equal(response.headers['set-cookie'], undefined, `${label}: no Set-Cookie`)
  }
  t.equal(app.mock.stats().sessions, 0, 'no session was created')
})

t.test('the email is compared without regard to case', async (t) => {
  const app = newApp(t)
  for (const email of ['JOHN.DOE@EXAMPLE.COM', 'John.Doe@Example.com', ` ${DEMO.john.email}`]) {
    const response = await postLogin(app, { login_email: email, login_pass: DEMO.john.password })
    t.equal(response.statusCode, 302, email)
    const token = await getToken(app, HS512.clientId, { cookie: sessionFrom(response).cookie })
    const claims = await checkToken(t, token.body, HS512)
    t.equal(claims.customer.email, DEMO.john.email, 'the token carries the stored email')
  }
})

t.test('missing fields: 400 naming the field', async (t) => {
  const app = newApp(t)
  const cases: Array<[string, Record<string, string>, string]> = [
    ['no login_email', { login_pass: 'x' }, 'login_email'],
    ['empty login_email', { login_email: '', login_pass: 'x' }, 'login_email'],
    ['no login_pass', { login_email: DEMO.john.email }, 'login_pass'],
    ['empty login_pass', { login_email: DEMO.john.email, login_pass: '' }, 'login_pass'],
    ['nothing at all', {}, 'login_email'],
  ]
  for (const [label, fields, field] of cases) {
    const response = await postLogin(app, fields)
    t.equal(response.statusCode, 400, label)
    t.match(response.body, field, `${label}: names ${field}`)
    t.equal(response.headers['set-cookie'], undefined, `${label}: no cookie`)
  }
  const noBody = await app.inject({ method: 'POST', url: '/login.php?action=check_login' })
  t.equal(noBody.statusCode, 400, 'no body at all')
  t.match(noBody.body, 'login_email')
})

t.test('POST /login.php without action=check_login: 400', async (t) => {
  const app = newApp(t)
  for (const query of ['', '?action=login', '?action=logout', '?action=CHECK_LOGIN']) {
    const response = await postLogin(app, { login_email: DEMO.john.email, login_pass: DEMO.john.password }, { query })
    t.equal(response.statusCode, 400, `query "${query}"`)
    t.match(response.body, /action/, 'names the action parameter')
    t.equal(response.headers['set-cookie'], undefined, 'no cookie')
  }
  t.equal(app.mock.stats().sessions, 0)
})

t.test('logout: session ended, cookies cleared, 302 to /', async (t) => {
  const app = newApp(t)
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  await expectToken(t, app, HS512, cookie, 'signed in: a token')

  const response = await app.inject({ url: '/login.php?action=logout', headers: { cookie } })
  t.equal(response.statusCode, 302)
  t.equal(response.headers.location, '/')
  const cleared = setCookieLines(response).map(parseSetCookie)
  t.same(cleared.map((c) => c.name).sort(), ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN'], 'both cookies cleared')
  for (const c of cleared) {
    t.equal(c.value, '', `${c.name}: emptied`)
    const maxAge = c.attributes.find((a) => /^max-age=/i.test(a))
    const expires = c.attributes.find((a) => /^expires=/i.test(a))
    const gone =
      (maxAge !== undefined && Number(maxAge.split('=')[1]) <= 0) || (expires !== undefined && Date.parse(expires.slice(8)) < Date.now())
    t.ok(gone, `${c.name}: Max-Age=0 or an Expires in the past`)
    t.ok(c.attributes.includes('Path=/'), `${c.name}: Path=/ so the browser drops the right cookie`)
  }

  const after = await getToken(app, HS512.clientId, { cookie })
  t.equal(after.statusCode, 404, 'the old cookies no longer yield a token')
  t.match(after.body, /errors/)
  const account = await app.inject({ url: '/account.php', headers: { cookie } })
  t.equal(account.statusCode, 302, 'nor the account page')

  const guestLogout = await app.inject({ url: '/login.php?action=logout' })
  t.equal(guestLogout.statusCode, 302, 'logging out as a guest is harmless')
  t.equal(guestLogout.headers.location, '/')
})

t.test('/account.php: guests go to /login.php, customers see their page', async (t) => {
  const app = newApp(t)
  const guest = await app.inject({ url: '/account.php' })
  t.equal(guest.statusCode, 302)
  t.equal(guest.headers.location, '/login.php')

  const { cookie } = await signIn(app, DEMO.jane.email, DEMO.jane.password)
  const page = await app.inject({ url: '/account.php', headers: { cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html\b/)
  t.match(page.body, DEMO.jane.email, "shows the customer's email")
  t.notMatch(page.body, DEMO.john.email, "and not another customer's")
  t.notMatch(page.body, DEMO.jane.password, 'never the password')
})

t.test('signing in again ends the old session', async (t) => {
  const app = newApp(t)
  const first = await signIn(app, DEMO.john.email, DEMO.john.password)
  const second = await signIn(app, DEMO.jane.email, DEMO.jane.password, first.cookie)
  t.not(second.sessionId, first.sessionId, 'a new session id, not the old one reused')
  t.equal((await getToken(app, HS512.clientId, { cookie: first.cookie })).statusCode, 404, 'the old cookies are dead')
  const token = await getToken(app, HS512.clientId, { cookie: second.cookie })
  t.equal(token.statusCode, 200)
  const claims = await checkToken(t, token.body, HS512)
  t.equal(claims.customer.id, DEMO.jane.id, 'the new session is the new customer')
  t.equal(app.mock.stats().sessions, 1, 'one session held')
})
