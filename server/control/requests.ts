import type { RecordedRequest } from '../domain/request-log.js'
import { controlRoute, isoTime, type ControlResource } from './context.js'

/** A recorded storefront request as the control API shows it. */
export interface RecordedRequestView {
  at: string
  method: string
  path: string
  status: number
  customer_id: number | null
  client_id: string | null
  impersonator_id: string | null
  duration_ms: number
  outcome: string
  hint: string | null
}

/** {@link RecordedRequestView} of a log entry. */
function recordedRequestView(entry: RecordedRequest): RecordedRequestView {
  return {
    at: isoTime(entry.atMs),
    method: entry.method,
    path: entry.path,
    status: entry.status,
    customer_id: entry.customerId ?? null,
    client_id: entry.clientId ?? null,
    impersonator_id: entry.impersonatorId ?? null,
    duration_ms: entry.durationMs,
    outcome: entry.outcome,
    hint: entry.hint,
  }
}

/** `GET /__mock/requests` (the recent storefront requests, oldest first) and `DELETE` (forget them). */
export const requestRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute<{ Querystring: { limit?: number } }>(app, spec, 'GET', '/__mock/requests', async (request) => {
    const { requestLogCapacity, requestsTotal } = store.stats()
    return {
      requests: store.listRequests(request.query.limit).map(recordedRequestView),
      capacity: requestLogCapacity,
      total: requestsTotal,
    }
  })

  controlRoute(app, spec, 'DELETE', '/__mock/requests', async () => ({ cleared: store.clearRequests() }))
}
