import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DEFAULT_FAULT_STATUS, FAULT_HEADER, faultHeaderValue, TRANSPORT_EFFECTS, type Fault } from '../domain/rules/fault-rules.js'
import type { Store } from '../domain/store.js'
import { ERRORS } from '../errors.js'
import { apiErrorBody, versionOfUrl } from '../management-api/error-bodies.js'
import { RATE_LIMITED_HEADERS } from '../management-api/gateway.js'
import { recordManagementRequest } from './request-recorder.js'

/** How long a `hang` holds a request when the server has no request timeout of its own (Node's default, 300 s). */
const DEFAULT_HANG_BOUND_MS = 300_000

/**
 * Apply faults on the Management API's routes (`api-*`, named in each route's
 * `config.managementFaultRoute`), after the token is checked, so a fault's `client_id` is the
 * app whose token the request carried and its `customer_id` the customer the request names.
 * Effects, as on the storefront: `status` answers the fault's status with the route's error
 * shape (a `429` with the rate-limit headers saying no request is left), `delay` answers after
 * `delay_ms`, `hang` holds the request until the fault ends (then it is answered), the client
 * gives up or the server's request timeout passes, `reset` destroys the socket unanswered. A
 * store reset ends held requests unanswered; closing the app releases them.
 */
export function installManagementFaults(app: FastifyInstance, store: Store): void {
  const held = new Set<Held>()
  const unsubscribe = store.onFaultEnded((fault) => {
    for (const entry of held) if (entry.fault.id === fault.id && entry.kind === 'hang') entry.finish('released')
  })
  const unsubscribeReset = store.onReset(() => {
    for (const entry of held) entry.finish('reset')
  })

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
    held.add(new Held(app, store, fault, request, reply, done, held))
  })

  app.addHook('preClose', (closed) => {
    unsubscribe()
    unsubscribeReset()
    for (const entry of held) entry.finish('closing')
    closed()
  })
}

// Destroy the connection without an answer, and record the request (no onResponse will).
function unanswered(store: Store, request: FastifyRequest, reply: FastifyReply): void {
  recordManagementRequest(store, request, reply, 0)
  reply.hijack()
  reply.raw.destroy()
  request.raw.socket.destroy?.()
}

/** One request a `delay` or `hang` fault holds. */
class Held {
  readonly kind: 'delay' | 'hang'
  readonly #timer: NodeJS.Timeout
  readonly #onClose: () => void
  #done = false

  constructor(
    app: FastifyInstance,
    readonly store: Store,
    readonly fault: Fault,
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    readonly proceed: () => void,
    readonly registry: Set<Held>,
  ) {
    this.kind = fault.effect === 'delay' ? 'delay' : 'hang'
    // A delay answers when it has passed; a hang is bounded by the server's request timeout.
    const bound = app.server.requestTimeout > 0 ? app.server.requestTimeout : DEFAULT_HANG_BOUND_MS
    this.#timer = setTimeout(
      () => this.finish(this.kind === 'delay' ? 'released' : 'timeout'),
      this.kind === 'delay' ? (fault.delayMs ?? 0) : bound,
    )
    this.#onClose = () => this.finish('client')
    reply.raw.once('close', this.#onClose)
  }

  /** End the wait: `released` lets the route answer, and `closing` a delayed one (the connection closed after); the others end it unanswered. */
  finish(why: 'released' | 'timeout' | 'client' | 'closing' | 'reset'): void {
    if (this.#done) return
    this.#done = true
    clearTimeout(this.#timer)
    this.reply.raw.removeListener('close', this.#onClose)
    this.registry.delete(this)
    if (why === 'released') return this.proceed()
    if (why === 'closing' && this.kind === 'delay') {
      this.reply.header('connection', 'close')
      return this.proceed()
    }
    unanswered(this.store, this.request, this.reply)
  }
}
