import type { FastifyRequest } from 'fastify'
import { MAX_CLIENT_ID_LENGTH } from '../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The path carries a secret (a Customer Login token): logs and the request log keep only {@link SECRET_PATH}. */
    secretPath?: string
  }
}

/** Query parameters whose values logs and the request log keep; every other value is `[redacted]`. */
export const KEPT_QUERY_PARAMETERS: ReadonlySet<string> = new Set(['app_client_id', 'action'])
/** Longest path (with query) kept, so one huge URL cannot hold much memory or flood a log line. */
export const MAX_SAFE_PATH_LENGTH = 1024

/** How a Customer Login URL is written in logs. */
export const CUSTOMER_LOGIN_REDACTED = '/login/token/[redacted]'

/**
 * A request's URL as a log line or the request log may keep it: the path, with a secret path
 * (a Customer Login JWT) redacted, and of the query only {@link KEPT_QUERY_PARAMETERS} with
 * their values. Redaction goes by the route that matched (its `secretPath` config), and for
 * requests no route matched, by the path as the router would decode it (`/%6Cogin/token/...`,
 * `//login/token/...`), never by the literal text. Also answers the app the request was for:
 * `app_client_id`, or the `iss` of a Customer Login token.
 */
export function describeRequestUrl(request: Pick<FastifyRequest, 'url'> & { routeOptions?: { config?: { secretPath?: string } } }): { path: string; clientId: string | undefined } {
  return describeUrl(request.url, request.routeOptions?.config?.secretPath)
}

/** {@link describeRequestUrl} for a bare URL; `secretPath` is what a matched secret route logs instead of its path. */
export function describeUrl(url: string, secretPath?: string): { path: string; clientId: string | undefined } {
  const queryStart = url.indexOf('?')
  const pathname = queryStart === -1 ? url : url.slice(0, queryStart)
  const decoded = decodedPath(pathname)
  const customerLogin = /^\/login\/token(\/|$)/i.test(decoded)
  let path = secretPath ?? (customerLogin ? CUSTOMER_LOGIN_REDACTED : pathname)
  let clientId = customerLogin ? loginTokenIssuer(decoded) : undefined
  if (queryStart !== -1) {
    const kept: string[] = []
    for (const [name, value] of new URLSearchParams(url.slice(queryStart + 1))) {
      kept.push(`${encodeURIComponent(name)}=${KEPT_QUERY_PARAMETERS.has(name) ? encodeURIComponent(value) : '[redacted]'}`)
      if (name === 'app_client_id') clientId = value
    }
    if (kept.length > 0) path += `?${kept.join('&')}`
  }
  if (path.length > MAX_SAFE_PATH_LENGTH) path = `${path.slice(0, MAX_SAFE_PATH_LENGTH)}...`
  // A longer one is no client id anyone could register (MAX_CLIENT_ID_LENGTH): not kept.
  return { path, clientId: clientId !== undefined && clientId.length <= MAX_CLIENT_ID_LENGTH ? clientId : undefined }
}

// The path as routing sees it: percent-escapes decoded (when they decode) and runs of slashes
// collapsed, so no spelling of a path hides what it is.
function decodedPath(pathname: string): string {
  let decoded = pathname
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    // A malformed escape: the router refuses it; judge the text as it is.
  }
  return decoded.replace(/[/\\]+/g, '/')
}

// The `iss` of `/login/token/<jwt>`, read without verifying: it only labels the log entry.
function loginTokenIssuer(pathname: string): string | undefined {
  const payload = /^\/login\/token\/[^./]*\.([^./]+)\./i.exec(pathname)?.[1]
  if (!payload) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    const iss = typeof claims === 'object' && claims !== null ? (claims as { iss?: unknown }).iss : undefined
    return typeof iss === 'string' ? iss : undefined
  } catch {
    return undefined
  }
}
