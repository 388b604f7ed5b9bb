import type { CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { bareHost } from './bare-host.js'

/** What the two session cookies carry: a session's id and its second token (the store's `Session` has both). */
export interface SessionTokens {
  id: string
  shopToken: string
}

/** The session id cookie, named as on a real BigCommerce storefront. */
export const SESSION_COOKIE = 'SHOP_SESSION_TOKEN'
/** The second session cookie; it must come back with the session id. */
export const SHOP_TOKEN_COOKIE = 'SHOP_TOKEN'

/**
 * The flash cookie that carries a sign-in error from a redirect to the login page.
 *
 * A cookie rather than a query parameter so the redirect is to plain `/login.php`, as on a real
 * storefront, and the message shows once: `/login.php` clears it when it renders it. The cookie
 * holds a code, never text: only messages the mock knows can appear, so a crafted cookie cannot
 * inject content into the page.
 */
export const LOGIN_FLASH_COOKIE = 'BCMOCK_LOGIN_FLASH'

/**
 * The flash cookie's attributes: scoped to the login page and short-lived, so a flash that is
 * never shown dies within a minute (`Secure` added over https by the cookie policy).
 */
export const LOGIN_FLASH_OPTIONS: CookieSerializeOptions = { httpOnly: true, sameSite: 'lax', path: '/login.php', maxAge: 60 }

/**
 * The attributes of every cookie the mock sets, decided once by the scheme it serves:
 *
 * - over https (`--https`), as a real store sets them: session cookies `Secure; SameSite=None;
 *   HttpOnly; Path=/`, so they also reach the storefront from an app's page on another site,
 *   and every other cookie `Secure` too;
 * - over plain http, `HttpOnly; SameSite=Lax; Path=/`: browsers refuse `SameSite=None` without
 *   `Secure`, and refuse `Secure` cookies from an http origin other than `localhost`, so
 *   production's attributes would lose the session; `Lax` keeps it for same-site pages (any port
 *   of the same host) and top-level navigation.
 */
export class CookiePolicy {
  /** `SHOP_SESSION_TOKEN` and `SHOP_TOKEN`'s attributes. */
  readonly session: CookieSerializeOptions
  /**
   * The host names (no port, lower case) session cookies were set on, the most recent
   * {@link REMEMBERED_HOSTS}: a browser keeps cookies per host name, so a request to another
   * one arrives without them (see `storefront/cookie-warnings.ts`). Only hosts the mock answers get here
   * (on a loopback listener, see `HostPolicy`); the oldest is forgotten first, so sign-ins on
   * many names cannot keep the one in use out.
   */
  readonly hostsSetOn = new Set<string>()

  /** @param secure - true over https. */
  constructor(readonly secure: boolean) {
    this.session = secure ? { httpOnly: true, secure: true, sameSite: 'none', path: '/' } : { httpOnly: true, sameSite: 'lax', path: '/' }
  }

  /** Another cookie's attributes, `Secure` added over https. */
  attributes(options: CookieSerializeOptions): CookieSerializeOptions {
    return this.secure ? { ...options, secure: true } : options
  }

  /** Set both session cookies on a reply. */
  setSession(reply: FastifyReply, session: SessionTokens): FastifyReply {
    this.#remember(bareHost(reply.request.hostname))
    return reply.setCookie(SESSION_COOKIE, session.id, this.session).setCookie(SHOP_TOKEN_COOKIE, session.shopToken, this.session)
  }

  // Most recent last: a sign-in on a known host moves it to the end. A request without a Host (HTTP/1.0) names none.
  #remember(host: string): void {
    if (host === '') return
    this.hostsSetOn.delete(host)
    if (this.hostsSetOn.size >= REMEMBERED_HOSTS) this.hostsSetOn.delete(this.hostsSetOn.values().next().value as string)
    this.hostsSetOn.add(host)
  }

  /** Expire both session cookies. */
  clearSession(reply: FastifyReply): FastifyReply {
    return reply.clearCookie(SESSION_COOKIE, this.session).clearCookie(SHOP_TOKEN_COOKIE, this.session)
  }
}

/** How many host names {@link CookiePolicy.hostsSetOn} keeps (a developer uses one or two). */
const REMEMBERED_HOSTS = 16

/** The two session cookie values a request carries, if any. */
export function sessionCookies(request: FastifyRequest): { sessionId: string | undefined; shopToken: string | undefined } {
  return { sessionId: request.cookies[SESSION_COOKIE], shopToken: request.cookies[SHOP_TOKEN_COOKIE] }
}

/** A `Cookie` request header value for a session, for clients without a cookie jar. */
export function cookieHeader(session: SessionTokens): string {
  return `${SESSION_COOKIE}=${session.id}; ${SHOP_TOKEN_COOKIE}=${session.shopToken}`
}
