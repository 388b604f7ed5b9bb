import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DEFAULT_FAULT_STATUS, FAULT_HEADER, faultHeaderValue, TRANSPORT_EFFECTS } from '../domain/rules/fault-rules.js'
import type { Store } from '../domain/store.js'
import { ERRORS } from '../errors.js'
import { HeldRequests } from '../http/held-requests.js'
import { apiErrorBody, versionOfUrl } from '../management-api/error-bodies.js'
import { RATE_LIMITED_HEADERS } from '../management-api/gateway.js'
import { recordManagementRequest } from './request-recorder.js'

/**
 * Apply faults on the Management API's routes (`api-*`, named in each route's
 * `config.managementFaultRoute`), after the token is checked, so a fault's `client_id` is the
 * app whose token the request carried and its `customer_id` the customer the request names.
 * Effects, as on the storefront: `status` answers the fault's status with the route's error
 * shape (a `429` with the rate-limit headers saying no request is left), `delay` answers after
 * `delay_ms`, `hang` holds the request until the fault ends (then it is answered), the client
 * gives up or the server's request timeout passes, `reset` destroys the socket unanswered. A
 * held request whose client gives up, or a store reset, ends unanswered; closing the app releases them.
 */
export function installManagementFaults(app: FastifyInstance, store: Store): void {
  const held = new HeldRequests(app, store, (request, reply) => unanswered(store, request, reply))

  app.addHook('preHandler', (request, reply, done) => {
    const route = request.routeOptions.config.managementFaultRoute
    if (route === undefined || !store.hasFault(route)) return done()
    const fault = store.takeFault(route, { clientId: request.managementApp?.clientId, customerId: request.customerId })
    if (!fault) return done()
    request.managementFault = fault
    reply.header(FAULT_HEADER, faultHeaderValue(fault))
    request.log.info({ fault: fault.id, effect: fault.effect, route }, 'fault applied')
    if (!TRANSPORT_EFFECTS.has(fault.effect)) return done()
    if (fault.effect === 'status') {
      const status = fault.status ?? DEFAULT_FAULT_STATUS
      if (status === 429) void reply.headers(RATE_LIMITED_HEADERS)
      void reply.code(status).send(apiErrorBody(versionOfUrl(request.url), ERRORS.injectedFault(fault.id, route), status))
      return
    }
    if (fault.effect === 'reset') return unanswered(store, request, reply)
    held.hold(fault, request, reply, done)
  })
}

// Destroy the connection without an answer, and record the request (no onResponse will).
function unanswered(store: Store, request: FastifyRequest, reply: FastifyReply): void {
  recordManagementRequest(store, request, reply, 0)
  reply.hijack()
  reply.raw.destroy()
  request.raw.socket.destroy?.()
}
