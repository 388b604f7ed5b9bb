import { composeApp } from './build-app.js'
import { ERRORS } from './errors.js'
import { warnOnPlainHttp } from './http/plain-http-warning.js'
import { resolveTlsCertificate } from './http/tls-certificate.js'
import type { MockStorefrontOptions } from './options/mock-storefront-options.js'
import { resolveOptions, type ResolvedOptions } from './options/resolve.js'
import { storefrontHandle, type RunningMockStorefront, type ServedCertificate } from './storefront-handle.js'

/**
 * Build the mock storefront and listen. Port 0 (the default here) picks a free port, so many
 * tests can each start their own. With `https`, it serves TLS on that port (see
 * {@link MockStorefrontOptions.https}) and `url` starts with `https://`.
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
  return startResolved(resolveOptions(options))
}

/** {@link startMockStorefront} for options already resolved (the CLI resolves them first, so a bad value is a flag error). */
export async function startResolved(resolved: ResolvedOptions): Promise<RunningMockStorefront> {
  // Before anything listens: a given pair was checked by resolveOptions, a generated one is made (or reused) here.
  const certificate = resolved.tls ? await resolveTlsCertificate(resolved.tls) : undefined
  const app = composeApp(resolved, certificate && { tls: certificate })
  if (certificate?.notKept)
    app.log.warn({ cause: 'certificate_not_kept' }, `the generated certificate is used for this run only: ${certificate.notKept}`)
  try {
    await app.listen({ host: resolved.host, port: resolved.port })
  } catch (error) {
    await app.close()
    throw listenFailure(error, resolved.host, resolved.port)
  }
  const address = app.server.address()
  const actualPort = typeof address === 'object' && address ? address.port : resolved.port
  const urlHost = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host === '0.0.0.0' ? '127.0.0.1' : resolved.host
  // The handle shows everything about the certificate but its private key.
  let served: ServedCertificate | undefined
  if (certificate) {
    const { key: _key, ...rest } = certificate
    served = rest
  }
  const url = `${resolved.https ? 'https' : 'http'}://${urlHost}:${actualPort}`
  if (resolved.https) warnOnPlainHttp(app, url)
  return storefrontHandle(app, url, actualPort, served)
}

// The socket errors a developer can fix, as catalogue errors with the advice the CLI prints.
function listenFailure(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') return ERRORS.portInUse(host, port)
  if (code === 'EACCES') return ERRORS.portNotAllowed(host, port)
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return ERRORS.hostNotLocal(host)
  return error
}
