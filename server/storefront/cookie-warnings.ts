import type { FastifyRequest } from 'fastify'
import { isIP } from 'node:net'
import { listed, MAX_ORIGIN_LENGTH, shortened } from '../errors.js'
import { bareHost } from '../http/bare-host.js'
import { pageOrigin } from './page-origin.js'
import { SESSION_COOKIE, sessionCookies, type CookiePolicy } from '../http/session-cookies.js'

/**
 * Why a browser will not send (or keep) the session cookies, or not let a page read the token:
 *
 * - `https_page`: a page on `https://` calls the plain-http mock; the browser counts scheme as
 *   part of the site, so the `SameSite=Lax` cookies stay behind;
 * - `cross_site`: a page on another site (`127.0.0.1` vs `localhost`, another domain) calls the
 *   plain-http mock; `Lax` cookies go only to same-site requests;
 * - `other_host`: a request arrives, without session cookies, at a host name other than the one
 *   the cookies were set on (cookies are kept per host name, whatever the port);
 * - `credentials_omitted`: a page on the same site but another origin (another port) calls the
 *   mock without the session cookies though they were set on this host: the call did not ask for
 *   them (`fetch` without `credentials: 'include'`, an `XMLHttpRequest` without `withCredentials`);
 * - `third_party_blocked`: over https, a page on another site calls the mock without the session
 *   cookies though they were set on this host: the browser blocks third-party cookies (or, as
 *   above, the call did not ask for them);
 * - `cors_not_listed`: a page on another origin fetches `/customer/current.jwt` and its origin is
 *   not a `--cors-origin`, so the browser blocks it from reading the answer.
 */
export type CookieWarningCause =
  'https_page' | 'cross_site' | 'other_host' | 'credentials_omitted' | 'third_party_blocked' | 'cors_not_listed'

/**
 * Warnings for requests a browser sends without the session cookies, or whose answer it will
 * hide from the page: each cause is logged at `warn` once per app, naming it and the flag that
 * fixes it, and every such request's entry in the request log carries it as its hint. A browser
 * never says why it dropped a cookie; this says it where the developer is already looking.
 */
export class CookieWarnings {
  readonly #https: boolean
  readonly #corsOrigins: ReadonlySet<string>
  // What was warned about, per cause: one cause's keys (an origin each, for cors_not_listed) can never crowd out another's.
  readonly #warned = new Map<CookieWarningCause, Set<string>>()
  // Where the session cookies were set: the cookie policy records it as it sets them.
  readonly #cookieHosts: ReadonlySet<string>

  /**
   * @param options.cookies - the cookie policy: its `secure` tells https from http, its `hostsSetOn` where cookies went.
   * @param options.corsOrigins - the `--cors-origin` list.
   */
  constructor(options: { cookies: CookiePolicy; corsOrigins: readonly string[] }) {
    this.#https = options.cookies.secure
    this.#cookieHosts = options.cookies.hostsSetOn
    this.#corsOrigins = new Set(options.corsOrigins)
  }

