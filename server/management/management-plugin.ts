import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Store } from '../domain/store.js'
import type { MockError } from '../errors.js'
import { asMockError } from '../http/error-handler.js'
import { apiErrorBody, versionOfUrl } from '../management-api/error-bodies.js'
import { ANSWER_HEADERS, authenticate, noRoute, OPERATIONS } from '../management-api/gateway.js'
import type { ApiNotes, ApiRequest, Operation } from '../management-api/operation.js'
import { installManagementFaults } from './faults.js'
import { recordManagementRequest } from './request-recorder.js'
import { noteHint, noteOutcome } from './request-state.js'

export { MANAGEMENT_PREFIX } from '../management-api/gateway.js'

/** Options of {@link managementPlugin}. */
export interface ManagementPluginOptions {
  store: Store
}

/**
 * The slice of BigCommerce's Management API an app backend calls (customers, their attributes,
 * customer groups, orders), on the mock's own origin under `/stores/{store_hash}/`, answered from
 * the same store the storefront signs tokens from: the operations of `server/management-api/`
 * as Fastify routes (the MSW handlers adapt the same operations). Register it with `prefix: '/stores'`; it is
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
  app.decorateRequest('managementApiRequest', undefined)
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
    void reply.headers(ANSWER_HEADERS)
    const { app: client, error } = authenticate(store, request.url, (name) => singleHeader(request.headers[name]))
    request.managementApp = client
    next(error)
  })
  app.addHook('preHandler', (request, reply, next) => {
    // Begun before a reset: end it unanswered, so it changes nothing in the fresh state.
    if (request.managementGeneration !== store.generation) {
      reply.hijack()
      reply.raw.destroy()
      request.raw.socket.destroy?.()
      return
    }
    const apiRequest: ApiRequest = {
      params: request.params as Record<string, string>,
      query: request.query as Record<string, string | string[]>,
      body: request.body,
      base: `${request.protocol}://${request.host}/stores/${store.storeHash}`,
    }
    request.managementApiRequest = apiRequest
    request.customerId = request.routeOptions.config.managementCustomer?.(apiRequest)
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
    const error = noRoute(request.method)
    noteOutcome(request, error.code, error.message)
    return reply.code(error.statusCode).send(apiErrorBody(versionOfUrl(request.url), error))
  })
  app.addHook('onResponse', (request, reply, next) => {
    recordManagementRequest(store, request, reply, reply.statusCode)
    next()
  })

  for (const operation of OPERATIONS) route(app, store, operation)
  done()
}

/** Serve one operation as a route under the plugin's prefix, its answer the operation's. */
function route(app: FastifyInstance, store: Store, operation: Operation): void {
  const { customer } = operation
  app.route({
    method: operation.method,
    url: `/:store_hash${operation.path}`,
    config: {
      managementFaultRoute: operation.faultRoute,
      ...(customer && { managementCustomer: (request: ApiRequest) => customer(request, store) }),
    },
    handler: async (request, reply) => {
      const notes: ApiNotes = {
        get customerId() {
          return request.customerId
        },
        set customerId(id) {
          request.customerId = id
        },
        hint: (text) => noteHint(request, text),
        log: (fields, message) => request.log.info(fields, message),
      }
      const answer = operation.answer(store, request.managementApiRequest as ApiRequest, notes)
      return reply.code(answer.status).send(answer.body)
    },
  })
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
