import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ERRORS } from '../errors.js'
import { errorBody } from './error-body.js'
import { hostCheck, type HostPolicy } from './host-policy.js'
import { MAX_URL_LENGTH } from './limits.js'

/**
 * The checks every request passes first, in one `onRequest` hook, added before any other (it runs
 * on every request, so one hook instead of three): a URL longer than {@link MAX_URL_LENGTH} is
 * refused (414) before any route or hook reads it, then a request with more than one `Host`
 * header (400: which one names the site would be a guess, and proxies and the mock could guess
 * differently); both answered here. Then, on a loopback listener, a `Host` the policy refuses
 * (403, through the error handler: see {@link hostCheck}).
 */
export function installRequestChecks(app: FastifyInstance, hostPolicy: HostPolicy): void {
  const checkHost = hostCheck(hostPolicy)
  // Callback style, not async: an async hook costs a promise each time.
  app.addHook('onRequest', (request, reply, done) => {
    // The URL itself is never echoed: it may carry a Customer Login token.
    const refusal =
      request.url.length > MAX_URL_LENGTH ? ERRORS.urlTooLong(MAX_URL_LENGTH) : hostCount(request) > 1 ? ERRORS.duplicateHost() : undefined
    if (refusal) {
      reply.code(refusal.statusCode).send(errorBody(refusal))
      return
    }
    done(checkHost?.(request))
  })
}

// How many `Host` headers the request has.
function hostCount(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders
  let hosts = 0
  for (let index = 0; index < raw.length; index += 2) if (raw[index]?.length === 4 && raw[index]?.toLowerCase() === 'host') hosts++
  return hosts
}
