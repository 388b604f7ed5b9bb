import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Store } from '../domain/store.js'
import { recordManagementRequest as record } from '../management-api/gateway.js'

/** Add one Management API request to the store's request log (see `gateway.ts`); `status` 0: a fault left it unanswered. */
export function recordManagementRequest(store: Store, request: FastifyRequest, reply: FastifyReply, status: number): void {
  record(
    store,
    {
      method: request.method,
      url: request.url,
      customerId: request.customerId,
      app: request.managementApp,
      durationMs: reply.elapsedTime,
      fault: request.managementFault,
      outcome: request.managementOutcome,
      hint: request.managementHint,
      generation: request.managementGeneration,
    },
    status,
  )
}
