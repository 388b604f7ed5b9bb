import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Session } from '../domain/session-store.js'
import type { CookieSerializeOptions } from '@fastify/cookie'

/** The session id cookie, named as on a real BigCommerce storefront. */
export const SESSION_COOKIE = 'SHOP_SESSION_TOKEN'
/** The second session cookie; it must come back with the session id. */
export const SHOP_TOKEN_COOKIE = 'SHOP_TOKEN'

// Production adds `Secure; SameSite=None`; over plain http on localhost a browser would drop
// such cookies, so the mock uses Lax.
const COOKIE_OPTIONS: CookieSerializeOptions = { httpOnly: true, sameSite: 'lax', path: '/' }

/** The two session cookie values a request carries, if any. */
export function sessionCookies(request: FastifyRequest): { sessionId: string | undefined; shopToken: string | undefined } {
  return { sessionId: request.cookies[SESSION_COOKIE], shopToken: request.cookies[SHOP_TOKEN_COOKIE] }
}

/** Set both session cookies on a reply. */
export function setSessionCookies(reply: FastifyReply, session: Session): FastifyReply {
  return reply.setCookie(SESSION_COOKIE, session.id, COOKIE_OPTIONS).setCookie(SHOP_TOKEN_COOKIE, session.shopToken, COOKIE_OPTIONS)
}

/** Expire both session cookies. */
export function clearSessionCookies(reply: FastifyReply): FastifyReply {
  return reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS).clearCookie(SHOP_TOKEN_COOKIE, COOKIE_OPTIONS)
}

/** A `Cookie` request header value for a session, for clients without a cookie jar. */
export function cookieHeader(session: Session): string {
  return `${SESSION_COOKIE}=${session.id}; ${SHOP_TOKEN_COOKIE}=${session.shopToken}`
}
