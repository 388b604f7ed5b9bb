import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  DEFAULT_FAULT_STATUS,
  FAULT_HEADER,
  faultHeaderValue,
  TRANSPORT_EFFECTS,
  type Fault,
  type FaultRoute,
} from '../domain/rules/fault-rules.js'
import type { Store } from '../domain/store.js'
import { ERRORS } from '../errors.js'
import { errorBody } from '../http/error-body.js'
import { HeldRequests } from '../http/held-requests.js'
import { recordRequest } from './request-recorder.js'
import { endUnanswered } from './reset-guard.js'
import { sessionCookies } from '../http/session-cookies.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The fault route (`POST /__mock/faults`) this storefront route answers as; routes without one never draw a fault. */
    faultRoute?: FaultRoute
  }
}

/** A step of a `preHandler` hook: it calls `done` to go on, or answers, holds or ends the request itself. */
export type PreHandlerStep = (request: FastifyRequest, reply: FastifyReply, done: () => void) => void

/**
 * Apply faults (`POST /__mock/faults`, `storefront.faults.add`, `--fault`) to every route of this
 * encapsulated scope (the storefront's BigCommerce endpoints) that names its fault route in its
 * `config.faultRoute`: answers the step that applies them, for the scope's one `preHandler` hook
 * to run (after the request is parsed and checked, so the sign-in form's email and the token
 * route's `app_client_id` can narrow a fault), and releases held requests on close and reset.
 *
 * With no fault active the step costs one count read (`store.hasAnyFault`), and with none on
 * the route one array length read more (`store.hasFault`), so a mock without faults answers as
 * fast as before. A drawn fault is noted on the request (the
 * request log's `outcome` becomes `fault:<effect>`), marked with the `X-Mock-Fault` header, and:
 *
 * - `status`: answered here with the fault's status and a BigCommerce-shaped error body;
 * - `delay`: the route answers after `delay_ms`, unless the client gives up first (then the
 *   connection is closed unanswered and the route never runs);
 * - `hang`: nothing is answered until the fault is removed (then the route answers), the client
 *   gives up, or the server's request timeout passes (then the connection is closed unanswered);
 * - `reset`: the socket is destroyed without an answer;
 * - every other effect is the store's to apply: the route passes `request.storefrontFault` on.
 *
 * Waiting requests (`delay`, `hang`) are held by {@link HeldRequests}: released as soon as the
 * app starts closing, as `--latency` releases its own, so a fault never holds up shutdown; a
 * reset of the store ends them unanswered instead, so none finishes into the fresh state.
 */
export function prepareFaults(app: FastifyInstance, store: Store): PreHandlerStep {
  const held = new HeldRequests(app, store, (request, reply) => unanswered(store, request, reply))

  const applyFaults: PreHandlerStep = (request, reply, done) => {
    // No fault at all (the usual case): not even the route's config is read.
    if (!store.hasAnyFault()) return done()
    const route = request.routeOptions.config.faultRoute
    if (route === undefined || !store.hasFault(route)) return done()
    const fault = drawFault(store, route, request)
    if (!fault) return done()
    request.storefrontFault = fault
    reply.header(FAULT_HEADER, faultHeaderValue(fault))
    request.log.info({ fault: fault.id, effect: fault.effect, route }, 'fault applied')
    if (!TRANSPORT_EFFECTS.has(fault.effect)) return done()

    if (fault.effect === 'status') {
      const status = fault.status ?? DEFAULT_FAULT_STATUS
      const error = ERRORS.injectedFault(fault.id, route)
      void reply.code(status).send({ ...errorBody(error), status })
      return
    }
    if (fault.effect === 'reset') {
      unanswered(store, request, reply)
      return
    }
    held.hold(fault, request, reply, done)
  }
  return applyFaults
}

// Who the request is for, read the way its route reads it, then the store's first matching fault.
function drawFault(store: Store, route: FaultRoute, request: FastifyRequest): Fault | undefined {
  const query = request.query as { app_client_id?: string; action?: string } | undefined
  const body = request.body as { login_email?: unknown } | undefined
  const params = request.params as { jwt?: string } | undefined
  return store.drawFault(route, {
    clientId: query?.app_client_id,
    action: query?.action,
    cookies: sessionCookies(request),
    email: typeof body?.login_email === 'string' ? body.login_email : undefined,
    loginJwt: params?.jwt,
  })
}

// Destroy the connection without an answer, and record the request (no onResponse will; nor
// this, for a request begun before a reset).
function unanswered(store: Store, request: FastifyRequest, reply: FastifyReply): void {
  recordRequest(store, request, reply, 0)
  endUnanswered(request, reply)
}
