import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Store } from '../domain/store.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The store's `generation` when this storefront request began; undefined for a request no storefront hook saw. */
    storefrontGeneration: number | undefined
  }
}

/**
 * Note on every request of this encapsulated scope (the storefront) the store's generation
 * when it begins, with an `onRequest` hook: add it before the scope's other hooks, so a request
 * `--latency` or a slow body holds is noted before it waits. A `POST /__mock/reset` (or the
 * handle's `reset()`) moves the generation on, and from then on {@link outlivedReset} is true for
 * every request begun before it: the request log leaves it out, {@link endedByReset} ends it
 * unanswered before its route runs, and the Customer Login check spends and starts nothing.
 */
export function installResetGuard(app: FastifyInstance, store: Store): void {
  app.decorateRequest('storefrontGeneration', undefined)
  app.addHook('onRequest', (request, _reply, done) => {
    request.storefrontGeneration = store.generation
    done()
  })
}

/**
 * End a request begun before the last reset (its body arrived after it, say) unanswered, and
 * answer true; false for any other. The storefront's endpoints' `preHandler` hook asks first,
 * before the faults, so such a request never reaches its route and draws no fault either.
 */
export function endedByReset(store: Store, request: FastifyRequest, reply: FastifyReply): boolean {
  if (!outlivedReset(store, request)) return false
  endUnanswered(request, reply)
  return true
}

/** True when the store was reset after this request began. */
function outlivedReset(store: Store, request: FastifyRequest): boolean {
  return request.storefrontGeneration !== undefined && request.storefrontGeneration !== store.generation
}

/**
 * Destroy the connection without an answer, as `close()` does with requests it cannot wait for.
 * Destroying the response first also ends an `inject()` call (it rejects), where the socket is
 * a stand-in.
 */
export function endUnanswered(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack()
  reply.raw.destroy()
  request.raw.socket.destroy?.()
}
