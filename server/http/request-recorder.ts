import { fastifyCookie } from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { MockState } from '../state.js'
import { redactUrl } from './logger.js'
import { SESSION_COOKIE, SHOP_TOKEN_COOKIE } from './session-cookies.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks the `/__mock` control API's routes: they are not storefront traffic and are never recorded. */
    controlApi?: boolean
  }
}

/** Query parameters whose values the request log keeps; every other value is replaced. */
const KEPT_QUERY_PARAMETERS = new Set(['app_client_id', 'action'])
/** Longest path (with query) the log keeps, so one huge URL cannot hold much memory. */
const MAX_PATH_LENGTH = 1024
/** Longest client id the log keeps; longer ones are not client ids anyone registered. */
const MAX_CLIENT_ID_LENGTH = 200

/**
 * Record every storefront request in `state.requests`: when it arrived (mock clock), method,
 * a safe path, status, the customer it came from and the app it was for. Cookies, tokens,
 * secrets and headers are never stored; control API calls and front-end files are not recorded.
 */
export function installRequestRecorder(app: FastifyInstance, state: MockState): void {
  const arrivals = new WeakMap<FastifyRequest, { atMs: number; customerId: number | undefined }>()

  // The customer is read on arrival: after a sign-out the session is gone.
  app.addHook('onRequest', (request, _reply, done) => {
    // Control calls and the front end's own files (proxied or static) are not storefront traffic.
    if (request.routeOptions.config?.controlApi || request.routeOptions.config?.frontEnd) return done()
    const cookies = request.headers.cookie?.includes(SESSION_COOKIE) ? fastifyCookie.parse(request.headers.cookie) : undefined
    const customerId = cookies?.[SESSION_COOKIE] ? sessionCustomer(state, cookies[SESSION_COOKIE], cookies[SHOP_TOKEN_COOKIE] ?? '') : undefined
    arrivals.set(request, { atMs: state.clock.nowMs(), customerId })
    done()
  })

  app.addHook('onResponse', (request, reply, done) => {
    const arrival = arrivals.get(request)
    if (!arrival) return done()
    // A sign-in answers with the new session's cookie: the request signed that customer in.
    const newSessionId = setCookieValue(reply.getHeader('set-cookie'), SESSION_COOKIE)
    const customerId = newSessionId ? (sessionCustomer(state, newSessionId) ?? arrival.customerId) : arrival.customerId
    const { path, clientId } = describeUrl(request.url)
    state.requests.record({
      atMs: arrival.atMs,
      method: request.method,
      path,
      status: reply.statusCode,
      customerId,
      clientId,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    })
    done()
  })
}

/**
 * A URL as the log may keep it: a Customer Login JWT in the path becomes `[redacted]`, and of
 * the query only `app_client_id` and `action` keep their values. Also answers the app the
 * request was for: `app_client_id`, or the `iss` of a Customer Login token.
 */
export function describeUrl(url: string): { path: string; clientId: string | undefined } {
  const queryStart = url.indexOf('?')
  const pathname = queryStart === -1 ? url : url.slice(0, queryStart)
  let path = redactUrl(pathname)
  let clientId = loginTokenIssuer(pathname)
  if (queryStart !== -1) {
    const kept: string[] = []
    for (const [name, value] of new URLSearchParams(url.slice(queryStart + 1))) {
      kept.push(`${encodeURIComponent(name)}=${KEPT_QUERY_PARAMETERS.has(name) ? encodeURIComponent(value) : '[redacted]'}`)
      if (name === 'app_client_id') clientId = value
    }
    if (kept.length > 0) path += `?${kept.join('&')}`
  }
  if (path.length > MAX_PATH_LENGTH) path = `${path.slice(0, MAX_PATH_LENGTH)}...`
  return { path, clientId: clientId !== undefined && clientId.length <= MAX_CLIENT_ID_LENGTH ? clientId : undefined }
}

// The `iss` of `/login/token/<jwt>`, read without verifying: it only labels the log entry.
function loginTokenIssuer(pathname: string): string | undefined {
  const payload = /^\/login\/token\/[^./]*\.([^./]+)\./.exec(pathname)?.[1]
  if (!payload) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    const iss = typeof claims === 'object' && claims !== null ? (claims as { iss?: unknown }).iss : undefined
    return typeof iss === 'string' ? iss : undefined
  } catch {
    return undefined
  }
}

// The customer of a live session, read with `peek`: `resume` would count the look-up as use
// and keep idle sessions alive. Only a label, not an access decision.
function sessionCustomer(state: MockState, sessionId: string, shopToken?: string): number | undefined {
  const session = state.sessions.peek(sessionId, state.clock.nowMs())
  if (!session || (shopToken !== undefined && session.shopToken !== shopToken)) return undefined
  return state.customers.get(session.customerId) ? session.customerId : undefined
}

// The value a `Set-Cookie` header gives a cookie; undefined when not set, '' when cleared.
function setCookieValue(header: string | number | string[] | undefined, name: string): string | undefined {
  const lines = Array.isArray(header) ? header : typeof header === 'string' ? [header] : []
  for (const line of lines) {
    if (!line.startsWith(`${name}=`)) continue
    const value = line.slice(name.length + 1).split(';')[0] ?? ''
    try {
      return decodeURIComponent(value)
    } catch {
      return value
    }
  }
  return undefined
}
