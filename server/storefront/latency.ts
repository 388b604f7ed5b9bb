import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify'

/** A delay range in milliseconds, both ends included. */
export interface LatencyRange {
  min: number
  max: number
}

/** Largest delay `--latency` accepts: a minute is already longer than any loading state. */
export const MAX_LATENCY_MS = 60_000

/** A whole number of milliseconds drawn uniformly from the range, both ends included. */
export function pickDelay(range: LatencyRange, random: () => number = Math.random): number {
  return range.min + Math.floor(random() * (range.max - range.min + 1))
}

/**
 * Delay every route of this encapsulated scope (the storefront's BigCommerce endpoints) by a
 * random time in `range`, with an `onRequest` hook: add it before the scope's other hooks, so
 * the delay comes before any work, as network latency would. Waiting requests are released as
 * soon as the app starts closing, so a long latency never holds up shutdown, and the timers
 * are unref'd so they never keep the process alive.
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

  app.addHook('onRequest', delay)

  app.addHook('preClose', (done) => {
    for (const [timer, release] of waiting) {
      clearTimeout(timer)
      release(true)
    }
    waiting.clear()
    done()
  })
}
