import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { resolveOptions, type MockStorefrontOptions } from './options.js'

/** A running mock storefront, as {@link startMockStorefront} resolves it. */
export interface RunningMockStorefront {
  /** Base URL, e.g. `http://127.0.0.1:43127`. */
  url: string
  /** The port it listens on (the real one when 0 was asked for). */
  port: number
  /** The Fastify instance, for `inject()` and the state behind `app.mock`. */
  app: FastifyInstance
  /** Stop listening and release every handle. */
  close(): Promise<void>
}

/**
 * Build the mock storefront and listen. Port 0 (the default here) picks a free port, so many
 * tests can each start their own.
 *
 * @example
 * ```ts
 * import { startMockStorefront } from 'bigcommerce-mock-storefront'
 *
 * const storefront = await startMockStorefront({ fixtures: 'test/fixtures/store.yaml' })
 * const page = await fetch(`${storefront.url}/login.php`)
 * await storefront.close()
 * ```
 */
export async function startMockStorefront(options: MockStorefrontOptions = {}): Promise<RunningMockStorefront> {
  const { host, port } = resolveOptions(options)
  const app = buildApp(options)
  try {
    await app.listen({ host, port })
  } catch (error) {
    await app.close()
    throw error
  }
  const address = app.server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
  return { url: `http://${urlHost}:${actualPort}`, port: actualPort, app, close: () => app.close() }
}
