import cors from '@fastify/cors'
import fastifyPlugin from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Store } from '../domain/store.js'
import { ERRORS, MockError } from '../errors.js'
import { prefersJson } from '../http/accept.js'
import { listedCorsOrigins, type CookieWarnings } from './cookie-warnings.js'
import { pageOrigin } from './page-origin.js'
import { queryValidatorCompiler, type LazyQuerySchema } from '../http/query-validator.js'
import type { JsonSchema } from '../http/json-schema.js'
import { sessionCookies } from '../http/session-cookies.js'

/** Options of {@link currentCustomerRoute}. */
export interface CurrentCustomerRouteOptions {
  store: Store
  /** The query-string schema: the Current Customer API description's parameters (`loadCurrentCustomerSpec().querystring`). */
  querySchema: JsonSchema | LazyQuerySchema
  /** `--cors-origin`: the origins answered with credentialed CORS; none adds no CORS at all. */
  corsOrigins: readonly string[]
  /** Says when a page's origin is not among `corsOrigins`. */
  warnings: CookieWarnings
}

/** The route's path. It is also the prefix of its plugin, so `@fastify/cors` (and its preflight route) covers it alone. */
export const CURRENT_CUSTOMER_PATH = '/customer/current.jwt'

/**
 * `GET /customer/current.jwt?app_client_id=ID`: the signed-in customer's JWT, signed with the
 * app's client secret. Plain text by default, `{"token": ...}` when JSON is preferred. Register
 * it with `prefix: CURRENT_CUSTOMER_PATH`.
 *
 * With `corsOrigins`, a page on one of them may fetch it with `credentials: 'include'`:
 * `@fastify/cors`, scoped to this plugin, echoes the origin with `Access-Control-Allow-Credentials:
 * true`, `Vary: Origin` and `Access-Control-Expose-Headers: X-Mock-Fault`, and answers the
 * preflight for `Accept` and `Content-Type`. Any other origin gets no CORS header, as on a real
 * store (which has no such list); its preflight is a `403` whose body names the origin and the
 * flag that lists it, for the network panel.
 */
export const currentCustomerRoute = fastifyPlugin<CurrentCustomerRouteOptions>(
  (app, { store, querySchema, corsOrigins, warnings }, done) => {
    // Preflights included; without an Origin it costs a header read.
    app.addHook('onRequest', (request, _reply, next) => {
      if (request.headers.origin !== undefined) warnings.checkCorsOrigin(request)
      next()
    })
    if (corsOrigins.length > 0) {
      const listed = new Set(corsOrigins)
      app.register(cors, {
        // false: no CORS headers at all (not even Allow-Credentials) for an origin not listed.
        origin: (origin, callback) => callback(null, origin !== undefined && listed.has(origin) ? origin : false),
        credentials: true,
        methods: ['GET', 'HEAD'],
        allowedHeaders: ['Accept', 'Content-Type'],
        // A listed page can see which fault answered (POST /__mock/faults), as the mock's own pages do.
        exposedHeaders: ['X-Mock-Fault'],
        maxAge: 600,
      })
    }
    const options = {
      config: { faultRoute: 'current-customer' as const },

      schema: { querystring: querySchema },
      validatorCompiler: queryValidatorCompiler,
      // Clients such as the B2B buyer portal read this 400 as "no customer", so say it where a developer looks.
      onError: (request: FastifyRequest, _reply: FastifyReply, error: Error, next: () => void) => {
        if (
          error instanceof MockError &&
          error.code === ERRORS.unknownAppParameter.code &&
          error.statusCode === ERRORS.unknownAppParameter.statusCode
        ) {
          request.log.warn(
            { field: 'app_client_id' },
            `current customer token refused: ${error.message} Clients that treat any non-200 as a guest will look signed out.`,
          )
        }
        next()
      },
    }
    // A preflight @fastify/cors did not answer (no list, or an origin not on it) is explained; any other OPTIONS is not a route.
    app.options('', (request, reply) => {
      if (request.headers.origin === undefined || request.headers['access-control-request-method'] === undefined)
        return reply.callNotFound()
      throw ERRORS.corsOriginNotListed(pageOrigin(request)?.href, listedCorsOrigins(corsOrigins))
    })
    // Not async: on the hot path a promise and its turn of the microtask queue buy nothing; Fastify answers a throw as it does a rejection.
    app.get<{ Querystring: { app_client_id: string } }>('', options, (request, reply) => {
      const {
        token,
        customer,
        app: registered,
      } = store.issueCurrentCustomerToken(request.query.app_client_id, sessionCookies(request), request.storefrontFault)
      request.customerId = customer.id
      request.log.info({ customerId: customer.id, clientId: registered.clientId }, 'current customer token issued')
      if (prefersJson(request.headers.accept)) reply.type('application/json; charset=utf-8').send({ token })
      else reply.type('text/plain; charset=utf-8').send(token)
    })
    done()
  },
  { name: 'bigcommerce-mock-current-customer', encapsulate: true },
)
