import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Store } from '../domain/store.js'
import { ERRORS, type MockError } from '../errors.js'
import { asMockError } from '../http/error-handler.js'
import { attributeRoutes } from './attributes.js'
import { customerGroupRoutes } from './customer-groups.js'
import { customerRoutes } from './customers.js'
import { apiErrorBody, versionOfUrl } from './error-bodies.js'
import { installManagementFaults, RATE_LIMIT, rateLimitHeaders } from './faults.js'
import { orderRoutes } from './orders.js'
import { recordManagementRequest } from './request-recorder.js'
import { noteOutcome } from './request-state.js'

/** Where the Management API lives on the mock's origin, as on `https://api.bigcommerce.com`. */
export const MANAGEMENT_PREFIX = '/stores'

/** Options of {@link managementPlugin}. */
export interface ManagementPluginOptions {
  store: Store
}

/** What one resource of the Management API registers its routes with. */
export type ManagementResource = (app: FastifyInstance, store: Store) => void

const RESOURCES: readonly ManagementResource[] = [customerRoutes, attributeRoutes, customerGroupRoutes, orderRoutes]

/**
 * The slice of BigCommerce's Management API an app backend calls (customers, their attributes,
 * customer groups, orders), on the mock's own origin under `/stores/{store_hash}/`, answered from
 * the same store the storefront signs tokens from. Register it with `prefix: '/stores'`; it is
 * encapsulated, so its hooks, parsers and error shapes stay inside it. Every request, in order:
 *
 * - a `{store_hash}` that is not this store's is a `404`; a missing or unknown `X-Auth-Token`
 *   (an app's `access_token`), or an `X-Auth-Client` that is not that app's client id, a `401`;
 *   an `Accept` that excludes JSON a `406`: all before the body is read;
 * - faults on the route's `api-*` fault route apply (see `faults.ts`);
 * - errors take BigCommerce's shape of the route's version (V3 `{status, title, type, errors}`,
 *   V2 an array of `{status, message}`), each with the catalogue's `code`;
 * - it is recorded in the request log (never the token: headers are not recorded), and a request
 *   begun before a reset of the store changes nothing after it.
 */
export function managementPlugin(app: FastifyInstance, { store }: ManagementPluginOptions, done: (error?: Error) => void): void {
  app.decorateRequest('managementApp', undefined)
  app.decorateRequest('managementOutcome', undefined)
  app.decorateRequest('managementHint', undefined)
  app.decorateRequest('managementFault', undefined)
  app.decorateRequest('managementGeneration', undefined)
  // Declared by the logger, which names it in its request line.
  app.decorateRequest('customerId', undefined)

  // Client libraries send `Content-Type: application/json` on every call, DELETE included: an
  // empty body is no body; anything else is parsed as Fastify parses JSON.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, parsed) => {
    if (typeof body === 'string' && body.trim() === '') return parsed(null, undefined)
    void parseJson(request, body.toString(), parsed)
  })

  app.addHook('onRequest', (request, reply, next) => {
    request.managementGeneration = store.generation
    // Answers carry customers' details: no cache may keep them.
    reply.header('cache-control', 'no-store')
    rateLimitHeaders(reply, RATE_LIMIT.quota)
    next(authenticate(store, request))
  })
  app.addHook('preHandler', (request, reply, next) => {
    // Begun before a reset: end it unanswered, so it changes nothing in the fresh state.
    if (request.managementGeneration !== store.generation) {
      reply.hijack()
      reply.raw.destroy()
      request.raw.socket.destroy?.()
      return
    }
    request.customerId = request.routeOptions.config.managementCustomer?.(request)
    next()
  })
  installManagementFaults(app, store)

  app.setErrorHandler((error: FastifyError | MockError, request: FastifyRequest, reply: FastifyReply) => {
    const answer = asMockError(error)
    if (answer.statusCode >= 500) request.log.error({ err: error }, 'unexpected error')
    noteOutcome(request, answer.code, answer.message)
    return reply.code(answer.statusCode).send(apiErrorBody(versionOfUrl(request.url), answer))
  })
  app.setNotFoundHandler((request, reply) => {
    const error = ERRORS.apiNotFound(
      `No Management API route of this mock matches this ${request.method} request (docs/management-api.md lists the ones served).`,
    )
    noteOutcome(request, error.code, error.message)
    return reply.code(error.statusCode).send(apiErrorBody(versionOfUrl(request.url), error))
  })
  app.addHook('onResponse', (request, reply, next) => {
    recordManagementRequest(store, request, reply, reply.statusCode)
    next()
  })

  for (const register of RESOURCES) register(app, store)
  done()
}

/**
 * Check the request's store and credentials as BigCommerce's API gateway does: the store hash
 * in the path, then `X-Auth-Token` (an app's `access_token`) and, when sent, `X-Auth-Client`
 * (that app's client id), then `Accept`. Answers the refusal, or nothing (the app is noted on the
 * request). Neither header is ever repeated in an answer or a log line.
 */
function authenticate(store: Store, request: FastifyRequest): MockError | undefined {
  const hash = /^\/stores\/([^/?#]*)/.exec(request.url)?.[1] ?? ''
  let given = hash
  try {
    given = decodeURIComponent(hash)
  } catch {
    // A malformed escape is no store hash of this store either.
  }
  if (given !== store.storeHash) return ERRORS.apiUnknownStore(given, store.storeHash)
  const token = singleHeader(request.headers['x-auth-token'])
  if (token === undefined || token === '') return ERRORS.apiUnauthorized('missing')
  const app = store.appByAccessToken(token)
  if (!app) return ERRORS.apiUnauthorized('unknown')
  const client = singleHeader(request.headers['x-auth-client'])
  if (client !== undefined && client !== app.clientId) return ERRORS.apiUnauthorized('client')
  request.managementApp = app
  if (!acceptsJson(request.headers.accept)) return ERRORS.apiNotAcceptable()
  return undefined
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
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
