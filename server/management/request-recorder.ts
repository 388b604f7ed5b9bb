import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Store } from '../domain/store.js'
import { describeRequestUrl, type UrlRedaction } from '../http/safe-url.js'

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

/**
 * Add one Management API request to the store's request log: method, safe path, status, the
 * customer it was about (when one), the app whose token it carried, and how it ended (`ok`, the
 * catalogue code of a refusal, or `fault:<effect>`) with a hint. A request begun before the last
 * reset is not recorded. `status` 0: the fault left it unanswered.
 */
export function recordManagementRequest(store: Store, request: FastifyRequest, reply: FastifyReply, status: number): void {
  const { path } = describeRequestUrl(request, MANAGEMENT_URL_REDACTION)
  const fault = request.managementFault
  const hint = request.managementHint ?? null
  store.recordRequest(
    {
      method: request.method,
      path,
      status,
      customerId: request.customerId,
      clientId: request.managementApp?.clientId,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      outcome: fault ? `fault:${fault.effect}` : (request.managementOutcome ?? (status < 400 ? 'ok' : `http_${status}`)),
      hint: fault ? `fault ${fault.id} (${fault.effect} on ${fault.route})${hint !== null ? `: ${hint}` : ''}` : hint,
    },
    request.managementGeneration,
  )
}
