// The demo pages' finish in a real browser (Debian's Chromium, playwright-core, the mock on a
// real port): no request of theirs fails, the icon the pages name loads, and the sign-in form's
// inputs span their card at desktop and phone widths.
import t from 'tap'
import { browserTest, chromiumReady, signInWithForm } from '../helpers/chromium.js'
import { DEMO } from '../helpers/storefront.js'

if (chromiumReady(t)) {
  browserTest(
    t,
    'the home, sign-in and account pages: no failed request, no console error, the icon loads',
    async (t, { context, page, mock }) => {
      const failed: string[] = []
      const errors: string[] = []
      const icons: { url: string; status: number }[] = []
      context.on('response', (response) => {
        const path = new URL(response.url()).pathname
        if (response.status() >= 400) failed.push(`${response.status()} ${path}`)
        if (/favicon/.test(path)) icons.push({ url: path, status: response.status() })
      })
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })

      await page.goto(`${mock.url}/login.php`)
      await page.waitForLoadState('networkidle')
      await signInWithForm(page, mock.url, DEMO.john.email, DEMO.john.password)
      await page.waitForLoadState('networkidle')
      await page.goto(`${mock.url}/`)
      await page.waitForSelector('#cc-verify[data-valid=true]')
      await page.waitForLoadState('networkidle')

      t.same(failed, [], 'no request the page made answered 4xx or 5xx')
      // A browser's own /favicon.ico request does not reach the page's events (and under playwright's
      // request interception Chromium fails it): test/storefront/favicon.test.ts checks that path.
      t.same(
        mock
          .requests()
          .filter((entry) => entry.status >= 400)
          .map((entry) => `${entry.status} ${entry.path}`),
        [],
        'no request the mock recorded was answered 4xx or 5xx',
      )
      t.same(errors, [], 'no console error')
      t.ok(icons.length > 0, 'the browser fetched the icon')
      t.same(
        icons.filter((icon) => icon.status !== 200),
        [],
        'and got it',
      )
    },
  )

  for (const width of [1200, 375]) {
    browserTest(t, `the sign-in form's inputs span their card (${width} px wide)`, async (t, { page, mock }) => {
      await page.setViewportSize({ width, height: 900 })
      await page.goto(`${mock.url}/login.php`)
      // An expression as a string: it runs in the page, and this project's types have no DOM.
      const box = await page.evaluate<{ left: number; right: number; inputs: { name: string; left: number; right: number }[] }>(`(() => {
        const card = document.querySelector('section.card')
        const style = getComputedStyle(card)
        const outer = card.getBoundingClientRect()
        const inputs = [...card.querySelectorAll('input')].map((input) => {
          const rect = input.getBoundingClientRect()
          return { name: input.name, left: rect.left, right: rect.right }
        })
        return {
          left: outer.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
          right: outer.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
          inputs,
        }
      })()`)
      t.equal(box.inputs.length, 2, 'email and password')
      for (const input of box.inputs) {
        t.ok(Math.abs(input.left - box.left) < 1, `${input.name} starts at the card's content edge`, { input, card: box })
        t.ok(Math.abs(input.right - box.right) < 1, `${input.name} ends at the card's content edge`, { input, card: box })
      }
    })
  }
}
