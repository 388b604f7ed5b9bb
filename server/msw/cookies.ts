import type { SessionCookieValues } from '../domain/store.js'
import { SESSION_COOKIE, SHOP_TOKEN_COOKIE, type CookiePolicy } from '../http/session-cookies.js'

/** The cookies of a `Cookie` request header, by name (the first of a repeated name, as the server reads it). */
export function readCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=')
    if (equals === -1) continue
    const name = part.slice(0, equals).trim()
    if (name === '' || cookies.has(name)) continue
    let value = part.slice(equals + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    try {
      value = decodeURIComponent(value)
    } catch {
      // Kept as sent, as the server's cookie parser does.
    }
    cookies.set(name, value)
  }
  return cookies
}

/** The session cookie pair a request carries: both, or none (a lone one is left out: see `PageSession`). */
export function sessionPair(cookies: Map<string, string>): SessionCookieValues | undefined {
  const sessionId = cookies.get(SESSION_COOKIE)
  const shopToken = cookies.get(SHOP_TOKEN_COOKIE)
  return sessionId !== undefined && shopToken !== undefined ? { sessionId, shopToken } : undefined
}

/**
 * A `Set-Cookie` line with the attributes the server's cookie plugin writes (in its order), so
 * an answer of the handlers carries the cookies the server's would. `maxAge` 0 clears a cookie.
 */
export function setCookieLine(name: string, value: string, options: CookiePolicy['session']): string {
  const parts = [`${name}=${encodeURIComponent(value)}`]
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAge)}`)
  if (options.path !== undefined) parts.push(`Path=${options.path}`)
  if (options.maxAge === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT')
  if (options.httpOnly) parts.push('HttpOnly')
  if (options.secure) parts.push('Secure')
  if (typeof options.sameSite === 'string') parts.push(`SameSite=${options.sameSite[0]?.toUpperCase()}${options.sameSite.slice(1)}`)
  return parts.join('; ')
}
