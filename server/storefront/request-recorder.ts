import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Fault } from '../domain/rules/fault-rules.js'
import { requestOutcome } from '../domain/request-log.js'
import type { Store } from '../domain/store.js'
import { asMockError } from '../http/error-handler.js'
import { describeRequestUrl } from '../http/safe-url.js'
import { STOREFRONT_URL_REDACTION } from '../http/storefront-urls.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Why the request was refused, for the request log's `outcome`; unset means `ok` (or the status, for a refusal nothing named). */
    storefrontOutcome: string | undefined
    /** The request log's `hint`. */
    storefrontHint: string | undefined
    /** The fault this request drew, if any: the log's outcome is then `fault:<effect>`. */
    storefrontFault: Fault | undefined
    /** A Customer Login token's `impersonator_id`, for the request log. */
    impersonatorId: string | undefined
  }
}

/** Note on a request how it ended, for the request log's `outcome` and `hint`. */
export function noteOutcome(request: FastifyRequest, outcome: string, hint?: string): void {
  request.storefrontOutcome = outcome
  if (hint !== undefined) request.storefrontHint = hint
}

/**
 * Record every request of this encapsulated scope (the storefront) in the store's request log: when
 * it was answered (mock clock), method, a safe path, status, the customer the route acted for
 * and the app it was for. Cookies, tokens, secrets and headers are never stored. Control calls
 * and front-end files live in other scopes and so are never recorded. One `onResponse` hook and
 * no second cookie parse: it runs on every token request, where each microsecond shows.
 */
export function installRequestRecorder(app: FastifyInstance, store: Store): void {
  // Declared by the logger, which names it in its request line: see `http/logger.ts`.
  app.decorateRequest('customerId', undefined)
  app.decorateRequest('storefrontOutcome', undefined)
  app.decorateRequest('storefrontHint', undefined)
  app.decorateRequest('storefrontFault', undefined)
  app.decorateRequest('impersonatorId', undefined)
  // A refusal thrown by a route (a catalogue error): its code is the outcome, its message the hint.
  app.addHook('onError', (request, _reply, error, done) => {
    if (request.storefrontOutcome === undefined) {
      const answer = asMockError(error)
      // A hint noted before the refusal (a dropped-cookie cause) says why; it stays after the message.
      noteOutcome(
        request,
        answer.code,
        request.storefrontHint === undefined ? answer.message : `${answer.message} ${request.storefrontHint}`,
      )
    }
    done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    recordRequest(store, request, reply, reply.statusCode)
    done()
  })
}

/**
 * Add one request to the store's request log (`Store.recordRequest`). The `onResponse` hook calls it for every answered
 * request; a request a fault left without an answer (`reset`, or a `delay` or `hang` the client gave up on)
 * is recorded by the fault code with status `0`. A fault's application outranks the route's own
 * outcome, and its hint names the fault. A request begun before the last reset is not recorded
 * (the store's rule, from the generation the request began in).
 */
export function recordRequest(store: Store, request: FastifyRequest, reply: FastifyReply, status: number): void {
  const { path, clientId } = describeRequestUrl(request, STOREFRONT_URL_REDACTION)
  store.recordRequest(
    {
      method: request.method,
      path,
      status,
      customerId: request.customerId,
      clientId,
      ...(request.impersonatorId !== undefined && { impersonatorId: request.impersonatorId }),
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      ...requestOutcome(status, request.storefrontFault, { outcome: request.storefrontOutcome, hint: request.storefrontHint }),
    },
    request.storefrontGeneration,
  )
}
