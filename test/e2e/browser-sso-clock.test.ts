// Real-browser flows 4 and 5 (see the Tests section of CONTRIBUTING.md), and the home page with the control API off.
// Debian's Chromium, driven by playwright-core, against the mock on a real port. Each failure
// leaves a screenshot in test-output/screenshots/.
import t from 'tap'
import { INVALID_LOGIN } from '../../server/index.js'
import { browserTest, chromiumReady, panelClaims, signInWithForm } from '../helpers/chromium.js'
import { controlOverHttp as control } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'

if (chromiumReady(t)) {
  browserTest(
    t,
    'flow 4: sign in through a Customer Login URL and land on redirect_to; the same URL again is refused',
    async (t, { page, mock }) => {
      const { url } = await control<{ url: string }>(mock.url, 'POST', '/__mock/customer-login-url', {
        client_id: DEMO.hs256App.clientId,
        customer_id: DEMO.jane.id,
        redirect_to: '/?from=sso',
      })
      t.ok(url.startsWith(`${mock.url}/login/token/`))
      await page.goto(url)
      t.equal(page.url(), `${mock.url}/?from=sso`, 'landed on redirect_to')
      await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Jane Roe' }).waitFor()
      await page.waitForSelector('#cc-status[data-state=ok]')
      t.match(await panelClaims(page), {
        customer: { id: DEMO.jane.id, email: DEMO.jane.email, group_id: '0' },
        aud: DEMO.hs512App.clientId,
      })

      // A Customer Login URL works once: the second visit lands on the sign-in page with the error.
      await page.goto(url)
      t.equal(page.url(), `${mock.url}/login.php`)
      t.equal((await page.getByRole('alert').innerText()).trim(), INVALID_LOGIN)
    },
  )

  browserTest(
    t,
    'flow 5: with the clock frozen near expiry and moved on, the panel reports the token expired; a fresh fetch is valid',
    async (t, { page, mock }) => {
      const start = 1_800_000_000
      await control(mock.url, 'PUT', '/__mock/clock', { now: start })
      await signInWithForm(page, mock.url, DEMO.john.email, DEMO.john.password)
      await page.goto(`${mock.url}/`)
      await page.waitForSelector('#cc-verify[data-valid=true]')
      t.match(await panelClaims(page), { iat: start, exp: start + 900 })
      t.equal(
        await page.locator('#cc-countdown').innerText(),
        `in 15:00 (exp ${start + 900})`,
        'the clock is frozen: the countdown stands still',
      )
      t.match(await page.locator('#cc-clock').innerText(), /^2027-01-15T08:00:00Z \(frozen\)$/)

      // Near expiry: 10 seconds left by the mock's clock, still valid.
      await control(mock.url, 'PUT', '/__mock/clock', { advance: 890 })
      await page.getByRole('button', { name: 'Check again' }).click()
      await page.locator('#cc-countdown', { hasText: /^in 0:10 / }).waitFor()
      await page.waitForSelector('#cc-verify[data-valid=true]')

      // Past exp: the panel says so, from the verify endpoint and the countdown.
      await control(mock.url, 'PUT', '/__mock/clock', { advance: 11 })
      await page.getByRole('button', { name: 'Check again' }).click()
      await page.waitForSelector('#cc-verify[data-valid=false]')
      t.equal(await page.locator('#cc-verify').getAttribute('data-reason'), 'expired')
      t.match(await page.locator('#cc-verify').innerText(), /^No: expired\. Exp 1800000900 has passed by the mock's clock/)
      t.equal(await page.locator('#cc-countdown').getAttribute('data-expired'), 'true')
      t.match(await page.locator('#cc-countdown').innerText(), /^expired 0:01 ago/)
      t.match(await page.locator('#cc-status').innerText(), /expired/)

      // A fresh fetch: a new token, issued by the moved clock, that verifies.
      await page.getByRole('button', { name: 'Fetch token' }).click()
      await page.waitForSelector('#cc-verify[data-valid=true]')
      t.match(await panelClaims(page), { iat: start + 901, exp: start + 901 + 900 })
      t.equal(await page.locator('#cc-countdown').getAttribute('data-expired'), 'false')
    },
  )

  browserTest(
    t,
    'with the control API off, the home page still signs in and shows the token; verify and clock are hidden',
    async (t, { page, mock }) => {
      t.equal((await fetch(`${mock.url}/__mock/clock`)).status, 403, 'the control API is off')
      await page.goto(`${mock.url}/`)
      await Promise.all([page.waitForURL(`${mock.url}/account.php`), page.getByRole('button', { name: 'Sign in as John Doe' }).click()])
      await page.goto(`${mock.url}/`)
      await page.waitForSelector('#cc-status[data-state=ok]')
      t.match(await panelClaims(page), { customer: { id: DEMO.john.id } })
      t.ok(await page.locator('#cc-control-note').isVisible(), 'the page says why verify and clock are missing')
      t.ok(await page.locator('#cc-verify').isHidden(), 'no verify verdict')
      t.ok(await page.locator('#cc-clock').isHidden(), 'no mock clock')
      t.ok(await page.getByRole('button', { name: 'Check again' }).isHidden())
      t.match(await page.locator('#cc-countdown').innerText(), /^in 1[45]:\d\d/, 'the countdown, estimated from iat')
    },
    { admin: false },
  )
}
