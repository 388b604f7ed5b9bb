import { isIP, isIPv4, isIPv6 } from 'node:net'
import type { FastifyRequest } from 'fastify'
import { ERRORS, MAX_ORIGIN_LENGTH, shortened, type MockError } from '../errors.js'
import { bareHost } from './bare-host.js'

/**
 * Whether a host only reaches this machine: `localhost` and every `*.localhost` name (RFC 6761
 * reserves them for loopback; no one can point them elsewhere in public DNS), 127.0.0.0/8,
 * `::1` and IPv4-mapped 127.x, in any spelling (bracketed, upper case, `0:0:0:0:0:0:0:1`,
 * `::ffff:127.0.0.1`). `0.0.0.0`, `::` and every other address are not.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = bareHost(host)
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (isIPv4(bare)) return bare.startsWith('127.')
  if (!isIPv6(bare)) return false
  // The URL parser writes each IPv6 address one way: `::1`, and `::ffff:7f00:1` for `::ffff:127.0.0.1`.
  const canonical = urlHostname(`[${bare}]`)
  return canonical === '[::1]' || (canonical !== undefined && /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical))
}

// `Host` is uri-host [":" port] (RFC 9110 section 7.2), as a browser writes it: a bracketed IPv6
// address, or a name or IPv4 address in ASCII letters, digits, '-', '.' and '_' (an international
// name goes as punycode). Anything else (userinfo, a path, percent-escapes, spaces) is no browser's.
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::[0-9]*)?$/i

/**
 * The host name a `Host` header (or the authority of an `Origin`) names, as the policy compares
 * it: read as a browser's URL parser reads it, so lower case, an IPv4 address in dotted decimal
 * (`0x7f.1`, `2130706433` and `127.1` are `127.0.0.1`), an IPv6 address shortest and without
 * brackets; one trailing dot dropped (`localhost.` is `localhost`). Undefined when it is not a
 * well-formed host.
 */
function hostHeaderName(value: string): string | undefined {
  const host = HOST_HEADER.exec(value)?.[1]
  return host === undefined ? undefined : canonicalName(host)
}

/**
 * An `--allowed-host` value read and checked: a name or address, lower case, in punycode, without
 * brackets or a trailing dot; a leading dot kept (`.example.test`: it and every name under it).
 * Answers the problem, in words for the flag's error, when it is not one.
 */
