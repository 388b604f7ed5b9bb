// Real-browser flow: a `status` fault on /customer/current.jwt shows in the Current customer
// panel, naming the fault; the next fetch, with the fault used up, recovers. Debian's Chromium,
// driven by playwright-core, against the mock on a real port.
import t from 'tap'
import { browserTest, chromiumReady, panelClaims, signInWithForm } from '../helpers/chromium.js'
import { controlOverHttp as control } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'

if (chromiumReady(t)) {
  browserTest(t, 'flow 7: a status fault shows in the panel, naming the fault; the next fetch recovers', async (t, { page, mock }) => {
    await signInWithForm(page, mock.url, DEMO.john.email, DEMO.john.password)
    const fault = await control<{ id: string }>(mock.url, 'POST', '/__mock/faults', {
      route: 'current-customer',
      effect: 'status',
      status: 503,
      times: 1,
    })
    await page.goto(`${mock.url}/`)
    await page.waitForSelector('#cc-status[data-state=error]')
    t.equal(await page.locator('#cc-status').innerText(), '503: no token; a fault answered in place of the endpoint.')
    const line = page.locator('#cc-fault')
    t.ok(await line.isVisible(), 'the fault line shows')
    t.equal(await line.getAttribute('data-fault'), fault.id)
    t.equal(await line.getAttribute('data-effect'), 'status')
    t.match(
      await line.innerText(),
      /^Fault f1 \(status\) answered this request: an error status on purpose\. .*DELETE \/__mock\/faults\/f1 ends it\.$/,
    )
    t.ok(await page.locator('#cc-result').isHidden(), 'no token is shown')
    // The panel names the fault, and how to end it, once.
    const panel = await page.locator('#current-customer').innerText()
    t.equal(panel.split('answered this').length - 1, 1, `one sentence says which fault answered:\n${panel}`)
    t.equal(panel.split(`DELETE /__mock/faults/${fault.id}`).length - 1, 1, 'and one says how to end it')

    // The fault was for one request: fetching again recovers, and the fault line goes away.
    await page.getByRole('button', { name: 'Fetch token' }).click()
    await page.waitForSelector('#cc-status[data-state=ok]')
    await page.waitForSelector('#cc-verify[data-valid=true]')
    t.ok(await line.isHidden(), 'the fault line is hidden again')
    t.match(await panelClaims(page), { customer: { id: DEMO.john.id, email: DEMO.john.email }, aud: DEMO.hs512App.clientId })
    const { requests } = await control<{ requests: { path: string; status: number; outcome: string }[] }>(
      mock.url,
      'GET',
      '/__mock/requests',
    )
    const tokenRequests = requests.filter((entry) => entry.path.startsWith('/customer/current.jwt'))
    t.match(
      tokenRequests,
      [
        { status: 503, outcome: 'fault:status' },
        { status: 200, outcome: 'ok' },
      ],
      'the request log tells the two apart',
    )
  })
}
