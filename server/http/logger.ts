import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import { createRequire } from 'node:module'
import type PinoPretty from 'pino-pretty'
import type { PrettyOptions } from 'pino-pretty'
import { describeRequestUrl, type UrlRedaction } from './safe-url.js'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The customer the request acted for (signed in, signing in or out), when a route knows one:
     * the pretty request line names it. Declared here, so the logger knows no route; the routes
     * that know a customer (the storefront's) decorate it and set it.
     */
    customerId: number | undefined
  }
}

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
 * (no headers, so no cookies), the URL as the request log keeps it (see `describeRequestUrl`:
 * `urls` are the routes' rules), and the raw request bytes of parser errors dropped. `pretty`
 * passes the same lines through pino-pretty (synchronously, no worker thread) into `stream`, or
 * standard output.
 */
export function loggerOptions(
  level: LogLevel,
  stream: NodeJS.WritableStream | undefined,
  format: LogFormat,
  urls: UrlRedaction,
): FastifyServerOptions['logger'] {
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
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: describeRequestUrl(request, urls).path,
        remoteAddress: request.ip,
      }),
    },
  }
}

/** What the one log line per request (pretty format) carries, under the key `request`. */
interface RequestLine {
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
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RequestLine).method === 'string' &&
    typeof (value as RequestLine).status === 'number'
  )
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
      const message = log[messageKey]
      if (!isRequestLine(line)) return typeof message === 'string' ? message : JSON.stringify(message ?? '')
      const customer = line.customer === undefined ? '' : `  customer ${line.customer}`
      const app = line.app === undefined ? '' : `  app ${line.app}`
      // prettyStream has escaped every value already; this covers prettyOptions used on its own.
      return escapeControlCharacters(`${line.method} ${line.path} ${line.status} ${line.ms} ms${customer}${app}`)
    },
  }
}

// C0 (tab and line breaks included), DEL, C1, the Unicode line and paragraph separators and the
// bidirectional overrides: what a terminal acts on (ESC starts a title or screen command, CSI is
// U+009B) or a reader takes for a new line, or what shows text in another order than it is.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * `text` with every control character written visibly: `\x1b` for C0 and DEL, `\u009b` for C1
 * and the others. Request bytes (a decoded `app_client_id`, a token's unverified `iss`, a Host
 * or Origin) reach the pretty log lines, and a terminal would act on them raw.
 *
 * @example
 * ```ts
 * escapeControlCharacters('app \u001b]0;x\u0007') // 'app \\x1b]0;x\\x07'
 * ```
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => {
    const code = char.charCodeAt(0)
    return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

// A stack keeps its line breaks before its frames ("    at ..."), so it still reads as one;
// any other break (one inside the error's message) is escaped like the rest.
function escapeStack(stack: string): string {
  return stack
    .split('\n')
    .map((line, index) => (index > 0 && /^\s+at /.test(line) ? '\n' : index > 0 ? '\\x0a' : '') + escapeControlCharacters(line))
    .join('')
}

// Every key and string of a log record, escaped; numbers and the rest as they are.
function escapeRecord(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return key === 'stack' ? escapeStack(value) : escapeControlCharacters(value)
  if (Array.isArray(value)) return value.map((item) => escapeRecord(item))
  if (typeof value !== 'object' || value === null) return value
  // fromEntries defines each key as its own property, `__proto__` included.
  return Object.fromEntries(Object.entries(value).map(([name, field]) => [escapeControlCharacters(name), escapeRecord(field, name)]))
}

/** One JSON line of pino as the pretty stream writes it: every value escaped (see {@link escapeControlCharacters}), still one JSON line. */
function escapeLogLine(line: string): string {
  try {
    return JSON.stringify(escapeRecord(JSON.parse(line)))
  } catch {
    // Not pino's JSON: pino-pretty prints such a line as it is, so escape it whole.
    return escapeControlCharacters(line)
  }
}

// Loaded only for the pretty format, so JSON logging (tests, the API) never pays for it.
// (Not named `require`: the bin's bundle defines that name at its top for bundled CommonJS code.)
const load = createRequire(import.meta.url)

/**
 * A synchronous pino-pretty stream into `stream`, or standard output (coloured on a terminal).
 * Every record is escaped on its way in (see {@link escapeLogLine}), so no field pino-pretty
 * prints, the message, the request line or the extra fields it appends, carries a raw control character.
 */
function prettyStream(stream: NodeJS.WritableStream | undefined): { write(chunk: string): void } {
  const colorize = stream === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR
  const pinoPretty = load('pino-pretty') as typeof PinoPretty
  const pretty = pinoPretty({ ...prettyOptions(colorize), sync: true, ...(stream ? { destination: stream } : { destination: 1 }) })
  return {
    // pino writes one record per call, ending in a line break.
    write: (chunk: string) => {
      for (const line of chunk.split('\n')) if (line !== '') pretty.write(`${escapeLogLine(line)}\n`)
    },
  }
}

/**
 * In the pretty format, one log line per answered request instead of Fastify's "incoming
 * request" / "request completed" pair: method, safe path, status, duration, and the customer
 * and app where the route knew them. A request that errored still logs its error line.
 */
export class RequestLineLogController extends LogController {
  readonly #urls: UrlRedaction

  /** @param urls - what of a URL the line keeps: the routes' rules (see `describeRequestUrl`). */
  constructor(urls: UrlRedaction) {
    super()
    this.#urls = urls
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply)
    const { path, clientId } = describeRequestUrl(request, this.#urls)
    const line: RequestLine = {
      method: request.method,
      path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(request.customerId !== undefined && { customer: request.customerId }),
      ...(clientId !== undefined && { app: clientId }),
    }
    request.log.info({ request: line }, 'request')
  }
}
