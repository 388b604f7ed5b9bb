#!/usr/bin/env node
import { banner } from './banner.js'
import { helpText, parseCli } from './cli-flags.js'
import { FixtureError, MockError } from './errors.js'
import type { startMockStorefront } from './start-mock-storefront.js'

/** The process ends this long after SIGINT/SIGTERM at the latest, whatever its sockets are doing. */
const SHUTDOWN_BOUND_MS = 900

/**
 * The `npm run mock` entry point: a thin shell over {@link startMockStorefront}. Exit codes: 2
 * for a bad flag or value, 1 for fixtures that cannot be used or a port that cannot be had.
 */
async function main(): Promise<void> {
  let request
  try {
    request = parseCli(process.argv.slice(2), process.env)
  } catch (error) {
    fail(2, `bigcommerce-mock: ${(error as Error).message}`)
  }
  if (request.help) {
    process.stdout.write(helpText())
    return
  }

  const options = request.options
  let storefront
  try {
    // Loaded only now, so --help and flag errors answer without loading the server.
    const { startMockStorefront: start } = await import('./start-mock-storefront.js')
    storefront = await start(options)
  } catch (error) {
    fail(1, startFailure(error, options.host ?? '127.0.0.1', options.port ?? 0))
  }
  process.stdout.write(banner(storefront.url, storefront.app.mock, storefront.app.mockOptions))

  // The first signal closes (idle sockets at once, requests in flight after a short grace, see
  // SERVER_TIMEOUTS) and exits 0; a second one, or a close that overruns its bound, exits at once.
  let closing = false
  const stop = (signal: NodeJS.Signals) => {
    if (closing) process.exit(signal === 'SIGINT' ? 130 : 143)
    closing = true
    storefront.app.log.info({ signal }, 'shutting down')
    setTimeout(() => process.exit(0), SHUTDOWN_BOUND_MS).unref()
    storefront.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

function startFailure(error: unknown, host: string, port: number): string {
  if (error instanceof FixtureError) return `bigcommerce-mock: the fixtures cannot be used:\n${error.message}`
  if (error instanceof MockError) return `bigcommerce-mock: ${error.message}`
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') return `bigcommerce-mock: port ${port} on ${host} is already in use; stop what holds it, choose another with --port, or use --port 0 for a free one.`
  if (code === 'EACCES') return `bigcommerce-mock: not allowed to listen on ${host}:${port}; choose a port above 1023 or --port 0.`
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `bigcommerce-mock: cannot listen on host ${host}: no such local address (--host).`
  return `bigcommerce-mock: could not start: ${(error as Error).message}`
}

function fail(exitCode: number, message: string): never {
  process.stderr.write(message + '\n')
  process.exit(exitCode)
}

await main()