export function readAllowedHost(value: string): { host: string } | { problem: string } {
  const expected =
    'a host name or address the mock is opened at, such as mystore.test (or .example.test for it and every name under it), without scheme or port'
  const trimmed = value.trim()
  if (trimmed === '' || /\s/.test(trimmed)) return { problem: expected }
  if (trimmed.includes('*'))
    return { problem: `${expected}; write a wildcard with a leading dot: .example.test allows example.test and every name under it` }
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(trimmed)
  if (scheme) return { problem: `${expected}: drop the scheme${schemeless(trimmed)}` }
  if (/[/?#@\\%]/.test(trimmed)) return { problem: `${expected}: a name alone, no path, query or user` }
  const under = trimmed.startsWith('.')
  const rest = under ? trimmed.slice(1) : trimmed
  // One colon, or a bracketed address and a colon: a port (an IPv6 address has two or more, unbracketed).
  const port = /^(\[[^\]]*\]|[^:]*):\d*$/.exec(rest)
  if (port) return { problem: `${expected}: drop the port, every port of an allowed name is allowed: write ${under ? '.' : ''}${port[1]}` }
  const name = canonicalName(isIPv6(rest) ? `[${rest}]` : rest)
  if (name === undefined || name === '' || name.startsWith('.') || name.includes('..')) return { problem: expected }
  if (under && isIP(name) !== 0) return { problem: `${expected}: a leading dot takes a domain name, not an address` }
  return { host: under ? `.${name}` : name }
}

// ", write NAME" for a URL given where a name was expected; '' when it has none.
function schemeless(url: string): string {
  try {
    const name = bareHost(new URL(url).hostname)
    return name === '' ? '' : `, write ${name}`
  } catch {
    return ''
  }
}

// The WHATWG URL parser's reading of a host, as a browser's: undefined when it refuses it.
function urlHostname(host: string): string | undefined {
  try {
    const url = new URL(`http://${host}`)
    return url.host === url.hostname && url.pathname === '/' && url.username === '' ? url.hostname : undefined
  } catch {
    return undefined
  }
}

function canonicalName(host: string): string | undefined {
  const name = urlHostname(host)
  return name === undefined ? undefined : bareHost(name).replace(/\.$/, '')
}

/**
 * A name allowed besides loopback: exactly `name`; with `under`, also every name under it
 * (`--allowed-host .example.test`, as Vite's `server.allowedHosts` reads it); with `oneLabel`,
 * only the names one label under it (a certificate's `*.example.test`, as TLS matches it).
 */
interface HostRule {
  name: string
  match: 'exact' | 'under' | 'oneLabel'
}

function matches(host: string, rule: HostRule): boolean {
  if (host === rule.name) return rule.match !== 'oneLabel'
  if (rule.match === 'exact' || isIP(host) !== 0 || !host.endsWith(`.${rule.name}`)) return false
  return rule.match === 'under' || !host.slice(0, -rule.name.length - 1).includes('.')
}

/**
 * Which hosts the mock answers, decided once from the options. A loopback listener is reachable
 * from any web page the developer opens: a page on `evil.example` whose DNS name is rebound to
 * 127.0.0.1 becomes same-origin with the mock and could read the demo accounts, sign in and read
 * tokens signed with the fixtures' secrets. The browser still sends that page's name as `Host`,
 * so a loopback listener answers only requests whose `Host` is loopback (`localhost`,
 * `*.localhost`, 127.x, `::1`), a name allowed with `--allowed-host`, or a name the `--https`
 * certificate is for; anything else gets `403` before any route runs. A request without a `Host`
 * (HTTP/1.0) names nothing a page could have rebound: every browser sends the URL's host.
 *
 * A listener on any other address (`--host 0.0.0.0`) answers every `Host`, as before: it is
 * reachable by name from the network, under names the mock cannot know.
 */
export class HostPolicy {
  readonly #rules: readonly HostRule[]

  private constructor(
    /** The mock listens on a loopback address, so the rule applies. */
    readonly loopbackOnly: boolean,
    rules: HostRule[],
  ) {
    this.#rules = rules
  }

  /**
   * @param options.host - the address listened on.
   * @param options.allowedHosts - `--allowed-host` values, each read by {@link readAllowedHost}.
   * @param options.certificateNames - the names and addresses the `--https` certificate is for.
   */
  static from(options: { host: string; allowedHosts: readonly string[]; certificateNames: readonly string[] }): HostPolicy {
    const rules: HostRule[] = options.allowedHosts.map((host) =>
      host.startsWith('.') ? { name: host.slice(1), match: 'under' } : { name: host, match: 'exact' },
    )
    for (const entry of options.certificateNames) {
      const wildcard = entry.startsWith('*.')
      const name = canonicalName(isIPv6(entry) ? `[${entry}]` : wildcard ? entry.slice(2) : entry)
      if (name !== undefined && name !== '') rules.push({ name, match: wildcard ? 'oneLabel' : 'exact' })
    }
    return new HostPolicy(isLoopbackHost(options.host), rules)
  }

  /** Whether a request with this `Host` header may be answered. */
  allowsHostHeader(value: string | undefined): boolean {
    if (!this.loopbackOnly || value === undefined) return true
    const name = hostHeaderName(value)
    return name !== undefined && this.#allowsName(name)
  }

  #allowsName(name: string): boolean {
    return isLoopbackHost(name) || this.#rules.some((rule) => matches(name, rule))
  }

  /**
   * Why a request to a loopback listener may come from a web page that is not this machine's
   * own, or undefined when it does not: a `Host` the policy refuses (DNS rebinding), an `Origin`
   * whose host it refuses (a cross-site form or `no-cors` request). The control API and
   * `--proxy` ask; neither value is repeated in full.
   */
  foreignPageReason(request: Pick<FastifyRequest, 'headers'>): string | undefined {
    if (!this.loopbackOnly) return undefined
    const { host, origin } = request.headers
    if (!this.allowsHostHeader(host)) return `the Host header names ${shorten(host ?? '')}, not this machine`
    if (origin === undefined) return undefined
    const authority = /^[a-z][a-z0-9+.-]*:\/\/(.*)$/i.exec(origin)?.[1]
    const name = authority === undefined ? undefined : hostHeaderName(authority)
    return name !== undefined && this.#allowsName(name) ? undefined : `it came from a page on ${shorten(origin)}`
  }

  /**
   * {@link foreignPageReason}, and for a request that may change something (not GET, HEAD or
   * OPTIONS) a browser's word that it came from another site: a browser says where a request came
   * from even when it sends no `Origin` (a form POST from some browsers, a `no-cors` fetch), and a
   * cross-site page must not change what this machine's pages own. The control API asks.
   */
  foreignRequestReason(request: Pick<FastifyRequest, 'headers' | 'method'>): string | undefined {
    const foreign = this.foreignPageReason(request)
    if (foreign !== undefined || !this.loopbackOnly) return foreign
    if (!SAFE_METHODS.has(request.method) && request.headers['sec-fetch-site'] === 'cross-site')
      return 'the browser says it came from another site (Sec-Fetch-Site: cross-site)'
    return undefined
  }
}

/** Methods that change nothing, so a cross-site page may send them (a browser's `Sec-Fetch-Site` is not checked for them). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// A Host or Origin as a message repeats it: the catalogue's rule for echoed values.
function shorten(text: string): string {
  return shortened(text, MAX_ORIGIN_LENGTH)
}

/** How many distinct `Host` values the check remembers its verdict for; past it the oldest is forgotten. */
const REMEMBERED_VERDICTS = 256

/**
 * The refusal, a 403 (`ERRORS.hostNotAllowed`), of every request the {@link HostPolicy} does not
 * allow, whatever its route (storefront, `--static`, `--proxy`, control API, 404): for an
 * `onRequest` hook to pass to `done`, before any hook or route that answers, so it goes through
 * the error handler. Undefined when the policy allows every `Host` (a listener that is not
 * loopback). A loopback listener sees a handful of `Host` values, so the verdict is kept per
 * value: the token route pays a map lookup. Each refused value is logged at `warn` once, when its
 * verdict is made.
 */
export function hostCheck(policy: HostPolicy): ((request: FastifyRequest) => MockError | undefined) | undefined {
  if (!policy.loopbackOnly) return undefined
  const verdicts = new Map<string, boolean>()
  return (request) => {
    const host = request.headers.host
    if (host === undefined) return undefined
    let allowed = verdicts.get(host)
    if (allowed === undefined) {
      allowed = policy.allowsHostHeader(host)
      if (verdicts.size >= REMEMBERED_VERDICTS) verdicts.delete(verdicts.keys().next().value as string)
      verdicts.set(host, allowed)
      if (!allowed)
        request.log.warn(
          { code: ERRORS.hostNotAllowed.code },
          `request refused: the Host header names ${shorten(host)}, not this machine nor an allowed host (--allowed-host)`,
        )
    }
    // Through the error handler, so the request log names the refusal's code (`outcome`) and why (`hint`).
    return allowed ? undefined : ERRORS.hostNotAllowed(shorten(host), hostHeaderName(host))
  }
}
