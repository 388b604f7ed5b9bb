import type { FastifyRequest } from 'fastify'
import type { RegisteredApp } from '../domain/app-registry.js'
import type { Fault, FaultRoute } from '../domain/rules/fault-rules.js'
import type { ApiRequest } from '../management-api/operation.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The app whose `X-Auth-Token` a Management API request carried, once checked. */
    managementApp: RegisteredApp | undefined
    /** The request log's `outcome` of a Management API request; unset means `ok` (or `http_<status>`). */
    managementOutcome: string | undefined
    /** The request log's `hint`. */
    managementHint: string | undefined
    /** The fault this request drew, if any. */
    managementFault: Fault | undefined
    /** The store's `generation` when the request began. */
    managementGeneration: number | undefined
    /** The request as its operation reads it, once its body is parsed. */
    managementApiRequest: ApiRequest | undefined
  }
  interface FastifyContextConfig {
    /** The fault route (`api-*`) this Management API route answers as. */
    managementFaultRoute?: FaultRoute
    /**
     * The one customer a request to this route is about, if it names one (`id:in=4927`,
     * `/v2/customers/4927`, `/v2/orders?customer_id=4927`): the request log's `customer_id`, and
     * what a fault's `customer_id` matches. Read leniently: a bad value is the route's to refuse.
     */
    managementCustomer?: (request: ApiRequest) => number | undefined
  }
}

/** Note on a Management API request how it ended, for the request log's `outcome` and `hint`. */
export function noteOutcome(request: FastifyRequest, outcome: string, hint?: string): void {
  request.managementOutcome = outcome
  if (hint !== undefined) request.managementHint = hint
}

/** Add advice to the request log's `hint` of an accepted request (fields accepted and not kept, say). */
export function noteHint(request: FastifyRequest, hint: string): void {
  request.managementHint = request.managementHint === undefined ? hint : `${request.managementHint} ${hint}`
}
