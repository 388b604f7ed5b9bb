import type { FastifyRequest } from 'fastify'
import { MAX_CLIENT_ID_LENGTH } from '../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The path carries a secret (a Customer Login token): logs and the request log keep this instead of it. */
    secretPath?: string
  }
}

/**
 * What of a URL logs and the request log keep, as the routes that read it know: the routes whose
 * URLs carry secrets supply them (the storefront's `STOREFRONT_URL_REDACTION`, in
 * `storefront-urls.ts`, which the server and the MSW handlers share), so this module knows no route.
 */
export interface UrlRedaction {
  /** Query parameters whose values are kept; every other value is `[redacted]`. */
  keptQueryParameters: ReadonlySet<string>
  /** The query parameter that names the app a request is for (`app_client_id`), if any. */
  clientIdParameter?: string
  /**
   * Paths that carry a secret, for requests no route matched (a matched route says so with its
   * `secretPath` config). Each is tested on the path as the router would decode it.
   */
  secretPaths: readonly SecretPath[]
}

/** A path that carries a secret (a Customer Login token), and what logs keep of it. */
interface SecretPath {
  /** Matches the decoded path: percent-escapes decoded, runs of slashes collapsed. */
  pattern: RegExp
  /** What logs and the request log keep instead of the path. */
  redacted: string
  /** The app the decoded path names (a token's `iss`, read unverified), only to label the log entry. */
  clientId?: (decodedPath: string) => string | undefined
}

/** Longest path (with query) kept, so one huge URL cannot hold much memory or flood a log line. */
const MAX_SAFE_PATH_LENGTH = 1024

/**
 * A request's URL as a log line or the request log may keep it: the path, with a secret path
 * redacted, and of the query only the parameters `rules` keep with their values. Redaction goes
 * by the route that matched (its `secretPath` config), and for requests no route matched, by the
 * path as the router would decode it (`/%6Cogin/token/...`, `//login/token/...`), never by the
 * literal text. Also answers the app the request was for: the `clientIdParameter`, or what a
 * secret path names.
 */
export function describeRequestUrl(
  request: Pick<FastifyRequest, 'url'> & { routeOptions?: { config?: { secretPath?: string } } },
  rules: UrlRedaction,
): DescribedUrl {
  return describeUrl(request.url, rules, request.routeOptions?.config?.secretPath)
}

/** What logs and the request log keep of a URL, and the app it was for. */
export interface DescribedUrl {
  readonly path: string
  readonly clientId: string | undefined
}

// The last URL described that holds no secret path, and by which rules: a client polling one
// route (the token route) sends the same URL again and again, and its log entry and log line
// both describe it. A URL with a secret path (a Customer Login token) is never kept here.
let last: { url: string; rules: UrlRedaction; described: DescribedUrl } | undefined

/** {@link describeRequestUrl} for a bare URL; `secretPath` is what a matched secret route logs instead of its path. */
export function describeUrl(url: string, rules: UrlRedaction, secretPath?: string): DescribedUrl {
  if (secretPath === undefined && last !== undefined && last.url === url && last.rules === rules) return last.described
  const queryStart = url.indexOf('?')
  const pathname = queryStart === -1 ? url : url.slice(0, queryStart)
  const decoded = decodedPath(pathname)
  const secret = secretPathOf(rules, decoded)
  let path = secretPath ?? secret?.redacted ?? pathname
  let clientId = secret?.clientId?.(decoded)
  if (queryStart !== -1) {
    const query = url.slice(queryStart + 1)
    // Each kept parameter, after an '&'.
    let kept = ''
    if (PLAIN_QUERY.test(query)) {
      // Nothing to decode and nothing to encode (`?app_client_id=...`, as clients send it): the pairs are the text.
      for (const pair of query.split('&')) {
        const equals = pair.indexOf('=')
        const name = pair.slice(0, equals)
        const value = pair.slice(equals + 1)
        kept += `&${name}=${rules.keptQueryParameters.has(name) ? value : '[redacted]'}`
        if (name === rules.clientIdParameter) clientId = value
      }
    } else {
      for (const [name, value] of new URLSearchParams(query)) {
        kept += `&${encodeURIComponent(name)}=${rules.keptQueryParameters.has(name) ? encodeURIComponent(value) : '[redacted]'}`
        if (name === rules.clientIdParameter) clientId = value
      }
    }
    if (kept !== '') path += `?${kept.slice(1)}`
  }
  if (path.length > MAX_SAFE_PATH_LENGTH) path = `${path.slice(0, MAX_SAFE_PATH_LENGTH)}...`
  // A longer one is no client id anyone could register (MAX_CLIENT_ID_LENGTH): not kept.
  const described = Object.freeze({
    path,
    clientId: clientId !== undefined && clientId.length <= MAX_CLIENT_ID_LENGTH ? clientId : undefined,
  })
  if (secretPath === undefined && secret === undefined) last = { url, rules, described }
  return described
}

// A query of `name=value` pairs in letters, digits and `_.~-` only: no percent-escape or `+` to
// decode, and nothing encodeURIComponent would change. Any other query goes through URLSearchParams.
const PLAIN_QUERY = /^[\w.~-]+=[\w.~-]*(?:&[\w.~-]+=[\w.~-]*)*$/

// The first secret path the decoded path is (a loop, not find(): no closure on every request).
function secretPathOf(rules: UrlRedaction, decoded: string): SecretPath | undefined {
  for (const rule of rules.secretPaths) if (rule.pattern.test(decoded)) return rule
  return undefined
}

// The path as routing sees it: percent-escapes decoded (when they decode) and runs of slashes
// collapsed, so no spelling of a path hides what it is.
function decodedPath(pathname: string): string {
  // Nothing to decode or collapse, as for nearly every request: skip the decode and the regex.
  if (!/[%\\]|\/\//.test(pathname)) return pathname
  let decoded = pathname
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    // A malformed escape: the router refuses it; judge the text as it is.
  }
  return decoded.replace(/[/\\]+/g, '/')
}
