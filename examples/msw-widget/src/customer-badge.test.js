// The widget under Vitest with jsdom: the storefront's routes and the app's backend are MSW
// handlers, so no server starts. Each test gets a fresh storefront (about a millisecond).
import { createMockStorefrontHandlers } from 'bigcommerce-mock-storefront/msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import { appBackend, DEMO_APP } from './app-backend.js'
import { renderCustomerBadge } from './customer-badge.js'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }))
afterAll(() => server.close())

let storefront
beforeEach(() => {
  const mock = createMockStorefrontHandlers()
  storefront = mock.storefront
  server.use(...mock.handlers, appBackend({ ...DEMO_APP, now: () => storefront.clock.now() }))
})
afterEach(() => server.resetHandlers())

async function renderBadge() {
  const element = document.createElement('p')
  document.body.replaceChildren(element)
  await renderCustomerBadge(element, { clientId: DEMO_APP.clientId })
  return element
}

test('a signed-in shopper: the backend verifies the token and the badge names them', async () => {
  storefront.login('john.doe@example.com')
  const badge = await renderBadge()
  expect(badge.dataset.state).toBe('signed-in')
  expect(badge.textContent).toBe('Signed in as john.doe@example.com')
  expect(badge.dataset.customerId).toBe('4927')
  expect(storefront.requests().at(-1)).toMatchObject({ method: 'GET', status: 200, customerId: 4927 })
})

test('a guest: the storefront answers 404 and the badge asks them to sign in', async () => {
  const badge = await renderBadge()
  expect(badge.dataset.state).toBe('guest')
  expect(storefront.requests().at(-1)).toMatchObject({ status: 404 })
})

test('the store is down once: the badge says so, and the next render recovers', async () => {
  storefront.login('john.doe@example.com')
  storefront.faults.add({ route: 'current-customer', effect: 'status', status: 503, times: 1 })
  expect((await renderBadge()).textContent).toBe('The store did not answer (503); try again later')
  expect((await renderBadge()).dataset.state).toBe('signed-in')
})

test('an expired token: the backend refuses it', async () => {
  storefront.login('john.doe@example.com')
  storefront.faults.add({ route: 'current-customer', effect: 'expired-token' })
  expect((await renderBadge()).dataset.state).toBe('rejected')
})

test('the clock: tokens follow it, and the backend refuses one minted 15 minutes ago', async () => {
  storefront.clock.set(1700000000)
  storefront.login('john.doe@example.com')
  expect((await renderBadge()).dataset.expiresAt).toBe(String(1700000000 + 900))

  const earlier = storefront.mintToken(DEMO_APP.clientId, 4927)
  storefront.clock.advance(901)
  const late = await fetch(new URL('/api/customer-session', document.baseURI), { method: 'POST', body: JSON.stringify({ token: earlier }) })
  expect(late.status).toBe(401)
  expect(await late.json()).toEqual({ error: 'ERR_JWT_EXPIRED' })
  expect((await renderBadge()).dataset.expiresAt).toBe(String(1700000901 + 900))
})
