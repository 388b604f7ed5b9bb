import fastifyPlugin from 'fastify-plugin'
import type { Store } from '../domain/store.js'
import { ERRORS } from '../errors.js'
import { errorBody } from '../http/error-body.js'
import { CookieWarnings } from './cookie-warnings.js'
import { CURRENT_CUSTOMER_PATH, currentCustomerRoute } from './current-customer-route.js'
import type { JsonSchema } from '../http/json-schema.js'
import type { LazyQuerySchema } from '../http/query-validator.js'
import { customerLoginRoute } from './customer-login-route.js'
import { prepareFaults } from './faults.js'
import { homeRoute } from './home-route.js'
import { installLatency, type LatencyRange } from './latency.js'
import { installRequestRecorder, noteOutcome } from './request-recorder.js'
import { endedByReset, installResetGuard } from './reset-guard.js'
import type { CookiePolicy } from '../http/session-cookies.js'
import { signInRoutes } from './sign-in-routes.js'

/** Options of {@link storefrontPlugin}. */
export interface StorefrontPluginOptions {
  store: Store
  /** The token route's query-string schema, the Current Customer API description's parameters. */
  querySchema: JsonSchema | LazyQuerySchema
  /** Where the demo home page is: `/`, or `/__mock/` when a front end owns `/`. */
  homePath: string
  /** `--latency`: the delay of the BigCommerce endpoints; none when undefined. */
  latency: LatencyRange | undefined
  /** The session cookies' attributes: production's over https, `Lax` over http. */
  cookies: CookiePolicy
  /** `--cors-origin`: origins whose pages may read the token with credentials. */
  corsOrigins: readonly string[]
}

/**
 * The storefront, as an encapsulated plugin. Where a route is registered decides what applies
 * to it, so a new route needs no flag and no list:
 *
 * - every route here, the demo home page and the storefront's 404 included, is recorded in the
 *   request log (`GET /__mock/requests`);
 * - the BigCommerce endpoints (`/customer/current.jwt`, `/login/token/{jwt}`, `/login.php`,
 *   `/account.php`) sit in an inner scope that `--latency` delays, whose answers no cache may
 *   keep (they carry per-shopper tokens and session cookies), and where faults apply (a route
 *   names the fault route it answers as in `config.faultRoute`; see `faults.ts`), and where a
 *   request the browser sent without its session cookies is explained in a warning
 *   (`cookie-warnings.ts`);
 * - a request begun before a reset of the store changes nothing after it: held ones end
 *   unanswered at the reset, and any other is ended before its route runs (`reset-guard.ts`).
 *
 * Add a BigCommerce storefront route to the inner scope below; a mock-only page to the outer one.
 */
export const storefrontPlugin = fastifyPlugin<StorefrontPluginOptions>(
  (app, { store, querySchema, homePath, latency, cookies, corsOrigins }, done) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(body as string)))
    })
    installResetGuard(app, store)
    installRequestRecorder(app, store)
    app.setNotFoundHandler((request, reply) => {
      // The path is not repeated: a mistyped Customer Login URL (`//login/token/<jwt>`) still holds a token.
      const error = ERRORS.notFound(request.method)
      noteOutcome(request, error.code, error.message)
      return reply.code(error.statusCode).send(errorBody(error))
    })
    app.register(homeRoute, { store, homePath })

    app.register((endpoints, _options, registered) => {
      if (latency) installLatency(endpoints, latency, store)
      const warnings = new CookieWarnings({ cookies, corsOrigins })
      // One hook each, not one per concern: they run on every token request.
      endpoints.addHook('onRequest', (request, reply, done) => {
        // Set before validation, so every answer carries it, the refusals too.
        reply.header('cache-control', 'no-store')
        warnings.checkRequest(request)
        done()
      })
      const applyFaults = prepareFaults(endpoints, store)
      endpoints.addHook('preHandler', (request, reply, done) => {
        // A request begun before the last reset ends unanswered, before its route or a fault.
        if (endedByReset(store, request, reply)) return
        applyFaults(request, reply, done)
      })
      endpoints.register(currentCustomerRoute, { prefix: CURRENT_CUSTOMER_PATH, store, querySchema, corsOrigins, warnings })
      endpoints.register(customerLoginRoute, { store, cookies })
      endpoints.register(signInRoutes, { store, homePath, cookies })
      registered()
    })
    done()
  },
  { name: 'bigcommerce-mock-storefront', encapsulate: true },
)
