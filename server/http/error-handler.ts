import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { MockError } from '../errors.js'
import { errorBody } from './error-body.js'
import { redactUrl } from './logger.js'

/**
 * Answer every failure with a JSON {@link errorBody}: the mock's own errors with their status,
 * schema violations as 400 naming the parameter, Fastify's client errors (bad JSON, body too
 * large) with their 4xx. Only a real fault is a 500, and it is logged.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | MockError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof MockError) {
      return reply.code(error.statusCode).send(errorBody(error.statusCode, error.code, error.message, error.field))
    }
    if (error.validation) {
      const { field, message } = describeValidation(error)
      return reply.code(400).send(errorBody(400, 'BCMOCK_INVALID_REQUEST', message, field))
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return reply.code(status).send(errorBody(status, error.code ?? 'BCMOCK_BAD_REQUEST', error.message))
    }
    request.log.error({ err: error }, 'unexpected error')
    return reply.code(500).send(errorBody(500, 'BCMOCK_INTERNAL', 'The mock hit an unexpected error; see its log.'))
  })

  app.setNotFoundHandler((request, reply) => {
    // Redacted as in the log: a mistyped Customer Login URL (`/login/token/<jwt>/`) still holds a token.
    const path = redactUrl(request.url.split('?')[0] ?? request.url)
    return reply.code(404).send(errorBody(404, 'BCMOCK_NOT_FOUND', `No route for ${request.method} ${path} on this mock storefront.`, 'path'))
  })
}

// Turn Ajv's first complaint into "query parameter 'app_client_id' is required" and its name.
function describeValidation(error: FastifyError): { field: string; message: string } {
  const where =
    error.validationContext === 'querystring'
      ? 'query parameter'
      : error.validationContext === 'body'
        ? 'body field'
        : error.validationContext === 'params'
          ? 'path parameter'
          : `${error.validationContext ?? 'request'} field`
  const first = error.validation?.[0]
  const missing = first?.params && typeof first.params.missingProperty === 'string' ? first.params.missingProperty : undefined
  const field = missing ?? first?.instancePath.replace(/^\//, '').replace(/\//g, '.') ?? ''
  if (!first || !field) return { field: error.validationContext ?? 'request', message: `${where}s are invalid: ${error.message}` }
  if (missing) return { field, message: `${where} '${field}' is required` }
  if (first.keyword === 'minLength') return { field, message: `${where} '${field}' must not be empty` }
  return { field, message: `${where} '${field}' ${first.message ?? 'is invalid'}` }
}
