import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, MockError } from '../errors.js'
import { errorBody } from './error-body.js'
import { BODY_LIMIT_BYTES } from './limits.js'

/**
 * Answer every failure with a JSON error body from the catalogue: the mock's own errors with
 * their status, schema violations as 400 naming the parameter, Fastify's client errors (bad
 * JSON, body too large) mapped to `BCMOCK_*` codes with their 4xx. Only a real fault is a 500,
 * and it is logged.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | MockError, request: FastifyRequest, reply: FastifyReply) => {
    const answer = asMockError(error)
    if (answer.statusCode >= 500) request.log.error({ err: error }, 'unexpected error')
    return reply.code(answer.statusCode).send(errorBody(answer))
  })
}

/** The catalogue error that answers `error`: itself, a validation error, Fastify's 4xx mapped, or `internal`. */
export function asMockError(error: FastifyError | MockError): MockError {
  if (error instanceof MockError) return error
  if (error.validation) {
    const { field, message } = describeValidation(error)
    return ERRORS.invalidRequest(field, message)
  }
  const status = error.statusCode ?? 500
  if (status < 400 || status >= 500) return ERRORS.internal()
  const mapped = mapFastifyError(error)
  // Keep Fastify's status for a 4xx the catalogue has no entry of its own for.
  return mapped.statusCode === status ? mapped : new MockError(mapped.code, mapped.message, status, mapped.field)
}

// Fastify's own client errors, by code, to catalogue entries; their messages never quote the body.
function mapFastifyError(error: FastifyError): MockError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ERRORS.bodyTooLarge(BODY_LIMIT_BYTES)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ERRORS.unsupportedMediaType()
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ERRORS.invalidJson('the Content-Type is application/json but the body is empty (send {} or no Content-Type)')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return ERRORS.invalidJson('it does not parse (the text is not shown: it may hold a secret)')
    default:
      if (error instanceof SyntaxError) return ERRORS.invalidJson('it does not parse (the text is not shown: it may hold a secret)')
      return ERRORS.badRequest(error.message)
  }
}

// Turn Ajv's first complaint into "query parameter 'app_client_id' is required" and its name.
function describeValidation(error: FastifyError): { field: string; message: string } {
  return validationProblem(error.validationContext, error.validation?.[0], error.message)
}

/**
 * A schema violation as the catalogue's `invalidRequest` words it: "query parameter
 * 'app_client_id' is required", "... must not be empty", naming the field. `context` is where
 * the value was (`querystring`, `body`, `params`); `first` the first complaint, in Ajv's shape.
 */
export function validationProblem(
  context: string | undefined,
  first: { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string | undefined } | undefined,
  message: string,
): { field: string; message: string } {
  const where =
    context === 'querystring'
      ? 'query parameter'
      : context === 'body'
        ? 'body field'
        : context === 'params'
          ? 'path parameter'
          : `${context ?? 'request'} field`
  const missing = first?.params && typeof first.params.missingProperty === 'string' ? first.params.missingProperty : undefined
  const field = missing ?? first?.instancePath.replace(/^\//, '').replace(/\//g, '.') ?? ''
  if (!first || !field) return { field: context ?? 'request', message: `${where}s are invalid: ${message}` }
  if (missing) return { field, message: `${where} '${field}' is required` }
  if (first.keyword === 'minLength') return { field, message: `${where} '${field}' must not be empty` }
  return { field, message: `${where} '${field}' ${first.message ?? 'is invalid'}` }
}
