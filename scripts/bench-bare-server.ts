#!/usr/bin/env node
/**
 * The benchmark's baseline: a bare Fastify 5 server with one route, `GET /hello`, that answers a
 * constant. It is started by `scripts/bench.ts` as its own process, with the same logger setting
 * as the mock, so the mock's figures can be read against what Fastify itself costs. Once it
 * listens it prints `bare Fastify listening on http://HOST:PORT`, as the mock's banner does, so
 * that `--port 0` can be used and the URL read from its output.
 *
 * Usage: `node dist/scripts/bench-bare-server.js [--port 0] [--log-level silent] [--host 127.0.0.1]`
 */
import { parseArgs } from 'node:util'
import Fastify, { type FastifyInstance } from 'fastify'

/** The constant body of `GET /hello`. */
export const HELLO_BODY = 'hello world'

/** Log levels accepted by `--log-level` (pino's, as the mock's CLI takes them). */
const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

/**
 * Build the bare server without listening.
 *
 * @param logLevel - pino level, as the mock's `--log-level`.
 */
export function buildBareServer(logLevel: string): FastifyInstance {
  const app = Fastify({ logger: { level: logLevel } })
  app.get('/hello', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(HELLO_BODY))
  return app
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: { port: { type: 'string' }, host: { type: 'string' }, 'log-level': { type: 'string' } },
  })
  const port = Number(values.port ?? '0')
  const host = values.host ?? '127.0.0.1'
  const logLevel = values['log-level'] ?? 'info'
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected 0..65535, got ${values.port}`)
  if (!LOG_LEVELS.has(logLevel)) throw new Error(`--log-level: unknown level ${logLevel}`)

  const app = buildBareServer(logLevel)
  const url = await app.listen({ host, port })
  process.stdout.write(`bare Fastify listening on ${url}\n`)
  const stop = (): void => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-bare-server: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
