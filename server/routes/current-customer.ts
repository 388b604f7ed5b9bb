import type { FastifyPluginCallback } from 'fastify'
import type { CurrentCustomerSpec } from '../current-customer-spec.js'
import { mintCurrentCustomerToken } from '../domain/current-customer-token.js'
import { resumeSession } from '../domain/sign-in.js'
import { MockError } from '../errors.js'
import { prefersJson } from '../http/accept.js'
import { queryValidatorCompiler } from '../http/query-validator.js'
import { sessionCookies } from '../http/session-cookies.js'
import type { MockState } from '../state.js'

/** Options of {@link currentCustomerRoutes}. */
export interface CurrentCustomerRoutesOptions {
  state: MockState
  spec: CurrentCustomerSpec
}

/**
 * `GET /customer/current.jwt?app_client_id=ID`: the signed-in customer's JWT, signed with the
 * app's client secret. Plain text by default, `{"token": ...}` when JSON is preferred.
 */
export const currentCustomerRoutes: FastifyPluginCallback<CurrentCustomerRoutesOptions> = (app, { state, spec }, done) => {
  app.get<{ Querystring: { app_client_id: string } }>(
    '/customer/current.jwt',
    {
      schema: { querystring: spec.querystring },
      validatorCompiler: queryValidatorCompiler,
      // Set before validation, so every answer carries it: a per-shopper token must never be
      // cached, and neither must the answer that there is none or that the request was wrong.
      onRequest: (_request, reply, done) => {
        reply.header('cache-control', 'no-store')
        done()
      },
    },
    async (request, reply) => {
      const clientId = request.query.app_client_id
      const registered = state.apps.get(clientId)
      if (!registered) throw unknownApp(clientId, state.apps.clientIds())

      const { sessionId, shopToken } = sessionCookies(request)
      const signedIn = resumeSession(state, sessionId, shopToken)
      if (!signedIn) {
        throw new MockError('BCMOCK_NOT_LOGGED_IN', 'No customer is signed in: sign in at /login.php first (or the session cookie is unknown or expired).', 404, 'customer')
      }

      request.storefrontCustomerId = signedIn.customer.id
      const token = mintCurrentCustomerToken({
        app: registered,
        customer: signedIn.customer,
        storeHash: state.storeHash,
        now: state.clock.nowSeconds(),
        defaultTokenTtl: state.defaultTokenTtl,
      })
      request.log.info({ customerId: signedIn.customer.id, clientId }, 'current customer token issued')
      if (prefersJson(request.headers.accept)) return reply.type('application/json; charset=utf-8').send({ token })
      return reply.type('text/plain; charset=utf-8').send(token)
    },
  )
  done()
}

function unknownApp(clientId: string, registered: string[]): MockError {
  const known = registered.length > 0 ? `registered: ${registered.join(', ')}` : 'no apps are registered'
  return new MockError('BCMOCK_UNKNOWN_APP', `app_client_id ${JSON.stringify(clientId)} is not a registered app (${known}).`, 400, 'app_client_id')
}
