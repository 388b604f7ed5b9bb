// Sign in through the storefront's real form, then check the Current Customer token the page
// gets: in the home page's Current customer panel, and fetched by the page itself, both
// verified with the app's client secret (jose).
import { jwtVerify } from 'jose'
import { expect, test } from './fixtures.js'

const APPS = {
  hs512: {
    clientId: '6sv16tfx3j5gsopm42ss5dd67g2srvq',
    secret: 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes',
    algorithm: 'HS512',
  },
  hs256: {
    clientId: 'hs256demo0app0client0id00000000',
    secret: 'demo-client-secret-hs256demo0app0client0id00000000-at-least-64-bytes',
    algorithm: 'HS256',
  },
} as const

const SHOPPERS = [
  { id: 4927, email: 'john.doe@example.com', password: 'letmein', groupId: '6' },
  { id: 4928, email: 'jane.roe@example.com', password: 'letmein', groupId: '0' },
]

const verify = (token: string, app: (typeof APPS)[keyof typeof APPS]) =>
  jwtVerify(token, new TextEncoder().encode(app.secret), { algorithms: [app.algorithm], audience: app.clientId })

for (const shopper of SHOPPERS) {
  test(`${shopper.email} signs in and the page gets a token that verifies`, async ({ page, mock }, testInfo) => {
    testInfo.annotations.push({ type: 'mock', description: mock.url })

    await page.goto('/login.php')
    await page.getByLabel('Email address').fill(shopper.email)
    await page.getByLabel('Password').fill(shopper.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page).toHaveURL(/\/account\.php$/)

    // The home page's Current customer panel fetches the token for the first app.
    await page.goto('/')
    await expect(page.locator('#cc-status')).toHaveAttribute('data-state', 'ok')
    const panelToken = (await page.locator('#cc-token').innerText()).trim()
    const { payload } = await verify(panelToken, APPS.hs512)
    expect(payload.customer).toEqual({ id: shopper.id, email: shopper.email, group_id: shopper.groupId })

    // Storefront JavaScript's own call, with the session cookies the form set.
    const fetched = await page.evaluate(async (clientId) => {
      const response = await fetch(`/customer/current.jwt?app_client_id=${clientId}`)
      return { status: response.status, token: await response.text() }
    }, APPS.hs256.clientId)
    expect(fetched.status).toBe(200)
    expect((await verify(fetched.token, APPS.hs256)).payload).toMatchObject({ customer: { id: shopper.id }, aud: APPS.hs256.clientId })
  })

  test(`${shopper.email}: a wrong password signs nobody in`, async ({ page, mock }, testInfo) => {
    testInfo.annotations.push({ type: 'mock', description: mock.url })
    await page.goto('/login.php')
    await page.getByLabel('Email address').fill(shopper.email)
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect(page.getByText('Your email address or password is incorrect. Please try again.')).toBeVisible()
    const status = await page.evaluate(
      async (clientId) => (await fetch(`/customer/current.jwt?app_client_id=${clientId}`)).status,
      APPS.hs512.clientId,
    )
    expect(status).toBe(404)
  })
}
