// The demo storefront pages over HTTP (app.inject): home with the Current customer panel and
// the Demo accounts, the panel's script, and that no page or asset ever holds a client secret.
import t, { type Test } from 'tap'
import { buildApp, type FixtureDocument } from '../../server/index.js'
import { CURRENT_CUSTOMER_SCRIPT_PATH, MAX_DEMO_ACCOUNTS } from '../../server/storefront/pages/home-page.js'
import { postLogin, signIn } from '../helpers/session.js'
import { SECRETS, testDocument } from '../helpers/fixture-docs.js'
import { DEMO } from '../helpers/storefront.js'

function setup(t: Test, options: Parameters<typeof buildApp>[0] = {}) {
  const app = buildApp(options)
  t.teardown(() => app.close())
  const page = async (url: string, cookie?: string) => {
    const response = await app.inject({ url, headers: cookie ? { cookie } : {} })
    return { status: response.statusCode, body: response.body, type: String(response.headers['content-type']) }
  }
  return { app, page }
}

/** The demo account forms of a home page: action, method and hidden fields. */
function demoForms(body: string): { action: string; method: string; fields: Record<string, string> }[] {
  const section = body.slice(body.indexOf('id="demo-accounts"'))
  return [...section.matchAll(/<form method="([^"]+)" action="([^"]+)">([\s\S]*?)<\/form>/g)].map(
    ([, method = '', action = '', inner = '']) => ({
      method,
      action: action.replace(/&amp;/g, '&'),
      fields: Object.fromEntries(
        [...inner.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name = '', value = '']) => [
          name,
          value
            .replace(/&#39;/g, "'")
            .replace(/&quot;/g, '"')
            .replace(/&amp;/g, '&'),
        ]),
      ),
    }),
  )
}

t.test('home as a guest: Sign in in the header, the panel with every registered app, the script', async (t) => {
  const { page } = setup(t)
  const home = await page('/')
  t.equal(home.status, 200)
  t.match(home.type, /^text\/html/)
  t.match(home.body, /<nav aria-label="Account">\s*<a href="\/login\.php">Sign in<\/a>/)
  t.match(home.body, 'You are browsing as a guest.')
  t.match(home.body, `<script type="module" src="${CURRENT_CUSTOMER_SCRIPT_PATH}"></script>`)
  t.match(
    home.body,
    /<form id="cc-form" class="cc-form" action="\/customer\/current\.jwt" method="get">/,
    'without JavaScript the form opens the endpoint itself',
  )
  t.match(home.body, `<option value="${DEMO.hs512App.clientId}">Demo app (HS512, as production)</option>`)
  t.match(home.body, `<option value="${DEMO.hs256App.clientId}">Demo app (HS256)</option>`)
  t.match(home.body, /<p id="cc-status" class="status" role="status" aria-live="polite"/, 'the status is announced')
  t.match(home.body, /<label for="cc-app">App<\/label>/)
  t.match(home.body, '<a class="skip-link" href="#main">Skip to content</a>')
  t.match(home.body, /<main id="main"/)
  t.notMatch(home.body, /https?:\/\/(?!127\.0\.0\.1)[a-z]/i, 'nothing is loaded from another host (no CDN)')
  t.notMatch(home.body.slice(home.body.indexOf('<style>'), home.body.indexOf('</style>')), '&quot;', 'the style sheet is not HTML-escaped')
})

t.test('home when signed in: the customer in the header and the page, Sign out', async (t) => {
  const { app, page } = setup(t)
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const home = await page('/', cookie)
  t.match(
    home.body,
    /<nav aria-label="Account">\s*<a href="\/account\.php" class="who">John Doe<\/a><a href="\/login\.php\?action=logout">Sign out<\/a>/,
  )
  t.match(home.body, 'Signed in as <strong>John Doe</strong> (john.doe@example.com, customer 4927)')
  t.match(home.body, /John Doe <span class="muted small">\(signed in\)<\/span>/, 'the demo list marks who is signed in')
})

t.test('demo accounts: the fixture customers, each a form posting to the real sign-in endpoint', async (t) => {
  const { app, page } = setup(t)
  const forms = demoForms((await page('/')).body)
  t.same(
    forms.map((form) => form.fields.login_email),
    [DEMO.john.email, DEMO.jane.email],
    'the two hand-written customers, not the 25 generated ones',
  )
  for (const form of forms) {
    t.equal(form.method, 'post')
    t.equal(form.action, '/login.php?action=check_login', 'the storefront form endpoint, not a shortcut')
    t.same(Object.keys(form.fields).sort(), ['login_email', 'login_pass'])
    const signIn = await postLogin(app, form.fields, { query: `?${form.action.split('?')[1]}` })
    t.equal(signIn.statusCode, 302, `${form.fields.login_email} signs in with the posted fields`)
    t.equal(signIn.headers.location, '/account.php')
  }

  // A password changed at run time is the one the page posts.
  await app.inject({ method: 'PATCH', url: `/__mock/customers/${DEMO.jane.id}`, payload: { password: 'changed-password' } })
  const jane = demoForms((await page('/')).body).find((form) => form.fields.login_email === DEMO.jane.email)
  t.equal(jane?.fields.login_pass, 'changed-password')
  await app.inject({ method: 'DELETE', url: `/__mock/customers/${DEMO.jane.id}` })
  t.same(
    demoForms((await page('/')).body).map((form) => form.fields.login_email),
    [DEMO.john.email],
    'a removed customer is not offered',
  )
})

