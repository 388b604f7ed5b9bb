import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import { createRequire } from 'node:module'
import type PinoPretty from 'pino-pretty'
import type { PrettyOptions } from 'pino-pretty'
import { describeRequestUrl } from './safe-url.js'

/** Log levels the mock accepts (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/** How log lines are written: JSON lines, or one readable line per request (pino-pretty). */
export const LOG_FORMATS = ['json', 'pretty'] as const

/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number]

/**
 * Logger settings: pino at the chosen level, with requests serialized as method and URL only
 * (no headers, so no cookies), the URL as the request log keeps it (see `describeRequestUrl`), and the raw
 * request bytes of parser errors dropped. `pretty` passes the same lines through pino-pretty
 * (synchronously, no worker thread) into `stream`, or standard output.
 */
export function loggerOptions(level: LogLevel, stream: NodeJS.WritableStream | undefined, format: LogFormat = 'json'): FastifyServerOptions['logger'] {
  // Silent with no stream given (the API's default): no logger at all. pino would otherwise open
  // a stdout stream per app and hook process 'exit' to flush it, freed only by garbage collection.
  if (level === 'silent' && !stream) return false
  const destination = format === 'pretty' ? prettyStream(stream) : stream
  return {
    level,
    ...(destination && { stream: destination }),
    // Node's HTTP parser errors (a header block too large, a malformed line) carry the raw bytes
    // of the request, cookies included, and Fastify logs them at trace level: keep those out.
    redact: { paths: ['err.rawPacket'], censor: '[redacted]' },
    serializers: {
      // The URL as the request log keeps it: secret paths redacted by route, query values other than app_client_id and action redacted.
      req: (request: FastifyRequest) => ({ method: request.method, url: describeRequestUrl(request).path, remoteAddress: request.ip }),
    },
  }
}

/** What the one log line per request (pretty format) carries, under the key `request`. */
export interface RequestLine {
  method: string
  /** Path and query, secrets redacted (see `describeRequestUrl`). */
  path: string
  status: number
  /** Milliseconds, one decimal. */
  ms: number
  /** The storefront customer the request acted for, when known. */
  customer?: number
  /** The app the request was for (`app_client_id`, or a Customer Login token's `iss`), when known. */
  app?: string
}

function isRequestLine(value: unknown): value is RequestLine {
  return typeof value === 'object' && value !== null && typeof (value as RequestLine).method === 'string' && typeof (value as RequestLine).status === 'number'
}

/**
 * pino-pretty's settings for the terminal: local time, level, and for a request the line
 * `GET /customer/current.jwt?app_client_id=... 200 1.4 ms customer 4927 app ...`; any other
 * fields of a line stay on that line. Process and request ids are left out.
 */
export function prettyOptions(colorize: boolean): PrettyOptions {
  return {
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,reqId,request',
    singleLine: true,
    messageFormat: (log, messageKey) => {
      const line = log.request
      if (!isRequestLine(line)) return String(log[messageKey] ?? '')
      const customer = line.customer === undefined ? '' : `  customer ${line.customer}`
      const app = line.app === undefined ? '' : `  app ${line.app}`
      return `${line.method} ${line.path} ${line.status} ${line.ms} ms${customer}${app}`
    },
  }
}

// Loaded only for the pretty format, so JSON logging (tests, the API) never pays for it.
const require = createRequire(import.meta.url)

/** A synchronous pino-pretty stream into `stream`, or standard output (coloured on a terminal). */
export function prettyStream(stream: NodeJS.WritableStream | undefined): NodeJS.WritableStream {
  const colorize = stream === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR
  const pinoPretty = require('pino-pretty') as typeof PinoPretty
  return pinoPretty({ ...prettyOptions(colorize), sync: true, ...(stream ? { destination: stream } : { destination: 1 }) })
}

/**
 * In the pretty format, one log line per answered request instead of Fastify's "incoming
 * request" / "request completed" pair: method, safe path, status, duration, and the customer
 * and app where the route knew them. A request that errored still logs its error line.
 */
export class RequestLineLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply)
    const { path, clientId } = describeRequestUrl(request)
    const line: RequestLine = {
      method: request.method,
      path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(request.storefrontCustomerId !== undefined && { customer: request.storefrontCustomerId }),
      ...(clientId !== undefined && { app: clientId }),
    }
    request.log.info({ request: line }, 'request')
  }
}
