import type { FastifyServerOptions, FastifyRequest } from 'fastify'
import { describeRequestUrl } from './safe-url.js'

/** Log levels the mock accepts (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * Logger settings: pino at the chosen level, with requests serialized as method and URL only
 * (no headers, so no cookies), the URL as the request log keeps it (see `describeRequestUrl`), and the raw
 * request bytes of parser errors dropped.
 */
export function loggerOptions(level: LogLevel, stream: NodeJS.WritableStream | undefined): FastifyServerOptions['logger'] {
  // Silent with no stream given (the API's default): no logger at all. pino would otherwise open
  // a stdout stream per app and hook process 'exit' to flush it, freed only by garbage collection.
  if (level === 'silent' && !stream) return false
  return {
    level,
    ...(stream && { stream }),
    // Node's HTTP parser errors (a header block too large, a malformed line) carry the raw bytes
    // of the request, cookies included, and Fastify logs them at trace level: keep those out.
    redact: { paths: ['err.rawPacket'], censor: '[redacted]' },
    serializers: {
      // The URL as the request log keeps it: secret paths redacted by route, query values other than app_client_id and action redacted.
      req: (request: FastifyRequest) => ({ method: request.method, url: describeRequestUrl(request).path, remoteAddress: request.ip }),
    },
  }
}
