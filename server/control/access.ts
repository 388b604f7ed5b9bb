import { createHash, timingSafeEqual } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, MockError } from '../errors.js'
import { bareHost } from '../http/bare-host.js'
import { CONTROL_PREFIX } from './spec.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** How the control API can be reached: by anyone who can connect, with the admin token, or not at all. */
export type ControlMode = 'open' | 'token' | 'off'

/**
 * Who may use the control API, decided once from the options:
 *
 * | options | mode |
 * |---|---|
 * | `admin: false` (`--no-admin`) | off |
 * | `adminToken` set | token: every call needs `Authorization: Bearer <token>` |
 * | no token, loopback `host` | open: to requests whose `Host` (and `Origin`, when sent) is loopback |
 * | no token, any other `host` | off: anyone on the network could take the store over |
 */
export class ControlAccess {
  /** Why the API is in its mode, in words for the banner and the 403 answer. */
  readonly reason: string
  // Only a digest is kept: comparing digests takes the same time whatever the lengths.
  readonly #tokenDigest: Buffer | undefined

  private constructor(
    readonly mode: ControlMode,
    reason: string,
    token?: string,
  ) {
    this.reason = reason
    this.#tokenDigest = token === undefined ? undefined : digest(token)
  }

  /** Decide from the resolved options. */
  static from(options: { admin: boolean; adminToken: string | undefined; host: string }): ControlAccess {
    if (!options.admin) return new ControlAccess('off', 'it was turned off with --no-admin (option admin: false)')
    if (options.adminToken !== undefined) return new ControlAccess('token', 'every call needs Authorization: Bearer <admin token>', options.adminToken)
    if (isLoopbackHost(options.host)) return new ControlAccess('open', `open: bound to ${options.host}, only this machine can connect`)
    return new ControlAccess(
      'off',
      `the mock listens on ${options.host}, not a loopback address, and no admin token is set: anyone on the network could change the store. Set --admin-token (or BC_MOCK_ADMIN_TOKEN) to use it there`,
    )
  }

  /**
   * Check a request: with a token, its `Authorization` header (401 otherwise); open, that it
   * comes from this machine's own pages (403 otherwise). A loopback listener is reachable from
   * any web page the developer opens, by DNS rebinding (a `Host` that is not loopback) or by a
   * cross-site form or `no-cors` POST (an `Origin` that is not loopback); without this check
   * such a page could read the store or mint tokens signed with the fixtures' secrets.
   */
  authorize(request: Pick<FastifyRequest, 'host' | 'headers' | 'method'>): void {
    if (this.mode === 'open') {
      const foreign = foreignPageReason(request)
      if (foreign !== undefined) throw this.#foreign(foreign)
      // A browser says where a request came from even when it sends no Origin (a form POST
      // from some browsers, a no-cors fetch): a cross-site page must not change the store.
      if (!SAFE_METHODS.has(request.method) && request.headers['sec-fetch-site'] === 'cross-site') {
        throw this.#foreign('the browser says it came from another site (Sec-Fetch-Site: cross-site)')
      }
      return
    }
    if (this.#tokenDigest === undefined) return
    const authorization = request.headers.authorization
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '')
    if (!match?.[1]) {
      throw ERRORS.adminTokenRequired()
    }
    if (!timingSafeEqual(digest(match[1]), this.#tokenDigest)) {
      throw ERRORS.adminTokenWrong()
    }
  }

  #foreign(why: string): MockError {
    return ERRORS.controlForeign(why)
  }

  /** The 403 every control call gets while the API is off. */
  offError(): MockError {
    return ERRORS.controlOff(this.reason)
  }

  /** The banner's line about the control API. */
  bannerLine(url: string): string {
    if (this.mode === 'off') return `  Control API: off, ${this.reason}`
    return `  Control API: ${url}${CONTROL_PREFIX}, ${this.reason}; described at ${url}${CONTROL_PREFIX}/openapi.yaml`
  }
}

/** An `onRequest` hook applying {@link ControlAccess.authorize}; a 401 carries a `WWW-Authenticate` challenge. */
export function adminGuard(access: ControlAccess) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      access.authorize(request)
    } catch (error) {
      if (error instanceof MockError && error.statusCode === 401) reply.header('www-authenticate', 'Bearer realm="bigcommerce-mock control API"')
      throw error
    }
  }
}

/**
 * Why a request to a loopback listener may come from a web page that is not this machine's own,
 * or undefined when it does not: a `Host` that is not loopback (DNS rebinding), an `Origin` that
 * is not loopback (a cross-site form or `no-cors` request). Neither value is repeated in full.
 */
export function foreignPageReason(request: Pick<FastifyRequest, 'host' | 'headers'>): string | undefined {
  const origin = request.headers.origin
  if (!isLoopbackHost(hostnameOf(`http://${request.host}`))) return `the Host header names ${shorten(request.host)}, not this machine`
  if (origin !== undefined && !isLoopbackHost(hostnameOf(origin))) return `it came from a page on ${shorten(origin)}`
  return undefined
}

function shorten(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text
}

// The host name of a URL or origin; '' when it is not one (e.g. the `null` origin of a sandboxed page).
function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname
  } catch {
    return ''
  }
}

/**
 * Whether a listen host only accepts connections from this machine: `localhost`, 127.0.0.0/8,
 * `::1` (bracketed or not) and IPv4-mapped 127.x. `0.0.0.0`, `::` and every other address are not.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = bareHost(host)
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (isIPv4(bare)) return bare.startsWith('127.')
  if (!isIPv6(bare)) return false
  if (bare === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(bare)) return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)
  return mapped?.[1] !== undefined && isIPv4(mapped[1]) && mapped[1].startsWith('127.')
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}
