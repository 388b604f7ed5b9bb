import type { IncomingHttpHeaders } from 'node:http'
import type { IncomingHttpHeaders as Http2IncomingHttpHeaders } from 'node:http2'
import httpProxy from '@fastify/http-proxy'
import type { FastifyPluginAsync, FastifyRequest, RawServerBase, RequestGenericInterface } from 'fastify'
import { ERRORS } from '../errors.js'
import { errorBody } from '../http/error-body.js'
import type { HostPolicy } from '../http/host-policy.js'

/** Options of {@link frontEndProxy}. */
export interface FrontEndProxyOptions {
  /** The dev server's origin, e.g. `http://localhost:3000` (already checked: http or https, no path). */
  upstream: string
  /**
   * Which hosts are this machine's own pages: on a loopback listener, proxied requests (WebSocket
   * upgrades too) must carry an `Origin` it allows when they send one, as the control API
   * requires; otherwise 403. (A `Host` it does not allow was refused before any route.)
   */
  hosts: HostPolicy
}

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection, not the message,
 * so a proxy never passes them on. Node's server writes its own `Connection` and framing, and
 * so honours a client's `Connection: close`.
 */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
]

type Headers = IncomingHttpHeaders | Http2IncomingHttpHeaders

/** Paths that belong to the mock even when no route there matches: never proxied. */
export function isMockPath(url: string): boolean {
  return url === '/__mock' || url.startsWith('/__mock/') || url.startsWith('/__mock?')
}

/**
 * Send every request the mock has no route for to a front-end dev server (stencil start, Vite,
 * Next) with `@fastify/http-proxy`, so the code under development and the mock share one origin.
 *
 * - The proxy claims `/` and `/*`; the router prefers the mock's own, more specific routes, so
 *   those keep answering. Unknown `/__mock/*` paths get the mock's 404, never the dev server.
 * - Methods, headers and bodies pass through unchanged (bodies as raw streams: no parser of the
 *   mock's reads them in this context, so a form or JSON POST is not re-encoded).
 * - Upstream redirects are not followed but passed on; a `Location` on the upstream's own
 *   origin becomes a path on the mock's origin, so the browser stays on the mock.
 * - Upstream `Set-Cookie` passes as is; the mock's session cookies are `Path=/` on this origin
 *   and so reach both the mock's routes and the dev server.
 * - WebSocket upgrades (hot reload) are proxied to the same path on the upstream.
 */
export const frontEndProxy: FastifyPluginAsync<FrontEndProxyOptions> = async (app, { upstream, hosts }) => {
  // Fastify's own JSON and text parsers are inherited here; drop them so the proxy's catch-all
  // parser hands the untouched body stream to the upstream.
  app.removeAllContentTypeParsers()

  const upstreamOrigin = new URL(upstream).origin
  // The upgrade request to the dev server carries what an HTTP request does: cookies, Origin
  // (dev servers check it on their HMR socket) and the X-Forwarded-* headers. (A variable:
  // the plugin's types do not list `rewriteRequestHeaders`, which it reads.)
  const wsClientOptions: { queryString?: undefined } = {
    // @ts-expect-error -- read by @fastify/http-proxy, missing from its type declarations
    rewriteRequestHeaders: (headers: Headers, request: FastifyRequest): Headers => ({
      ...headers,
      ...(request.headers.cookie !== undefined && { cookie: request.headers.cookie }),
      ...(request.headers.origin !== undefined && { origin: request.headers.origin }),
      ...forwardedHeaders(request, {}),
    }),
  }

  await app.register(httpProxy, {
    upstream: upstreamOrigin,
    websocket: true,
    // reply-from logs two extra lines per request; Fastify's own request log is enough.
    disableRequestLogging: true,
    preHandler: (request, reply, done) => {
      if (isMockPath(request.url)) {
        reply.callNotFound()
        return
      }
      const foreign = hosts.foreignPageReason(request)
      if (foreign !== undefined) {
        const answer = ERRORS.proxyForeign(foreign)
        request.log.warn({ code: answer.code }, `proxied request refused: ${foreign}`)
        void reply.code(answer.statusCode).send(errorBody(answer))
        return
      }
      done()
    },
    wsClientOptions,
    replyOptions: {
      rewriteRequestHeaders: (request, headers) => forwardedHeaders(request, headers),
      rewriteHeaders: (headers) => withoutHopByHop(rewriteLocation(headers, upstreamOrigin)),
      // reply-from retries a GET on 503 up to ten times; a dev server's 503 should be seen as is.
      retryDelay: () => null,
      onError: (reply, { error }) => {
        // reply-from has already logged the error at warn level.
        const reason = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message
        const answer = ERRORS.proxyUpstream(upstreamOrigin, reply.request.method, reason)
        void reply.code(answer.statusCode).send(errorBody(answer))
      },
    },
  })
}

/** An upstream answer's headers without the hop-by-hop ones, nor those its `Connection` header names. */
export function withoutHopByHop(headers: Headers): Headers {
  const named = typeof headers.connection === 'string' ? headers.connection.split(',').map((name) => name.trim().toLowerCase()) : []
  const kept: Headers = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (!HOP_BY_HOP.includes(lower) && !named.includes(lower)) kept[name] = value
  }
  return kept
}

// The upstream sees its own Host (dev servers check it); the origin the browser used goes in
// the usual X-Forwarded-* headers for servers that build absolute URLs.
function forwardedHeaders(request: FastifyRequest<RequestGenericInterface, RawServerBase>, headers: Headers): Headers {
  const sent = request.headers['x-forwarded-for']
  const forwardedFor = typeof sent === 'string' ? `${sent}, ${request.ip}` : request.ip
  return {
    ...headers,
    'x-forwarded-for': forwardedFor,
    ...(request.host && { 'x-forwarded-host': request.host }),
    'x-forwarded-proto': request.protocol,
  }
}

/**
 * A `Location` pointing at the upstream's origin becomes origin-relative (`/path?query#hash`),
 * so the browser follows it on the mock; any other `Location` is left alone.
 */
export function rewriteLocation(headers: Headers, upstreamOrigin: string): Headers {
  const location = headers.location
  if (typeof location !== 'string') return headers
  let target: URL
  try {
    target = new URL(location)
  } catch {
    return headers // relative: already on whatever origin the browser is on
  }
  if (target.origin !== upstreamOrigin) return headers
  return { ...headers, location: `${target.pathname}${target.search}${target.hash}` }
}
