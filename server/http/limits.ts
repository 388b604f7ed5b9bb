import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS } from '../errors.js'
import { errorBody } from './error-body.js'

/** Largest request body accepted (sign-in forms, control API JSON); larger ones get 413. */
export const BODY_LIMIT_BYTES = 64 * 1024

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
    const error = ERRORS.urlTooLong(MAX_URL_LENGTH)
    reply.code(error.statusCode).send(errorBody(error))
  })
}

/**
 * Fastify's own routing errors (a percent-escape that does not decode, a path parameter longer
 * than the router allows), answered with the mock's error body. Fastify's default answer quotes
 * the whole URL, which may be a Customer Login URL carrying a token; this one does not.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const answer =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? ERRORS.pathSegmentTooLong(MAX_URL_LENGTH)
      : ERRORS.badUrl(error.code === 'FST_ERR_BAD_URL' ? 'The URL path is not valid: a percent-escape (%XX) in it does not decode.' : 'The request URL cannot be routed.')
  request.log.info({ code: answer.code, status: answer.statusCode }, 'request refused by the router')
  void reply.code(answer.statusCode).send(errorBody(answer))
}
