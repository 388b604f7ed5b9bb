import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
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

/**
 * Fastify's own routing errors (a percent-escape that does not decode, a path parameter longer
 * than the router allows), answered with the mock's error body. Fastify's default answer quotes
 * the whole URL, which may be a Customer Login URL carrying a token; this one does not.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const answer =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? ERRORS.urlTooLong(MAX_URL_LENGTH, 'segment')
      : ERRORS.badUrl(
          error.code === 'FST_ERR_BAD_URL'
            ? 'The URL path is not valid: a percent-escape (%XX) in it does not decode.'
            : 'The request URL cannot be routed.',
        )
  request.log.info({ code: answer.code, status: answer.statusCode }, 'request refused by the router')
  void reply.code(answer.statusCode).send(errorBody(answer))
}

/**
 * Most requests one connection may have waiting for their answers (HTTP/1.1 pipelining). Browsers
 * never pipeline, and keep-alive clients (autocannon, undici, curl) send the next request after the
 * answer, so they have one waiting; Node parses every request a read holds at once (thousands in 64 KiB).
 */
export const MAX_PIPELINED_REQUESTS = 64

/**
 * Bound what one connection can make the server hold: a client that writes requests without
 * reading the answers (sixteen connections of 3,000 pipelined `GET /` took the mock from 90 to
 * 543 MiB) is cut off when a request arrives with {@link MAX_PIPELINED_REQUESTS} already waiting;
 * the rest of its pipeline is dropped with the connection, before Fastify sees it. Node stops
 * reading a connection whose answers are not drained, but only once its write buffer is full,
 * which is after a whole read's requests are parsed and handed on.
 */
export function installPipelineLimit(app: FastifyInstance): void {
  const server = app.server
  // Fastify's own handler, wrapped so requests past the bound never reach it.
  const [handler, ...others] = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[]
  if (!handler || others.length > 0)
    throw new Error(`installPipelineLimit expects Fastify's one request listener, found ${others.length + (handler ? 1 : 0)}`)
  server.removeListener('request', handler)
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket as CountedSocket
    // Not pipelined: Node gave this answer the connection at once (`_httpMessage`, Node's own), as
    // for every browser and keep-alive client. Only answers queued behind another are counted, so
    // the common path adds nothing per request.
    if (socket._httpMessage === response) return handler(request, response)
    // The rest of a pipeline whose connection was cut: Node parsed it from the same read.
    if (socket.destroyed) return
    const count = socket[WAITING] ?? 0
    if (count >= MAX_PIPELINED_REQUESTS) {
      app.log.warn(
        { cause: 'pipelined_flood', waiting: count },
        `connection closed: it sent another request with ${count} waiting for their answers, the most this mock holds for one connection; a client must read its answers`,
      )
      stopParsing(socket)
      socket.destroy()
      return
    }
    socket[WAITING] = count + 1
    // One shared listener, no closure: this runs on every request. (`request.socket` may be gone by then.)
    const counted: CountedResponse = response
    counted[SOCKET] = socket
    counted.on('close', answered)
    handler(request, response)
  })
}

// Requests of a connection handed to Fastify and not yet answered, and a response's connection.
const WAITING = Symbol('bcmock.waitingRequests')
const SOCKET = Symbol('bcmock.socket')
type CountedSocket = Socket & { [WAITING]?: number; _httpMessage?: unknown }
type CountedResponse = ServerResponse & { [SOCKET]?: CountedSocket }

// A response's 'close': its answer is handed to the socket, or the connection is gone.
function answered(this: CountedResponse): void {
  const socket = this[SOCKET]
  if (socket) socket[WAITING] = (socket[WAITING] ?? 1) - 1
}

/**
 * Make Node's HTTP parser stop at the next request of what it is parsing. Node parses a whole
 * read (64 KiB: thousands of pipelined requests) in one go and makes a request and a response
 * object for each, even on a destroyed socket; the parser's `onIncoming` answering 2 (as for an
 * upgrade) pauses it instead. `socket.parser.onIncoming` is Node's own (`_http_server.js`), set
 * afresh for every connection: where a Node version lacks it, the connection is still cut, only
 * with the rest of that read parsed first.
 */
function stopParsing(socket: Socket): void {
  const parser = (socket as Socket & { parser?: { onIncoming?: unknown } | null }).parser
  if (parser && typeof parser.onIncoming === 'function') parser.onIncoming = () => 2
}

/** How long a connection may take over each part of its life; see {@link SERVER_TIMEOUTS}. */
export interface ServerTimeouts {
  /** From the first byte of a request (or the connection's start) to the end of its headers. */
  headersMs: number
  /** From the start of a request to the end of its body. */
  requestMs: number
  /** An idle keep-alive connection is closed after this long. */
  keepAliveMs: number
  /** A socket with no traffic either way for this long is closed (Fastify's `connectionTimeout`). */
  idleSocketMs: number
  /** How often Node checks the header and request deadlines (so each is kept to within this). */
  checkIntervalMs: number
  /** On close (SIGINT/SIGTERM, `storefront.close()`), how long requests in flight get before every socket is destroyed. */
  closeGraceMs: number
}

/**
 * Timeouts set deliberately (Fastify leaves the request and socket timeouts off): a client that
 * never finishes its request is cut off with `408` in bounded time, so silent or dripping
 * sockets (slowloris, a browser's unused preconnect) cannot pile up until file descriptors run out.
 *
 * - headers 10 s: a browser sends its headers in milliseconds; 10 s leaves room for a loaded CI box.
 * - request 30 s: bodies are at most 64 KiB (sign-in forms, control JSON), proxied uploads go over loopback.
 * - keep-alive 5 s: Node's own default; browsers reuse a connection well within it.
 * - idle socket 60 s: no traffic either way for a minute (a dev server's long answer that streams is traffic).
 * - checked every second, so each deadline holds to within a second.
 * - close grace 500 ms: a request in flight may finish; then every socket goes, so the process ends within 1 s of a signal.
 */
export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  idleSocketMs: 60_000,
  checkIntervalMs: 1_000,
  closeGraceMs: 500,
}

/**
 * Close in bounded time: idle connections (keep-alive, and sockets that never sent a byte) at
 * once, in-flight ones after {@link ServerTimeouts.closeGraceMs}, when every socket still open
 * (upgraded WebSockets included, which Node no longer tracks as HTTP connections) is destroyed.
 * Fastify answers requests that arrive meanwhile with 503 and `Connection: close`.
 */
export function installBoundedClose(app: FastifyInstance, graceMs: number): void {
  const sockets = new Set<Socket>()
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  app.addHook('preClose', (done) => {
    const server = app.server
    const timer = setTimeout(() => {
      for (const socket of sockets) socket.destroy()
    }, graceMs).unref()
    server.once('close', () => clearTimeout(timer))
    if (typeof server.closeIdleConnections === 'function') server.closeIdleConnections()
    done()
  })
}
