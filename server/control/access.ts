import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, MockError } from '../errors.js'
import type { HostPolicy } from '../http/host-policy.js'
import { CONTROL_PREFIX } from './spec.js'

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

  // Which Host, Origin and site are this machine's own pages, and whether it listens on loopback:
  // the one rule every route's Host check and `--proxy` use too.
  readonly #hosts: HostPolicy

  private constructor(
    readonly mode: ControlMode,
    reason: string,
    hosts: HostPolicy,
    token?: string,
  ) {
    this.reason = reason
    this.#hosts = hosts
    this.#tokenDigest = token === undefined ? undefined : digest(token)
  }

  /** Decide from the resolved options. */
  static from(options: { admin: boolean; adminToken: string | undefined; host: string; hostPolicy: HostPolicy }): ControlAccess {
    const hosts = options.hostPolicy
    if (!options.admin) return new ControlAccess('off', 'it was turned off with --no-admin (option admin: false)', hosts)
    if (options.adminToken !== undefined)
      return new ControlAccess('token', 'every call needs Authorization: Bearer <admin token>', hosts, options.adminToken)
    if (hosts.loopbackOnly) return new ControlAccess('open', `open: bound to ${options.host}, only this machine can connect`, hosts)
    return new ControlAccess(
      'off',
      `the mock listens on ${options.host}, not a loopback address, and no admin token is set: anyone on the network could change the store. Set --admin-token (or BC_MOCK_ADMIN_TOKEN) to use it there`,
      hosts,
    )
  }

  /**
   * Check a request: with a token, its `Authorization` header (401 otherwise); open, that it
   * comes from this machine's own pages (403 otherwise, see `HostPolicy.foreignRequestReason`).
   * A loopback listener is reachable from any web page the developer opens, by DNS rebinding (a
   * `Host` that is not loopback nor allowed: every route refuses it already) or by a cross-site
   * form or `no-cors` POST (an `Origin` or `Sec-Fetch-Site` that is not); without this check such
   * a page could read the store or mint tokens signed with the fixtures' secrets.
   */
  authorize(request: Pick<FastifyRequest, 'headers' | 'method'>): void {
    if (this.mode === 'open') {
      const foreign = this.#hosts.foreignRequestReason(request)
      if (foreign !== undefined) throw this.#foreign(foreign)
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
      if (error instanceof MockError && error.statusCode === 401)
        reply.header('www-authenticate', 'Bearer realm="bigcommerce-mock control API"')
      throw error
    }
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}
