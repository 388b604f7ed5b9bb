import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from './error-body.js'

/**
 * Longest request target (path and query, in characters) the mock serves: 8 KiB, the request-line
 * limit of common front servers. A Customer Login URL (`/login/token/{jwt}`) is the longest the
 * mock has a use for, and a real one is well under 1 KiB. Longer URLs get `414` before any route
 * or hook reads them.
 */
export const MAX_URL_LENGTH = 8 * 1024

/**
 * Largest request header block, request line included: Node's default (16 KiB), set explicitly
 * so `--max-http-header-size` or `NODE_OPTIONS` cannot change it under the mock. Past it, Node's
 * parser stops reading and Fastify answers `431`, before any of the mock's code runs.
 */
export const MAX_HEADER_BYTES = 16 * 1024

/** Refuse over-long URLs (see {@link MAX_URL_LENGTH}); must be added before any other `onRequest` hook. */
export function installUrlLimit(app: FastifyInstance): void {
  // Callback style, not async: it runs on every request, and an async hook costs a promise each time.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.length <= MAX_URL_LENGTH) return done()
    // The URL itself is never echoed: it may carry a Customer Login token.
    reply.code(414).send(errorBody(414, 'BCMOCK_URL_TOO_LONG', `The URL is longer than ${MAX_URL_LENGTH} characters, the most this mock serves.`, 'url'))
  })
}

/**
 * Fastify's own routing errors (a percent-escape that does not decode, a path parameter longer
 * than the router allows), answered with the mock's error body. Fastify's default answer quotes
 * the whole URL, which may be a Customer Login URL carrying a token; this one does not.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
  const title =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `A path segment of the URL is too long (a URL may hold at most ${MAX_URL_LENGTH} characters).`
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The URL path is not valid: a percent-escape (%XX) in it does not decode.'
        : 'The request URL cannot be routed.'
  request.log.info({ code: error.code, status }, 'request refused by the router')
  void reply.code(status).send(errorBody(status, error.code ?? 'BCMOCK_BAD_REQUEST', title, 'url'))
}
