import { http, HttpResponse, type HttpHandler } from 'msw'
import { DEFAULT_FAULT_STATUS, FAULT_HEADER, faultHeaderValue, TRANSPORT_EFFECTS } from '../domain/rules/fault-rules.js'
import type { Store } from '../domain/store.js'
import { ERRORS } from '../errors.js'
import { asMockError } from '../http/error-handler.js'
import { BODY_LIMIT_BYTES } from '../http/limits.js'
import { apiErrorBody, versionOfUrl } from '../management-api/error-bodies.js'
import {
  ANSWER_HEADERS,
  authenticate,
  BIGCOMMERCE_API_ORIGIN,
  MANAGEMENT_PREFIX,
  noRoute,
  OPERATIONS,
  RATE_LIMITED_HEADERS,
  recordManagementRequest,
  type ManagementExchange,
} from '../management-api/gateway.js'
import type { ApiAnswer, ApiNotes, ApiRequest, Operation } from '../management-api/operation.js'
import { holdForFault } from './held-request.js'
import { queryObject } from './messages.js'

/** How a request that gets no answer ends: the client sees a network error, as when the server drops the connection. */
const UNANSWERED = Symbol('unanswered')

/**
 * The Management API's routes as MSW request handlers, on `https://api.bigcommerce.com` (what
 * app code calls) and on the storefront's origin (any origin when `origin` is undefined), under
 * `/stores/{store_hash}/`: the operations of `server/management-api/` the server's plugin
 * serves, with the same token check, faults, request log and answers. A request under
 * `/stores/{store_hash}/v2/` or `/v3/` that no operation serves gets the server's `404`.
 */
export function managementHandlers(store: Store, origin: string | undefined): HttpHandler[] {
  const prefixes = origin === undefined ? ['*'] : [...new Set([origin, BIGCOMMERCE_API_ORIGIN])]
  return prefixes.flatMap((prefix) => {
    const at = (path: string) => `${prefix}${MANAGEMENT_PREFIX}/:store_hash${path}`
    return [
      ...OPERATIONS.map((operation) =>
        http[lower(operation.method)](at(operation.path), ({ request, params }) => serve(store, request, params, operation)),
      ),
      // Only BigCommerce's API paths: an app's own `/stores/...` routes stay the app's.
      http.all(at('/v2/*'), ({ request, params }) => serve(store, request, params, undefined)),
      http.all(at('/v3/*'), ({ request, params }) => serve(store, request, params, undefined)),
    ]
  })
}

function lower(method: Operation['method']): 'get' | 'post' | 'put' | 'delete' {
  return method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'
}

/**
 * One request, in the order the server's plugin takes it: the store hash, token and `Accept`;
 * the body; the operation's customer; a fault on its route; the answer; the request log.
 */
async function serve(
  store: Store,
  request: Request,
  params: Readonly<Record<string, string | readonly string[] | undefined>>,
  operation: Operation | undefined,
): Promise<Response> {
  const startedAt = performance.now()
  const url = new URL(request.url)
  const exchange: ManagementExchange = {
    method: request.method,
    url: url.pathname + url.search,
    customerId: undefined,
    app: undefined,
    durationMs: 0,
    fault: undefined,
    outcome: undefined,
    hint: undefined,
    generation: store.generation,
  }
  const version = versionOfUrl(url.pathname)
  const headers = new Headers(ANSWER_HEADERS)
  let answer: ApiAnswer | typeof UNANSWERED
  try {
    const { app, error } = authenticate(store, url.pathname, (name) => request.headers.get(name) ?? undefined)
    exchange.app = app
    if (error) throw error
    if (!operation) throw noRoute(request.method)
    const apiRequest: ApiRequest = {
      params: Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : undefined])),
      query: queryObject(url),
      body: await readBody(request),
      base: `${url.origin}${MANAGEMENT_PREFIX}/${store.storeHash}`,
    }
    answer =
      store.generation === exchange.generation ? await run(store, operation, apiRequest, request.signal, exchange, headers) : UNANSWERED
  } catch (error) {
    const mock = asMockError(error as Parameters<typeof asMockError>[0])
    exchange.outcome = mock.code
    exchange.hint = mock.message
    answer = { status: mock.statusCode, body: apiErrorBody(version, mock) }
  }
  exchange.durationMs = performance.now() - startedAt
  if (answer === UNANSWERED) {
    recordManagementRequest(store, exchange, 0)
    return HttpResponse.error()
  }
  if (exchange.fault) headers.set(FAULT_HEADER, faultHeaderValue(exchange.fault))
  recordManagementRequest(store, exchange, answer.status)
  if (answer.body === undefined) return new HttpResponse(null, { status: answer.status, headers })
  headers.set('content-type', 'application/json; charset=utf-8')
  return new HttpResponse(JSON.stringify(answer.body), { status: answer.status, headers })
}

/** The operation's answer, after a fault on its route has had its effect. */
async function run(
  store: Store,
  operation: Operation,
  apiRequest: ApiRequest,
  signal: AbortSignal,
  exchange: ManagementExchange,
  headers: Headers,
): Promise<ApiAnswer | typeof UNANSWERED> {
  exchange.customerId = operation.customer?.(apiRequest, store)
  const route = operation.faultRoute
  const fault = store.hasFault(route)
    ? store.takeFault(route, { clientId: exchange.app?.clientId, customerId: exchange.customerId })
    : undefined
  exchange.fault = fault
  if (fault && TRANSPORT_EFFECTS.has(fault.effect)) {
    if (fault.effect === 'status') {
      const status = fault.status ?? DEFAULT_FAULT_STATUS
      if (status === 429) for (const [name, value] of Object.entries(RATE_LIMITED_HEADERS)) headers.set(name, value)
      return { status, body: apiErrorBody(versionOfUrl(exchange.url), ERRORS.injectedFault(fault.id, route), status) }
    }
    if (fault.effect === 'reset' || !(await holdForFault(store, fault, signal, exchange.generation ?? store.generation))) return UNANSWERED
  }
  const notes: ApiNotes = {
    customerId: exchange.customerId,
    hint: (text) => {
      exchange.hint = exchange.hint === undefined ? text : `${exchange.hint} ${text}`
    },
    // No logger under MSW: the request log holds what a log line would.
    log: () => undefined,
  }
  try {
    return operation.answer(store, apiRequest, notes)
  } finally {
    exchange.customerId = notes.customerId
  }
}

/**
 * The body as the server's parsers read it: none for `GET`; an empty one is none; JSON (of
 * `application/json`, without `__proto__` or `constructor.prototype` keys, as Fastify refuses
 * them) or text (`text/plain`); any other type, or a body without one, the server's `415`; over
 * the server's limit its `413`.
 */
async function readBody(request: Request): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined
  const text = await request.text()
  if (new TextEncoder().encode(text).byteLength > BODY_LIMIT_BYTES) throw ERRORS.bodyTooLarge(BODY_LIMIT_BYTES)
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type === 'application/json') {
    if (text.trim() === '') return undefined
    try {
      return JSON.parse(text, (key, value: unknown) => {
        if (key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value))
          throw new SyntaxError('forbidden prototype property')
        return value
      })
    } catch {
      throw ERRORS.invalidJson('it does not parse (the text is not shown: it may hold a secret)')
    }
  }
  if (text === '') return undefined
  if (type === 'text/plain') return text
  throw ERRORS.unsupportedMediaType()
}
