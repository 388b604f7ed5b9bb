import type { FastifyInstance } from 'fastify'

/**
 * Over `--https`, say when a plain `http://` request reaches the TLS port. The client sees only
 * a closed connection (`socket hang up`, curl's `Empty reply from server`), so the mock's log
 * says why, once, at `warn`, with the URL to use. OpenSSL tells such a request from any other
 * failed handshake (`ERR_SSL_HTTP_REQUEST`), so nothing else is reported as one.
 *
 * Node's TLS server reads the request as a broken handshake and has no way to answer it in plain
 * http on the same socket, so a warning, not a redirect.
 *
 * @example
 * ```ts
 * await app.listen({ port: 3100 })
 * warnOnPlainHttp(app, 'https://127.0.0.1:3100')
 * // curl http://127.0.0.1:3100/ -> log: "https: a plain http:// request came to this port, which serves https ... Use https://127.0.0.1:3100"
 * ```
 */
export function warnOnPlainHttp(app: FastifyInstance, url: string): void {
  let warned = false
  app.server.on('tlsClientError', (error: NodeJS.ErrnoException) => {
    if (warned || error.code !== 'ERR_SSL_HTTP_REQUEST') return
    warned = true
    app.log.warn(
      { cause: 'plain_http' },
      `https: a plain http:// request came to this port, which serves https (--https), so the client saw the connection close ("socket hang up", "Empty reply from server"). Use ${url}`,
    )
  })
}
