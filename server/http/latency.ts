import type { FastifyInstance, onRequestAsyncHookHandler, RouteOptions } from 'fastify'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Whether `--latency` delays this route. Unset: decided by {@link isStorefrontEndpoint}
     * from the route's URL; `true`/`false` opts a route in or out explicitly.
     */
    storefrontLatency?: boolean
  }
}

/** A delay range in milliseconds, both ends included. */
export interface LatencyRange {
  min: number
  max: number
}

/** Largest delay `--latency` accepts: a minute is already longer than any loading state. */
export const MAX_LATENCY_MS = 60_000

/**
 * Whether a route URL is one of the storefront endpoints `--latency` slows down:
 * `/customer/current.jwt`, `/login.php`, `/account.php` and `/login/token/*`. The control API,
 * the mock's home page and proxied or static front-end files are never delayed.
 */
export function isStorefrontEndpoint(url: string): boolean {
  return url === '/customer/current.jwt' || url === '/login.php' || url === '/account.php' || url.startsWith('/login/token/')
}

/** A whole number of milliseconds drawn uniformly from the range, both ends included. */
export function pickDelay(range: LatencyRange, random: () => number = Math.random): number {
  return range.min + Math.floor(random() * (range.max - range.min + 1))
}

/**
 * Give every storefront route (see {@link isStorefrontEndpoint}, or route config
 * `storefrontLatency`) an `onRequest` hook that waits a random time in `range`. Must be called
 * before the routes are registered. Waiting requests are released as soon as the app starts
 * closing, so a long latency never holds up shutdown, and the timers are unref'd so they never
 * keep the process alive.
 */
export function installLatency(app: FastifyInstance, range: LatencyRange): void {
  if (range.max === 0) return
  // Each waiting request's release: true when released early because the app is closing.
  const waiting = new Map<NodeJS.Timeout, (closing: boolean) => void>()

  const delay: onRequestAsyncHookHandler = async (_request, reply) => {
    const closing = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(timer)
        resolve(false)
      }, pickDelay(range)).unref()
      waiting.set(timer, resolve)
    })
    // Its keep-alive connection would otherwise hold server.close() open until it times out.
    if (closing) reply.header('connection', 'close')
  }

  app.addHook('onRoute', (route: RouteOptions) => {
    const flagged = route.config?.storefrontLatency
    if (!(flagged ?? isStorefrontEndpoint(route.url))) return
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]
    // First, so the delay comes before any work the route's own hooks do, as network latency would.
    route.onRequest = [delay, ...existing]
  })

  app.addHook('preClose', (done) => {
    for (const [timer, release] of waiting) {
      clearTimeout(timer)
      release(true)
    }
    waiting.clear()
    done()
  })
}
