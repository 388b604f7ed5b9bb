import type { FastifyServerOptions, FastifyRequest } from 'fastify'
import type { LogLevel } from '../options.js'

/**
 * Logger settings: pino at the chosen level, with requests serialized as method and URL only
 * (no headers, so no cookies) and any token in a URL path replaced by `[redacted]`.
 */
export function loggerOptions(level: LogLevel, stream: NodeJS.WritableStream | undefined): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream && { stream }),
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, url: redactUrl(request.url), remoteAddress: request.ip }),
    },
  }
}

/** Hide the JWT of a Customer Login URL (`/login/token/<jwt>`) from log lines. */
export function redactUrl(url: string): string {
  return url.replace(/^\/login\/token\/[^?]*/, '/login/token/[redacted]')
}
