import { shortened } from '../errors.js'
import type { Fault } from './rules/fault-rules.js'

/** One storefront request as the log keeps it: nothing that could sign anyone in. */
export interface RecordedRequest {
  /** When it arrived, epoch milliseconds by the mock's clock. */
  atMs: number
  method: string
  /** Path plus the query parameters safe to keep; tokens in the path are redacted. */
  path: string
  status: number
  /** The signed-in customer the request came from (or signed in), if any. */
  customerId: number | undefined
  /** The app it was for, if any. */
  clientId: string | undefined
  /** A Customer Login token's `impersonator_id` (who signed in on the customer's behalf), as a string; absent otherwise. */
  impersonatorId?: string | undefined
  /** Real time the mock took to answer. */
  durationMs: number
  /**
   * `ok`, or why the request was refused: the Customer Login rule that failed (`iat_stale`,
   * `jti_reused`, ...), or the catalogue code of a 4xx (`ERRORS.unknownAppParameter.code`, ...).
   */
  outcome: string
  /** One sentence on what went wrong and how to fix it, or advice about an accepted request; null when there is nothing to say. */
  hint: string | null
}

/** How many requests a {@link RequestLog} keeps by default. */
const REQUEST_LOG_CAPACITY = 500

/**
 * Longest `hint` an entry keeps: a refusal's message with its lists already cut (see
 * `MAX_LISTED`) fits with room to spare, and a full log holds at most about 1 MB of hints.
 */
export const MAX_HINT_LENGTH = 2048

/**
 * The most recent storefront requests, oldest first: a fixed-size ring, so a long-running mock
 * holds at most `capacity` entries and recording costs the same however many came before.
 */
export class RequestLog {
  readonly #ring: (RecordedRequest | undefined)[]
  #next = 0
  #size = 0
  #total = 0

  constructor(readonly capacity = REQUEST_LOG_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`request log capacity must be a positive whole number, got ${capacity}`)
    this.#ring = new Array<RecordedRequest | undefined>(capacity)
  }

  /** Entries held now (at most `capacity`). */
  get size(): number {
    return this.#size
  }

  /** Entries recorded since creation or the last {@link clear}, including those the ring has dropped. */
  get total(): number {
    return this.#total
  }

  /** Add an entry, dropping the oldest when full; a hint longer than {@link MAX_HINT_LENGTH} is cut. */
  record(entry: RecordedRequest): void {
    this.#ring[this.#next] =
      entry.hint !== null && entry.hint.length > MAX_HINT_LENGTH ? { ...entry, hint: shortened(entry.hint, MAX_HINT_LENGTH) } : entry
    this.#next = (this.#next + 1) % this.capacity
    this.#size = Math.min(this.#size + 1, this.capacity)
    this.#total++
  }

  /** The held entries, oldest first; with `limit`, only the most recent that many. */
  entries(limit = this.#size): RecordedRequest[] {
    const count = Math.max(0, Math.min(limit, this.#size))
    const start = (this.#next - count + this.capacity) % this.capacity
    const out: RecordedRequest[] = []
    for (let index = 0; index < count; index++) {
      const entry = this.#ring[(start + index) % this.capacity]
      if (entry) out.push(entry)
    }
    return out
  }

  /** Forget every entry; answers how many were held. */
  clear(): number {
    const held = this.#size
    this.#ring.fill(undefined)
    this.#next = 0
    this.#size = 0
    this.#total = 0
    return held
  }
}

/**
 * A request's `outcome` and `hint` as the log keeps them: a fault's application outranks what
 * the route noted (and its hint names the fault), else the route's outcome, else `ok` below 400
 * and `http_<status>` above. The one rule both adapters (the server's recorder, the MSW
 * handlers) record by.
 */
export function requestOutcome(
  status: number,
  fault: Fault | undefined,
  noted: { outcome?: string | undefined; hint?: string | undefined },
): Pick<RecordedRequest, 'outcome' | 'hint'> {
  const hint = noted.hint ?? null
  if (fault)
    return {
      outcome: `fault:${fault.effect}`,
      hint: `fault ${fault.id} (${fault.effect} on ${fault.route})${hint !== null ? `: ${hint}` : ''}`,
    }
  return { outcome: noted.outcome ?? (status < 400 ? 'ok' : `http_${status}`), hint }
}
