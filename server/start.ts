import { buildApp } from './app.js'
import { resolveOptions, type MockStorefrontOptions } from './options.js'
import { storefrontHandle, type RunningMockStorefront } from './storefront-handle.js'

export type { RunningMockStorefront } from './storefront-handle.js'

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
  return storefrontHandle(app, `http://${urlHost}:${actualPort}`, actualPort)
}
