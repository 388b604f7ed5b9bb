// Real-browser flows 1, 2, 3 and 6 (see the Tests section of CONTRIBUTING.md): Debian's Chromium, driven by
// playwright-core, against the mock on a real port. Each failure leaves a screenshot in
// test-output/screenshots/.
import { jwtVerify } from 'jose'
import t from 'tap'
import { WRONG_CREDENTIALS } from '../../server/domain/sign-in-form.js'
import { managementApiView, spawnAppBackend } from '../helpers/app-backend.js'
import { browserTest, chromiumReady, panelClaims, sessionCookieNames, signInWithForm } from '../helpers/chromium.js'
import { DEMO } from '../helpers/storefront.js'

const key = (secret: string) => new TextEncoder().encode(secret)

if (chromiumReady(t)) {
  browserTest(
    t,
    'flow 1: sign in through the form; the header shows the customer; the panel token matches customer and app',
    async (t, { page, mock }) => {
      await signInWithForm(page, mock.url, DEMO.john.email, DEMO.john.password)
      await page.goto(`${mock.url}/`)
      const nav = page.getByRole('navigation', { name: 'Account' })
      await nav.getByRole('link', { name: 'John Doe' }).waitFor()
      t.ok(await nav.getByRole('link', { name: 'Sign out' }).isVisible(), 'the header offers Sign out')

      const status = page.locator('#cc-status')
      await page.waitForSelector('#cc-status[data-state=ok]')
      t.match(await status.innerText(), /^200: a token for john\.doe@example\.com \(customer 4927\)/)
      const claims = await panelClaims(page)
      t.match(claims, {
        customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: DEMO.john.groupId },
        aud: DEMO.hs512App.clientId,
        application_id: DEMO.hs512App.clientId,
        sub: DEMO.storeHash,
      })
      t.same(JSON.parse(await page.locator('#cc-header').innerText()), { typ: 'JWT', alg: 'HS512' })
      const token = await page.locator('#cc-token').innerText()
      const { payload } = await jwtVerify(token.trim(), key(DEMO.hs512App.secret), {
        algorithms: ['HS512'],
        audience: DEMO.hs512App.clientId,
      })
      t.same(payload, claims, 'the raw token on the page is the one decoded, and it verifies with the app secret')

      // Another app: the panel runs the snippet again with its client id.
      await page.getByLabel('App').selectOption(DEMO.hs256App.clientId)
      await page.locator('#cc-claims', { hasText: `"aud": "${DEMO.hs256App.clientId}"` }).waitFor()
      await page.waitForSelector('#cc-status[data-state=ok]')
      t.match(await panelClaims(page), { customer: { id: DEMO.john.id }, aud: DEMO.hs256App.clientId })
      t.same(JSON.parse(await page.locator('#cc-header').innerText()), { typ: 'JWT', alg: 'HS256' })
      t.match(await page.locator('#cc-countdown').innerText(), /^in 1[45]:\d\d \(exp \d+\)$/, 'a countdown to exp')
    },
  )

  browserTest(
    t,
    'flow 2: the panel says the token verifies, and the example app backend (its own process) accepts it',
    async (t, { page, mock }) => {
      const backend = await spawnAppBackend(t, {
        CLIENT_ID: DEMO.hs512App.clientId,
        CLIENT_SECRET: DEMO.hs512App.secret,
        MOCK_URL: mock.url,
      })

      // One click on a demo account: the real form post, then the account page.
      await page.goto(`${mock.url}/`)
      await Promise.all([page.waitForURL(`${mock.url}/account.php`), page.getByRole('button', { name: 'Sign in as John Doe' }).click()])
      await page.getByRole('link', { name: 'See your Current Customer token' }).click()
      await page.waitForSelector('#cc-verify[data-valid]')
      t.equal(await page.locator('#cc-verify').getAttribute('data-valid'), 'true')
      t.match(await page.locator('#cc-verify').innerText(), /^Yes\. Signature verifies with the client secret/)

      // The page sends the token to the backend as storefront JavaScript would: cross-origin, CORS.
      await page.getByText("Send the token to your app's backend").click()
      await page.getByLabel('Backend verify URL').fill(`${backend.url}/verify`)
      await page.getByRole('button', { name: 'Send token' }).click()
      await page.waitForSelector('#cc-backend-status:is([data-state=ok], [data-state=error])')
      t.equal(
        await page.locator('#cc-backend-status').getAttribute('data-http-status'),
        '200',
        await page.locator('#cc-backend-status').innerText(),
      )
      t.match(JSON.parse(await page.locator('#cc-backend-body').innerText()), {
        customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: '6' },
        store_hash: DEMO.storeHash,
      })
      t.match(backend.process.stdout, /verify: 200 customer 4927/)

      // Then the backend asked the mock's Management API about that customer, and the page shows it.
      const expected = await managementApiView(mock.url, DEMO.hs512App.accessToken, DEMO.john.id)
      await page.locator('#cc-backend-details').waitFor()
      t.equal(await page.locator('#cc-backend-name').innerText(), 'John Doe')
      t.equal(await page.locator('#cc-backend-group').innerText(), `${expected.groupName} (group ${DEMO.john.groupId})`)
      t.equal(
        await page.locator('#cc-backend-attributes').innerText(),
        expected.attributes.map(({ name, value }) => `${name}: ${value}`).join('; '),
      )
      t.ok(expected.attributes.length > 0, 'the demo customer has an attribute')
      const items = page.locator('#cc-backend-orders li')
      const orders = await Promise.all((await items.all()).map((item) => item.getAttribute('data-order-id')))
      t.same(orders, expected.recentOrderIds.map(String), "the customer's recent orders, newest first")
      t.ok(orders.length > 0, 'the demo customer has orders')
      t.ok(await page.locator('#cc-backend-details-error').isHidden(), 'no Management API error')

      // A backend whose access token the store does not know: the token verifies, the page says the API refused.
      const wrongToken = await spawnAppBackend(t, { MOCK_URL: mock.url, ACCESS_TOKEN: 'not-an-access-token-of-this-store' })
      await page.getByLabel('Backend verify URL').fill(`${wrongToken.url}/verify`)
      await page.getByRole('button', { name: 'Send token' }).click()
      await page.locator('#cc-backend-details-error').waitFor()
      t.match(
        await page.locator('#cc-backend-details-error').innerText(),
        /^The token verifies, but the Management API call did not give the details \(401\): GET \/v3\/customers.* answered 401/,
      )
      t.equal(await page.locator('#cc-backend-status').getAttribute('data-http-status'), '200')
      t.ok(await page.locator('#cc-backend-details').isHidden(), 'no details on show')

      // And it refuses what it must: a token changed by one character.
      const token = (await page.locator('#cc-token').innerText()).trim()
      const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA')
      const refused = await fetch(`${backend.url}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: tampered }),
      })
      t.equal(refused.status, 401)
      t.match(await refused.json(), { error: 'invalid_token', reason: 'signature' })
    },
  )

  browserTest(t, 'flow 3: sign out; the panel shows the 404 "not logged in" state', async (t, { page, context, mock }) => {
    await signInWithForm(page, mock.url, DEMO.jane.email, DEMO.jane.password)
    await page.goto(`${mock.url}/`)
    await page.waitForSelector('#cc-status[data-state=ok]')
    await Promise.all([
      page.waitForURL(`${mock.url}/`),
      page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign out' }).click(),
    ])
    await page.waitForSelector('#cc-status[data-state=not-logged-in]')
    t.match(await page.locator('#cc-status').innerText(), /^404: not logged in/)
    t.ok(await page.locator('#cc-result').isHidden(), 'no token on show')
    t.ok(
      await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).isVisible(),
      'the header offers Sign in again',
    )
    t.same(await sessionCookieNames(context, mock.url), [], 'the session cookies are gone')
  })

  browserTest(t, 'flow 6: a wrong password shows the error and sets no cookie', async (t, { page, context, mock }) => {
    await page.goto(`${mock.url}/login.php`)
    await page.getByLabel('Email address').fill(DEMO.john.email)
    await page.getByLabel('Password').fill('not-the-password')
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login.php?action=check_login')),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ])
    t.equal(response.status(), 401)
    const alert = page.getByRole('alert')
    await alert.waitFor()
    t.equal((await alert.innerText()).trim(), WRONG_CREDENTIALS)
    t.equal(await page.getByLabel('Email address').inputValue(), DEMO.john.email, 'the email is kept')
    t.same(await sessionCookieNames(context, mock.url), [], 'no session cookie')
    await page.goto(`${mock.url}/`)
    await page.waitForSelector('#cc-status[data-state=not-logged-in]')
  })

  browserTest(
    t,
    'a phone-sized viewport (375 px): nothing scrolls sideways; the keyboard reaches the skip link first',
    async (t, { page, mock }) => {
      await page.setViewportSize({ width: 375, height: 812 })
      await signInWithForm(page, mock.url, DEMO.john.email, DEMO.john.password)
      await page.goto(`${mock.url}/`)
      await page.waitForSelector('#cc-verify[data-valid=true]')
      // Expressions as strings: they run in the page, and this project's types have no DOM.
      const widths = await page.evaluate<{ scroll: number; client: number }>(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      )
      t.ok(widths.scroll <= widths.client, `page fits the width (${widths.scroll} <= ${widths.client})`)
      await page.keyboard.press('Tab')
      t.equal(await page.locator(':focus').innerText(), 'Skip to content')
      await page.keyboard.press('Enter')
      await page.keyboard.press('Tab')
      t.equal(await page.locator('main :focus').count(), 1, 'the skip link moves the keyboard into the main content')
      t.equal(
        await page.locator('[tabindex]:not([tabindex="0"]):not([tabindex="-1"])').count(),
        0,
        'no positive tabindex: focus follows the page order',
      )
    },
  )
}
