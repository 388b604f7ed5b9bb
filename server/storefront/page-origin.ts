import type { FastifyRequest } from 'fastify'
import { bareHost } from '../http/bare-host.js'

/** A page's origin as a request's `Origin` header names it. */
export interface PageOrigin {
  /** `scheme://host[:port]`, as `--cors-origin` lists it. */
  href: string
  /** `http` or `https`. */
  scheme: string
  /** The host name, lower-cased and without IPv6 brackets (see `bareHost`). */
  host: string
}

/**
 * The `Origin` of the page a request came from, when it names an http(s) one: undefined without
 * the header, and for an opaque origin (`null`, sent by `file://` pages and sandboxed frames).
 *
 * @example
 * ```ts
 * pageOrigin(request) // { href: 'http://localhost:5173', scheme: 'http', host: 'localhost' }
 * ```
 */
export function pageOrigin(request: Pick<FastifyRequest, 'headers'>): PageOrigin | undefined {
  const origin = request.headers.origin
  if (origin === undefined || origin === 'null') return undefined
  try {
    const url = new URL(origin)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    return { href: url.origin, scheme: url.protocol.slice(0, -1), host: bareHost(url.hostname) }
  } catch {
    return undefined
  }
}
