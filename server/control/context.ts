import type {
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify'
import type { Store } from '../domain/store.js'
import type { CookiePolicy } from '../http/session-cookies.js'
import { routeUrl, type ControlSpec } from './spec.js'

/** What every control API resource needs. */
interface ControlContext {
  store: Store
  spec: ControlSpec
  /** The attributes of the session cookies `POST /__mock/sessions` sets. */
  cookies: CookiePolicy
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
  app.route<T>({ method, url: routeUrl(path), schema: spec.routeSchema(method, path), handler })
}

/** An ISO 8601 time from epoch milliseconds. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString()
}
