import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify'
import type { Store } from '../domain/store.js'
import { endUnanswered } from './reset-guard.js'

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
 * are unref'd so they never keep the process alive. A reset of the store ends the waiting
 * requests unanswered, so none goes on into the fresh state.
 */
export function installLatency(app: FastifyInstance, range: LatencyRange, store: Store): void {
  if (range.max === 0) return
  // Each waiting request's release: why it was released early, if it was.
  const waiting = new Map<NodeJS.Timeout, (early: 'closing' | 'reset' | undefined) => void>()

  const delay: onRequestAsyncHookHandler = async (request, reply) => {
    const early = await new Promise<'closing' | 'reset' | undefined>((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(timer)
        resolve(undefined)
      }, pickDelay(range)).unref()
      waiting.set(timer, resolve)
    })
    if (early === 'reset') endUnanswered(request, reply)
    // Its keep-alive connection would otherwise hold server.close() open until it times out.
    else if (early === 'closing') reply.header('connection', 'close')
  }

  app.addHook('onRequest', delay)

  const releaseAll = (why: 'closing' | 'reset') => {
    for (const [timer, release] of waiting) {
      clearTimeout(timer)
      release(why)
    }
    waiting.clear()
  }
  const unsubscribe = store.onReset(() => releaseAll('reset'))
  app.addHook('preClose', (done) => {
    unsubscribe()
    releaseAll('closing')
    done()
  })
}
