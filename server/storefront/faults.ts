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
import { recordRequest } from './request-recorder.js'
import { endUnanswered } from './reset-guard.js'
import { sessionCookies } from '../http/session-cookies.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The fault route (`POST /__mock/faults`) this storefront route answers as; routes without one never draw a fault. */
    faultRoute?: FaultRoute
  }
}

/** How long a `hang` holds a request when the server has no request timeout of its own (Node's default request timeout, 300 s). */
const DEFAULT_HANG_BOUND_MS = 300_000

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
 * - `delay`: the route answers after `delay_ms`;
 * - `hang`: nothing is answered until the fault is removed (then the route answers), the client
 *   gives up, or the server's request timeout passes (then the connection is closed unanswered);
 * - `reset`: the socket is destroyed without an answer;
 * - every other effect is the store's to apply: the route passes `request.storefrontFault` on.
 *
 * Waiting requests (`delay`, `hang`) are released as soon as the app starts closing, as
 * `--latency` releases its own, so a fault never holds up shutdown. Their timers are not
 * unref'd: an `inject()` test has no socket to keep the process alive while one waits. A reset
 * of the store ends them unanswered instead, so none finishes into the fresh state.
 */
export function prepareFaults(app: FastifyInstance, store: Store): PreHandlerStep {
  // Each delayed request: how to release it (answered now) and how to end it (unanswered).
  const delayed = new Map<NodeJS.Timeout, { release: () => void; end: () => void }>()
  const hanging = new Set<Hang>()

  const unsubscribe = store.onFaultEnded((fault) => {
    for (const hang of hanging) if (hang.fault.id === fault.id) hang.finish('released')
  })
  // A reset ends every held request unanswered, before it clears the faults (which would release the hangs).
  const unsubscribeReset = store.onReset(() => {
    for (const [timer, { end }] of delayed) {
      clearTimeout(timer)
      end()
    }
    delayed.clear()
    for (const hang of hanging) hang.finish('reset')
  })

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
    if (fault.effect === 'delay') {
      const timer = setTimeout(() => {
        delayed.delete(timer)
        done()
      }, fault.delayMs ?? 0)
      delayed.set(timer, {
        release: () => {
          reply.header('connection', 'close')
          done()
        },
        end: () => unanswered(store, request, reply),
      })
      return
    }
    if (fault.effect === 'reset') {
      unanswered(store, request, reply)
      return
    }
    hanging.add(new Hang(app, store, fault, request, reply, done, hanging))
  }

  app.addHook('preClose', (closed) => {
    unsubscribe()
    unsubscribeReset()
    for (const [timer, { release }] of delayed) {
      clearTimeout(timer)
      release()
    }
    delayed.clear()
    for (const hang of hanging) hang.finish('closing')
    closed()
  })
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

/** One request held by a `hang` fault. */
class Hang {
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
    readonly registry: Set<Hang>,
  ) {
    // The server's own request timeout bounds it; 0 (none) falls back to Node's default.
    const timeout = app.server.requestTimeout > 0 ? app.server.requestTimeout : DEFAULT_HANG_BOUND_MS
    this.#timer = setTimeout(() => this.finish('timeout'), timeout)
    this.#onClose = () => this.finish('client')
    reply.raw.once('close', this.#onClose)
  }

  /** End the hang: `released` lets the route answer; the others close the connection unanswered. */
  finish(why: 'released' | 'timeout' | 'client' | 'closing' | 'reset'): void {
    if (this.#done) return
    this.#done = true
    clearTimeout(this.#timer)
    this.reply.raw.removeListener('close', this.#onClose)
    this.registry.delete(this)
    if (why === 'released') {
      this.proceed()
      return
    }
    unanswered(this.store, this.request, this.reply)
  }
}