  /**
   * Check a request for the cookie causes; the storefront's endpoints' `onRequest` hook calls it
   * for every request. Cheap when there is nothing to see: no `Origin`, cookies sent (or none set yet).
   */
  checkRequest(request: FastifyRequest): void {
    if (request.headers.origin !== undefined || (this.#cookieHosts.size > 0 && request.cookies[SESSION_COOKIE] === undefined))
      this.#checkCookies(request)
  }

  /**
   * Check a request to the token route (its preflight included) for an origin the CORS list
   * lacks; `currentCustomerRoute`'s `onRequest` hook calls it for requests with an `Origin`.
   */
  checkCorsOrigin(request: FastifyRequest): void {
    const origin = pageOrigin(request)
    if (origin && origin.href !== ownOrigin(request, this.#https) && !this.#corsOrigins.has(origin.href)) {
      const page = shortened(origin.href, MAX_ORIGIN_LENGTH)
      this.#note(
        request,
        'cors_not_listed',
        `a page on ${page} fetched /customer/current.jwt, but that origin is not a --cors-origin (${listedCorsOrigins(this.#corsOrigins)}): the browser blocks the page from reading the answer (a CORS error in its console). Start the mock with --cors-origin ${page}`,
        page,
        // A preflight's refusal (BCMOCK_CORS_ORIGIN_NOT_LISTED) says the same in the request log.
        request.method !== 'OPTIONS',
      )
    }
  }

  #checkCookies(request: FastifyRequest): void {
    const origin = pageOrigin(request)
    const host = bareHost(request.hostname)
    // Request values as the messages name them: cut short, so no Host or Origin makes a warning or hint large.
    const page = origin ? shortened(origin.href, MAX_ORIGIN_LENGTH) : ''
    const shownHost = shortened(host, MAX_ORIGIN_LENGTH)
    if (origin && !this.#https) {
      if (origin.scheme === 'https') {
        this.#note(
          request,
          'https_page',
          `a page on ${page} called the mock over plain http: the browser counts the scheme as part of the site, so it does not send the SameSite=Lax session cookies and the customer looks signed out. Start the mock with --https (and --cors-origin ${page})`,
        )
      } else if (siteOf(origin.host) !== siteOf(host)) {
        this.#note(
          request,
          'cross_site',
          `a page on ${page} (another site than ${shownHost}) called the mock over plain http: browsers send SameSite=Lax cookies only to same-site requests, so the session cookies stayed behind. Serve the page from the same host name as the mock (${shownHost}, any port), or start the mock with --https --cors-origin ${page} for SameSite=None; Secure cookies`,
        )
      }
    }
    const withoutCookies = sessionCookies(request).sessionId === undefined
    // Same site and scheme, another origin (port): the browser would send the cookies, had the call asked for them.
    if (
      origin &&
      withoutCookies &&
      this.#cookieHosts.has(host) &&
      origin.scheme === (this.#https ? 'https' : 'http') &&
      siteOf(origin.host) === siteOf(host) &&
      origin.href !== ownOrigin(request, this.#https)
    ) {
      this.#note(
        request,
        'credentials_omitted',
        `a page on ${page} (the same site, another origin) called the mock without the session cookies, though they were set on ${shownHost}: a cross-origin call sends cookies only when it asks to, so the customer looks signed out. Call fetch(url, { credentials: 'include' }) (XMLHttpRequest: xhr.withCredentials = true; axios: withCredentials: true)`,
      )
    }
    if (
      origin &&
      this.#https &&
      withoutCookies &&
      this.#cookieHosts.has(host) &&
      (origin.scheme !== 'https' || siteOf(origin.host) !== siteOf(host))
    ) {
      this.#note(
        request,
        'third_party_blocked',
        `a page on ${page} (another site) called the mock without the session cookies, though they were set on ${shownHost} as SameSite=None; Secure: the browser blocks third-party cookies (Safari, Firefox's strict mode, Chrome in incognito or with the setting on), or the call did not ask for them (fetch needs credentials: 'include'). Serve the page from the mock's site (${shownHost}, any port), or allow third-party cookies for ${shownHost} in the browser`,
      )
    }
    if (this.#cookieHosts.size > 0 && !this.#cookieHosts.has(host) && withoutCookies) {
      const hosts = listed(this.#cookieHosts)
      this.#note(
        request,
        'other_host',
        `a request came to host ${shownHost} without session cookies, but they were set on ${hosts}: browsers keep cookies per host name, so a customer signed in there is signed out here. Use one host name throughout (the banner's URL, which --host sets), or sign in again on ${shownHost}`,
      )
    }
  }

  // The hint goes on every such request's log entry; the warn line once per cause (per origin for CORS).
  #note(request: FastifyRequest, cause: CookieWarningCause, message: string, origin?: string, hint = true): void {
    if (hint) request.storefrontHint ??= `${cause}: ${message}`
    let warned = this.#warned.get(cause)
    if (warned === undefined) this.#warned.set(cause, (warned = new Set()))
    const key = origin ?? ''
    if (warned.has(key)) return
    // Bounded, the oldest forgotten first: a page cycling through origins costs a line each, never the next one's warning.
    if (warned.size >= WARNED_PER_CAUSE) warned.delete(warned.values().next().value as string)
    warned.add(key)
    request.log.warn({ cause }, `cookies: ${message}`)
  }
}

/** How many origins one cause remembers having warned about (only `cors_not_listed` warns per origin). */
const WARNED_PER_CAUSE = 64

// The origin the request was sent to: a page there is same-origin and needs no CORS.
function ownOrigin(request: FastifyRequest, https: boolean): string {
  return `${https ? 'https' : 'http'}://${request.host}`
}

/**
 * The site a host belongs to, as SameSite sees it: an IP address or a one-label name (`localhost`)
 * is its own site; a domain name is taken by its last two labels. That misses public suffixes
 * such as `co.uk`, which a local mock's hosts rarely are.
 */
function siteOf(host: string): string {
  if (isIP(host) !== 0 || !host.includes('.')) return host
  return host.split('.').slice(-2).join('.')
}

/** The `--cors-origin` list as the CORS messages (the preflight refusal's and these warnings') name it. */
export function listedCorsOrigins(origins: Iterable<string>): string {
  const all = [...origins]
  return all.length > 0 ? `the listed ones are ${listed(all)}` : 'none is listed'
}
