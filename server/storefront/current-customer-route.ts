import fastifyPlugin from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Store } from '../domain/store.js'
import { ERRORS, MockError } from '../errors.js'
import { prefersJson } from './accept.js'
import type { CurrentCustomerSpec } from './current-customer-spec.js'
import { queryValidatorCompiler } from './query-validator.js'
import { sessionCookies } from './session-cookies.js'

/** Options of {@link currentCustomerRoute}. */
export interface CurrentCustomerRouteOptions {
  store: Store
  spec: CurrentCustomerSpec
}

/**
 * `GET /customer/current.jwt?app_client_id=ID`: the signed-in customer's JWT, signed with the
 * app's client secret. Plain text by default, `{"token": ...}` when JSON is preferred.
 */
export const currentCustomerRoute = fastifyPlugin<CurrentCustomerRouteOptions>((app, { store, spec }, done) => {
  const options = {
    config: { faultRoute: 'current-customer' as const },
    schema: { querystring: spec.querystring },
    validatorCompiler: queryValidatorCompiler,
    // Clients such as the B2B buyer portal read this 400 as "no customer", so say it where a developer looks.
    onError: (request: FastifyRequest, _reply: FastifyReply, error: Error, next: () => void) => {
      if (error instanceof MockError && error.code === ERRORS.unknownAppParameter.code && error.statusCode === ERRORS.unknownAppParameter.statusCode) {
        request.log.warn({ field: 'app_client_id' }, `current customer token refused: ${error.message} Clients that treat any non-200 as a guest will look signed out.`)
      }
      next()
    },
  }
  app.get<{ Querystring: { app_client_id: string } }>('/customer/current.jwt', options, async (request, reply) => {
    const { token, customer, app: registered } = store.issueCurrentCustomerToken(request.query.app_client_id, sessionCookies(request), request.storefrontFault)
    request.storefrontCustomerId = customer.id
    request.log.info({ customerId: customer.id, clientId: registered.clientId }, 'current customer token issued')
    if (prefersJson(request.headers.accept)) return reply.type('application/json; charset=utf-8').send({ token })
    return reply.type('text/plain; charset=utf-8').send(token)
  })
  done()
}, { name: 'bigcommerce-mock-current-customer', encapsulate: true })
