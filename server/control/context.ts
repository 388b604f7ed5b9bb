import type { FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault, RouteGenericInterface, RouteHandlerMethod } from 'fastify'
import type { RegisteredApp } from '../domain/app-registry.js'
import type { Customer } from '../domain/types.js'
import { MockError } from '../errors.js'
import type { MockState } from '../state.js'
import { routeUrl, type ControlSpec } from './spec.js'

/** What every control API resource needs. */
export interface ControlContext {
  state: MockState
  spec: ControlSpec
}

/** Registers one resource's routes on the control API's encapsulated instance. */
export type ControlResource = (app: FastifyInstance, context: ControlContext) => void

type ControlMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * Add a control API route whose params, querystring and body schemas come from the OpenAPI
 * document's operation for `method` and `path` (the documented path, e.g.
 * `/__mock/customers/{id}`).
 */
export function controlRoute<T extends RouteGenericInterface>(
  app: FastifyInstance,
  spec: ControlSpec,
  method: ControlMethod,
  path: string,
  handler: RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, T>,
): void {
  app.route<T>({ method, url: routeUrl(path), schema: spec.routeSchema(method, path), config: { controlApi: true }, handler })
}

/** The customer with this id, or a 404 naming `field`. */
export function requireCustomer(state: MockState, id: number, field: string): Customer {
  const customer = state.customers.get(id)
  if (!customer) throw new MockError('BCMOCK_UNKNOWN_CUSTOMER', `No customer with id ${id} (GET /__mock/customers lists them).`, 404, field)
  return customer
}

/** The app with this client id, or a 404 naming `field` and the registered ids. */
export function requireApp(state: MockState, clientId: string, field: string): RegisteredApp {
  const app = state.apps.get(clientId)
  if (!app) {
    const known = state.apps.clientIds()
    throw new MockError('BCMOCK_UNKNOWN_APP', `No app with client id ${JSON.stringify(clientId)} (${known.length > 0 ? `registered: ${known.join(', ')}` : 'no apps are registered'}).`, 404, field)
  }
  return app
}

/** A 409 for an id or email that is already taken. */
export function conflict(field: string, message: string): MockError {
  return new MockError('BCMOCK_CONFLICT', message, 409, field)
}

/** An ISO 8601 time from epoch milliseconds. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString()
}
