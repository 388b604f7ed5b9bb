import http from 'node:http'

/** One request of a {@link KeepAliveClient}. */
export interface ClientRequest {
  method: 'GET' | 'POST'
  /** Path and query. */
  path: string
  headers?: Record<string, string>
  body?: string
}

/** An answer, read in full. */
export interface ClientAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  /** From sending the request to the last byte of the answer, ms. */
  ms: number
}

/**
 * A client with one keep-alive connection, as one browser tab would hold: requests go one at a
 * time and reuse the socket. No cookie jar: the caller sends the `Cookie` header it wants.
 */
export class KeepAliveClient {
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  readonly #host: string
  readonly #port: number

  /**
   * @param baseUrl - `http://host:port` of the server.
   * @param timeoutMs - a request without an answer within this time fails (as a socket error).
   */
  constructor(
    baseUrl: string,
    readonly timeoutMs = 10_000,
  ) {
    const url = new URL(baseUrl)
    this.#host = url.hostname
    this.#port = Number(url.port)
  }

  /** Send one request; rejects on a connection error or timeout, resolves with any status. */
  send(request: ClientRequest): Promise<ClientAnswer> {
    return new Promise((resolve, reject) => {
      const startedAt = performance.now()
      const headers = { ...request.headers, ...(request.body !== undefined && { 'content-length': String(Buffer.byteLength(request.body)) }) }
      const outgoing = http.request({ agent: this.#agent, host: this.#host, port: this.#port, method: request.method, path: request.path, headers, timeout: this.timeoutMs }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.once('error', reject)
        response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - startedAt }))
      })
      outgoing.once('timeout', () => outgoing.destroy(new Error(`no answer within ${this.timeoutMs} ms`)))
      outgoing.once('error', reject)
      outgoing.end(request.body)
    })
  }

  /** Close the connection. */
  close(): void {
    this.#agent.destroy()
  }
}

/** The `name=value` pairs of a response's `Set-Cookie` lines. */
export function setCookiePairs(headers: http.IncomingHttpHeaders): Map<string, string> {
  const pairs = new Map<string, string>()
  for (const line of headers['set-cookie'] ?? []) {
    const pair = line.split(';', 1)[0] ?? ''
    const equals = pair.indexOf('=')
    if (equals > 0) pairs.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim())
  }
  return pairs
}
