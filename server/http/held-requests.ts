import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** How long a `hang` holds a request when the server has no request timeout of its own (Node's default request timeout, 300 s). */
const DEFAULT_HANG_BOUND_MS = 300_000

/** Destroy the connection without an answer, and note the request (status 0) in the adapter's own request log. */
export type EndUnanswered = (request: FastifyRequest, reply: FastifyReply) => void

/** What ends held requests: a fault's end releases its hangs, a reset of the store ends them all (the store's events, by their shape). */
export interface HoldEvents {
  onFaultEnded(listener: (fault: { readonly id: string }) => void): () => void
  onReset(listener: () => void): () => void
}

/** The fault a request is held for, by its shape: `delay` (for `delayMs`) or `hang`. */
export interface HoldingFault {
  readonly id: string
  readonly effect: string
  readonly delayMs: number | null
}

/** Why a held request stops waiting. */
type Finish = 'released' | 'timeout' | 'client' | 'closing' | 'reset'

/**
 * The requests one Fastify scope holds for a `delay` or `hang` fault. A `delay` lets the route
 * answer after its time; a `hang` waits for its fault to end, else the server's request timeout
 * ends it unanswered. A client that closes its connection ends its
 * held request unanswered, so the route never runs: a write whose answer nobody reads (a
 * sign-in's session) would only leave a test puzzled. A store reset ends every one unanswered,
 * so none finishes into the fresh state; the app closing answers the delayed ones at once, with `connection: close`, and ends the hanging ones, so a
 * fault never holds up shutdown. Timers are not unref'd: an `inject()` test has no socket to
 * keep the process alive while one waits.
 */
export class HeldRequests {
  readonly #app: FastifyInstance
  readonly #unanswered: EndUnanswered
  readonly #held = new Set<Held>()

  /**
   * Hold `app`'s requests: a fault's end (of `events`) releases its hangs, a reset ends them all,
   * and the app's closing releases them (its `preClose`, where the subscriptions end too).
   */
  constructor(app: FastifyInstance, events: HoldEvents, unanswered: EndUnanswered) {
    this.#app = app
    this.#unanswered = unanswered
    const unsubscribe = events.onFaultEnded((fault) => {
      for (const held of this.#held) if (held.faultId === fault.id) this.#finish(held, 'released')
    })
    // A reset ends every held request unanswered, before it clears the faults (which would release the hangs).
    const unsubscribeReset = events.onReset(() => {
      for (const held of this.#held) this.#finish(held, 'reset')
    })
    app.addHook('preClose', (closed) => {
      unsubscribe()
      unsubscribeReset()
      for (const held of this.#held) this.#finish(held, 'closing')
      closed()
    })
  }

  /**
   * Hold a request for a `delay` fault (the route answers after `delayMs`) or a `hang` (until the
   * fault ends, then the route answers, bounded by the server's request timeout).
   */
  hold(fault: HoldingFault, request: FastifyRequest, reply: FastifyReply, proceed: () => void): void {
    if (fault.effect === 'delay') return this.#hold(undefined, fault.delayMs ?? 0, request, reply, proceed)
    // The server's own request timeout bounds it; 0 (none) falls back to Node's default.
    const bound = this.#app.server.requestTimeout > 0 ? this.#app.server.requestTimeout : DEFAULT_HANG_BOUND_MS
    this.#hold(fault.id, bound, request, reply, proceed)
  }

  #hold(faultId: string | undefined, ms: number, request: FastifyRequest, reply: FastifyReply, proceed: () => void): void {
    const held: Held = {
      faultId,
      request,
      reply,
      proceed,
      done: false,
      // A delay's time passing lets the route answer; a hang's bound ends it unanswered.
      timer: setTimeout(() => this.#finish(held, faultId === undefined ? 'released' : 'timeout'), ms),
      onClose: () => this.#finish(held, 'client'),
    }
    reply.raw.once('close', held.onClose)
    this.#held.add(held)
  }

  #finish(held: Held, why: Finish): void {
    if (held.done) return
    held.done = true
    clearTimeout(held.timer)
    held.reply.raw.removeListener('close', held.onClose)
    this.#held.delete(held)
    if (why === 'released') return held.proceed()
    if (why === 'closing' && held.faultId === undefined) {
      held.reply.header('connection', 'close')
      return held.proceed()
    }
    this.#unanswered(held.request, held.reply)
  }
}

/** One held request; `faultId` names the fault of a `hang`, undefined for a `delay`. */
interface Held {
  readonly faultId: string | undefined
  readonly request: FastifyRequest
  readonly reply: FastifyReply
  readonly proceed: () => void
  readonly timer: NodeJS.Timeout
  readonly onClose: () => void
  done: boolean
}
