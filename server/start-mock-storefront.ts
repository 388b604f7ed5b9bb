import { composeApp } from './build-app.js'
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
  const resolved = resolveOptions(options)
  const app = composeApp(resolved)
  try {
    await app.listen({ host: resolved.host, port: resolved.port })
  } catch (error) {
    await app.close()
    throw error
  }
  const address = app.server.address()
  const actualPort = typeof address === 'object' && address ? address.port : resolved.port
  const urlHost = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host === '0.0.0.0' ? '127.0.0.1' : resolved.host
  return storefrontHandle(app, `http://${urlHost}:${actualPort}`, actualPort)
}
