/**
 * How the mock writes a request's URL wherever it keeps or prints one (the request log, log
 * lines, error bodies): never a credential. One place, so every sink redacts alike.
 */

/** Query parameters whose values the request log keeps; every other value is replaced. */
const KEPT_QUERY_PARAMETERS = new Set(['app_client_id', 'action'])
/** Longest path (with query) the log keeps, so one huge URL cannot hold much memory. */
const MAX_PATH_LENGTH = 1024
/** Longest client id the log keeps; longer ones are not client ids anyone registered. */
const MAX_CLIENT_ID_LENGTH = 200

/** Hide the JWT of a Customer Login URL (`/login/token/<jwt>`). */
export function redactUrl(url: string): string {
  return url.replace(/^\/login\/token\/[^?]*/, '/login/token/[redacted]')
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