t.test('demo accounts: the first generated customers when the fixture has no others; at most a few', async (t) => {
  const generatedOnly: FixtureDocument = {
    store_hash: 'gen1',
    apps: [{ client_id: 'a', client_secret: SECRETS.hs512 }],
    customers: [],
    generate: { customers: 10, seed: 42 },
  }
  const onlyGenerated = demoForms((await setup(t, { fixtures: generatedOnly }).page('/')).body)
  t.equal(onlyGenerated.length, 3)
  t.ok(onlyGenerated.every((form) => form.fields.login_pass === 'storefront'))

  const many: FixtureDocument = {
    store_hash: 'many1',
    apps: [{ client_id: 'a', client_secret: SECRETS.hs512 }],
    customers: Array.from({ length: MAX_DEMO_ACCOUNTS + 4 }, (_, index) => ({
      id: index + 1,
      email: `c${index + 1}@example.com`,
      password: 'pw',
    })),
  }
  const body = (await setup(t, { fixtures: many }).page('/')).body
  t.equal(demoForms(body).length, MAX_DEMO_ACCOUNTS)
  t.match(body, 'And 4 more in the fixture file.')
})

t.test('names and emails from fixtures are escaped', async (t) => {
  const document = testDocument()
  document.customers = (document.customers ?? []).map((customer, index) =>
    index === 0 ? { ...customer, first_name: '<img src=x onerror=alert(1)>', last_name: '"quoted"' } : customer,
  )
  const body = (await setup(t, { fixtures: document }).page('/')).body
  t.notMatch(body, '<img src=x')
  t.match(body, '&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot;')
})

t.test("the panel's script: plain JavaScript running the documented snippet, served with the control API on or off", async (t) => {
  for (const options of [{}, { admin: false }, { adminToken: 'script-test-admin-token' }]) {
    const { app, page } = setup(t, options)
    const script = await page(CURRENT_CUSTOMER_SCRIPT_PATH)
    t.equal(script.status, 200, JSON.stringify(options))
    t.match(script.type, /^text\/javascript/)
    t.match(script.body, "fetch('/customer/current.jwt?app_client_id=' + encodeURIComponent(appClientId))")
    t.match(script.body, 'response.status === 200')
    t.match(script.body, 'response.status === 404')
    t.notMatch(script.body, /https?:\/\/(?!127\.0\.0\.1)/, 'loads nothing from elsewhere')
    if (!('admin' in options)) {
      const log = await app.inject({
        url: '/__mock/requests',
        headers: 'adminToken' in options ? { authorization: 'Bearer script-test-admin-token' } : {},
      })
      t.notMatch(log.body, 'current-customer.js', 'the asset is not storefront traffic: not in the request log')
    }
  }
})

t.test('login page: the sign-in errors, and a link to the demo accounts', async (t) => {
  const { app, page } = setup(t)
  const wrong = await postLogin(app, { login_email: DEMO.john.email, login_pass: 'nope' })
  t.equal(wrong.statusCode, 401)
  t.match(
    wrong.body,
    '<div class="alert" role="alert" id="login-error">Your email address or password is incorrect. Please try again.</div>',
  )
  t.match(wrong.body, 'aria-describedby="login-error"')
  t.same(wrong.cookies, [], 'no cookie')
  const sso = await app.inject({ url: '/login.php', headers: { cookie: 'BCMOCK_LOGIN_FLASH=invalid_login' } })
  t.match(sso.body, 'Invalid login. Please attempt to log in again.')
  t.match((await page('/login.php')).body, '<a href="/#demo-accounts">the home page</a>')
})

t.test('no page or asset holds a client secret', async (t) => {
  const document = testDocument()
  const { app, page } = setup(t, { fixtures: document })
  const secrets = [SECRETS.hs512, SECRETS.hs256, SECRETS.hs384]
  const cookie = (await signIn(app, 'alice@example.com', SECRETS.password)).cookie
  const bodies = [
    (await page('/')).body,
    (await page('/', cookie)).body,
    (await page('/login.php')).body,
    (await page('/account.php', cookie)).body,
    (await postLogin(app, { login_email: 'alice@example.com', login_pass: 'wrong' })).body,
    (await page(CURRENT_CUSTOMER_SCRIPT_PATH)).body,
  ]
  for (const body of bodies) for (const secret of secrets) t.notMatch(body, secret)

  const bundled = setup(t)
  const demoCookie = (await signIn(bundled.app, DEMO.john.email, DEMO.john.password)).cookie
  for (const url of ['/', '/login.php', '/account.php', CURRENT_CUSTOMER_SCRIPT_PATH]) {
    const body = (await bundled.page(url, demoCookie)).body
    t.notMatch(body, DEMO.hs512App.secret, url)
    t.notMatch(body, DEMO.hs256App.secret, url)
  }
})
