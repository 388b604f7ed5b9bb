// The widget's stories (Component Story Format 3, as Storybook's HTML renderer reads it). With
// msw-storybook-addon's `mswLoader`, `parameters.msw.handlers` are what the service worker answers
// with while a story shows; each story's loader puts the storefront in the state it shows.
import { createMockStorefrontHandlers } from 'bigcommerce-mock-storefront/msw'
import { appBackend, DEMO_APP } from './app-backend.js'
import { renderCustomerBadge } from './customer-badge.js'

const { handlers, storefront } = createMockStorefrontHandlers()

export default {
  title: 'Customer badge',
  render: () => {
    const element = document.createElement('p')
    void renderCustomerBadge(element, { clientId: DEMO_APP.clientId })
    return element
  },
  parameters: {
    msw: { handlers: [...handlers, appBackend({ ...DEMO_APP, now: () => storefront.clock.now() })] },
  },
}

export const SignedIn = {
  loaders: [
    () => {
      storefront.reset()
      storefront.login('john.doe@example.com')
    },
  ],
}

export const Guest = { loaders: [() => storefront.reset()] }

export const StoreDown = {
  loaders: [
    () => {
      storefront.reset()
      storefront.login('john.doe@example.com')
      storefront.faults.add({ route: 'current-customer', effect: 'status', status: 503 })
    },
  ],
}

export const ExpiredToken = {
  loaders: [
    () => {
      storefront.reset()
      storefront.login('john.doe@example.com')
      storefront.faults.add({ route: 'current-customer', effect: 'expired-token' })
    },
  ],
}
