// A worker-scoped fixture: each Playwright worker starts its own mock storefront on a free port
// (port 0) and closes it when the worker ends, so workers never share sessions or the clock.
import { test as base } from '@playwright/test'
import { startMockStorefront, type RunningMockStorefront } from 'bigcommerce-mock-storefront'

export const test = base.extend<{ mockReset: void }, { mock: RunningMockStorefront }>({
  mock: [
    async ({}, use) => {
      const mock = await startMockStorefront()
      await use(mock)
      await mock.close()
    },
    { scope: 'worker' },
  ],
  // Each test starts from the fixture state: no sessions, used jtis or moved clock from the last.
  mockReset: [
    async ({ mock }, use) => {
      mock.reset()
      await use()
    },
    { auto: true },
  ],
  baseURL: async ({ mock }, use) => use(mock.url),
})

export { expect } from '@playwright/test'
