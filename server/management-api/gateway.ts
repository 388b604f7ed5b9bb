import type { RegisteredApp } from '../domain/app-registry.js'
import { requestOutcome } from '../domain/request-log.js'
import type { Fault } from '../domain/rules/fault-rules.js'
import type { Store } from '../domain/store.js'
import { ERRORS, type MockError } from '../errors.js'
import { describeUrl, type UrlRedaction } from '../http/safe-url.js'
import { attributeOperations } from './attributes.js'
import { customerGroupOperations } from './customer-groups.js'
import { customerOperations } from './customers.js'
import type { Operation } from './operation.js'
import { orderOperations } from './orders.js'

/** Where the Management API lives on an origin: `https://api.bigcommerce.com/stores/{store_hash}/...`, and the mock's own. */
export const MANAGEMENT_PREFIX = '/stores'

/** The origin app code calls the Management API on. */
export const BIGCOMMERCE_API_ORIGIN = 'https://api.bigcommerce.com'

/** Every route of the Management API slice, one file per resource. */
export const OPERATIONS: readonly Operation[] = [
  ...customerOperations,
  ...attributeOperations,
  ...customerGroupOperations,
  ...orderOperations,
]

/**
 * BigCommerce's rate-limit headers. Every Management API answer carries them with a full quota
 * (the mock never limits); a `429` fault's answer says none is left and when the window resets.
 */
const RATE_LIMIT = { quota: 150, windowMs: 30_000, resetMs: 1_000 } as const

/** The rate-limit headers: `left` requests of the quota remain, the window resets in `resetMs`. */
function rateLimitHeaders(left: number, resetMs: number = RATE_LIMIT.windowMs): Record<string, string> {
  return {
    'x-rate-limit-requests-left': String(left),
    'x-rate-limit-requests-quota': String(RATE_LIMIT.quota),
    'x-rate-limit-time-reset-ms': String(resetMs),
    'x-rate-limit-time-window-ms': String(RATE_LIMIT.windowMs),
  }
}

/** The headers every answer carries: no cache may keep customers' details, and a full rate-limit quota. */
export const ANSWER_HEADERS: Readonly<Record<string, string>> = { 'cache-control': 'no-store', ...rateLimitHeaders(RATE_LIMIT.quota) }

/** The headers a `429` fault's answer changes: no request left, the window resets soon. */
export const RATE_LIMITED_HEADERS: Readonly<Record<string, string>> = rateLimitHeaders(0, RATE_LIMIT.resetMs)

/**
 * Check the request's store and credentials as BigCommerce's API gateway does: the store hash
 * in the path, then `X-Auth-Token` (an app's `access_token`) and, when sent, `X-Auth-Client`
 * (that app's client id), then `Accept`. Answers the app, or the refusal. Neither header is ever
 * repeated in an answer or a log line.
 */
export function authenticate(
  store: Store,
  url: string,
  header: (name: 'x-auth-token' | 'x-auth-client' | 'accept') => string | undefined,
): { app: RegisteredApp; error?: undefined } | { app?: RegisteredApp; error: MockError } {
  const hash = /^\/stores\/([^/?#]*)/.exec(url)?.[1] ?? ''
  let given = hash
  try {
    given = decodeURIComponent(hash)
  } catch {
    // A malformed escape is no store hash of this store either.
  }
  if (given !== store.storeHash) return { error: ERRORS.apiUnknownStore(given, store.storeHash) }
  const token = header('x-auth-token')
  if (token === undefined || token === '') return { error: ERRORS.apiUnauthorized('missing') }
  const app = store.appByAccessToken(token)
  if (!app) return { error: ERRORS.apiUnauthorized('unknown') }
  const client = header('x-auth-client')
  if (client !== undefined && client !== app.clientId) return { error: ERRORS.apiUnauthorized('client') }
  if (!acceptsJson(header('accept'))) return { app, error: ERRORS.apiNotAcceptable() }
  return { app }
}

/** Does an `Accept` header admit JSON? A missing or empty one does; `application/xml` alone does not. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true
  return accept.split(',').some((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    if (q !== undefined && !(Number(q.slice(2)) > 0)) return false
    const media = type.trim()
    return media === 'application/json' || media === 'application/*' || media === '*/*' || media.endsWith('+json')
  })
}

/** The refusal of a request no operation matches. */
export function noRoute(method: string): MockError {
  return ERRORS.apiNotFound(
    `No Management API route of this mock matches this ${method} request (docs/management-api.md lists the ones served).`,
  )
}

/**
 * What logs and the request log keep of the Management API's URLs: the path (ids, no secret),
 * and of the query the ids, paging and sorting; the values of filters that carry a shopper's
 * details (`email:in`, `name:like`, `phone:in`, ...) are `[redacted]`. The access token travels
 * in `X-Auth-Token`, a header, and headers are never logged nor recorded.
 */
const MANAGEMENT_URL_REDACTION: UrlRedaction = {
  keptQueryParameters: new Set([
    'id:in',
    'customer_id:in',
    'attribute_id:in',
    'customer_group_id:in',
    'include',
    'sort',
    'page',
    'limit',
    'customer_id',
    'status_id',
    'channel_id',
    'min_id',
    'max_id',
    'type',
  ]),
  secretPaths: [],
}

/** One Management API request as it ended, for {@link recordManagementRequest}. */
export interface ManagementExchange {
  method: string
  /** Path and query, as sent. */
  url: string
  customerId: number | undefined
  app: RegisteredApp | undefined
  durationMs: number
  fault: Fault | undefined
  outcome: string | undefined
  hint: string | undefined
  /** The store's generation when it began: a request begun before a reset is not recorded. */
  generation: number | undefined
}

/**
 * Add one Management API request to the store's request log: method, safe path, status, the
 * customer it was about (when one), the app whose token it carried, and how it ended (`ok`, the
 * catalogue code of a refusal, or `fault:<effect>`) with a hint. `status` 0: a fault left it
 * unanswered.
 */
export function recordManagementRequest(store: Store, exchange: ManagementExchange, status: number): void {
  store.recordRequest(
    {
      method: exchange.method,
      path: describeUrl(exchange.url, MANAGEMENT_URL_REDACTION).path,
      status,
      customerId: exchange.customerId,
      clientId: exchange.app?.clientId,
      durationMs: Math.round(exchange.durationMs * 10) / 10,
      ...requestOutcome(status, exchange.fault, { outcome: exchange.outcome, hint: exchange.hint }),
    },
    exchange.generation,
  )
}
