import fastifyPlugin from 'fastify-plugin'
import { currentCustomerScript } from './pages/assets.js'
import { CURRENT_CUSTOMER_SCRIPT_PATH } from './pages/home-page.js'

/**
 * The home page panel's script, under `/__mock`, the mock's own path, so a `--proxy` or
 * `--static` front end never shadows it. Registered beside the storefront and the control API,
 * in neither: it loads even when the control API is off, and it is not storefront traffic.
 */
export const demoAssetsRoute = fastifyPlugin(
  (app, _options, done) => {
    app.get(CURRENT_CUSTOMER_SCRIPT_PATH, async (_request, reply) =>
      reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(currentCustomerScript()),
    )
    done()
  },
  { name: 'bigcommerce-mock-demo-assets', encapsulate: true },
)
