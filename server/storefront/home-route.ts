import fastifyPlugin from 'fastify-plugin'
import type { Store } from '../domain/store.js'
import { demoAccounts, homePage } from './pages/home-page.js'
import { sendPage } from './pages/send-page.js'
import { signedInCustomer } from './sign-in-routes.js'

/**
 * The mock's demo home page at `homePath`: `/`, or `/__mock/` when a proxied or static front
 * end owns `/`. It is storefront traffic (recorded) but not a BigCommerce endpoint (never delayed).
 */
export const homeRoute = fastifyPlugin<{ store: Store; homePath: string }>(
  (app, { store, homePath }, done) => {
    app.get(homePath, async (request, reply) => {
      const { accounts, more } = demoAccounts((generatedShown) => store.fixtureCustomers(generatedShown))
      return sendPage(
        reply,
        200,
        homePage({ customer: signedInCustomer(store, request), apps: store.allApps(), accounts, moreAccounts: more }),
      )
    })
    done()
  },
  { name: 'bigcommerce-mock-home', encapsulate: true },
)
