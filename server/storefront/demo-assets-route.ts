import type { FastifyReply } from 'fastify'
import fastifyPlugin from 'fastify-plugin'
import { currentCustomerScript, faviconSvg } from './pages/assets.js'
import { CURRENT_CUSTOMER_SCRIPT_PATH } from './pages/home-page.js'
import { FAVICON_PATH } from './pages/layout.js'

/**
 * The demo pages' assets, under `/__mock`, the mock's own path, so a `--proxy` or `--static`
 * front end never shadows them: the home page panel's script and the pages' icon. Registered
 * beside the storefront and the control API, in neither: they load even when the control API is
 * off, and they are not storefront traffic (never in the request log).
 *
 * With `rootFavicon` (no front end owns `/`), the icon also answers `/favicon.ico`, which a
 * browser asks for by itself on a page that names no icon (a raw token or a JSON error in a tab):
 * no 404 in devtools. Neither is logged (but for an error): nobody's code asked for them.
 */
export const demoAssetsRoute = fastifyPlugin<{ rootFavicon: boolean }>(
  (app, { rootFavicon }, done) => {
    app.get(CURRENT_CUSTOMER_SCRIPT_PATH, async (_request, reply) =>
      reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(currentCustomerScript()),
    )
    const sendIcon = async (_request: unknown, reply: FastifyReply) =>
      reply.header('cache-control', 'max-age=86400').type('image/svg+xml').send(faviconSvg())
    // Only errors are logged for the icon: a browser's own request, not one a person or a test made.
    app.get(FAVICON_PATH, { logLevel: 'warn' }, sendIcon)
    if (rootFavicon) app.get('/favicon.ico', { logLevel: 'warn' }, sendIcon)
    done()
  },
  { name: 'bigcommerce-mock-demo-assets', encapsulate: true },
)
