import type { FaultRoute } from '../domain/rules/fault-rules.js'
import type { Store } from '../domain/store.js'

/** A Management API request as an operation reads it, whichever adapter (the server or MSW) received it. */
export interface ApiRequest {
  /** The path's parameters (`customer_id`, `order_id`, ...), as given. */
  readonly params: Readonly<Record<string, string | undefined>>
  /** The query: a string per parameter, an array when one is repeated. */
  readonly query: Readonly<Record<string, string | string[]>>
  /** The parsed JSON body; undefined when there is none. */
  readonly body: unknown
  /** The store's API base on the origin the request reached (`https://api.bigcommerce.com/stores/abc123`), for V2's `url`s. */
  readonly base: string
}

/** What an operation notes about the request it answers, for the request log and the log. */
export interface ApiNotes {
  /** The one customer the request was about (the request log's `customer_id`); set when an answer names one. */
  customerId: number | undefined
  /** Add advice to the request log's `hint` (fields accepted and not kept, say). */
  hint(text: string): void
  /** An info line in the log (never a secret). */
  log(fields: Record<string, unknown>, message: string): void
}

/** An operation's answer: its status, and the JSON body (none for a `204`). */
export interface ApiAnswer {
  status: number
  body?: unknown
}

/** One route of the Management API, framework-free: the server's plugin and the MSW handlers each adapt it. */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The path after `/stores/{store_hash}`, with `:name` parameters (`/v2/orders/:order_id`). */
  path: string
  /** The fault route it answers as. */
  faultRoute: FaultRoute
  /**
   * The one customer a request is about, if it names one (`id:in=4927`, `/v2/customers/4927`):
   * the request log's `customer_id`, and what a fault's `customer_id` matches. Read leniently,
   * before the body: a bad value is the operation's to refuse.
   */
  customer?: (request: ApiRequest, store: Store) => number | undefined
  /** Answer the request from the store; a refusal is thrown as a `MockError`. */
  answer: (store: Store, request: ApiRequest, notes: ApiNotes) => ApiAnswer
}

/** A `200` with this body. */
export function ok(body: unknown): ApiAnswer {
  return { status: 200, body }
}

/** `204 No Content`. */
export const NO_CONTENT: ApiAnswer = { status: 204 }
