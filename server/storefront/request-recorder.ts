import type { FastifyInstance } from 'fastify'
import type { Store } from '../domain/store.js'
import { describeRequestUrl } from '../http/safe-url.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The customer a storefront route acted for (signed in, signing in or out), for the request log. */
    storefrontCustomerId: number | undefined
  }
}

/**
 * Record every request of this encapsulated scope (the storefront) in `store.requests`: when
 * it was answered (mock clock), method, a safe path, status, the customer the route acted for
 * and the app it was for. Cookies, tokens, secrets and headers are never stored. Control calls
 * and front-end files live in other scopes and so are never recorded. One `onResponse` hook and
 * no second cookie parse: it runs on every token request, where each microsecond shows.
 */
export function installRequestRecorder(app: FastifyInstance, store: Store): void {
  app.decorateRequest('storefrontCustomerId', undefined)
  app.addHook('onResponse', (request, reply, done) => {
    const { path, clientId } = describeRequestUrl(request)
    store.requests.record({
      atMs: store.clock.nowMs(),
      method: request.method,
      path,
      status: reply.statusCode,
      customerId: request.storefrontCustomerId,
      clientId,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    })
    done()
  })
}

export { describeUrl } from '../http/safe-url.js'
