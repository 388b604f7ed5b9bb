#!/usr/bin/env node
import { banner } from './banner.js'
import { helpText, parseCli } from './cli-flags.js'
import { FixtureError, MockError } from './errors.js'
import type { startMockStorefront } from './start-mock-storefront.js'

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
    fail(1, startFailure(error))
  }
  process.stdout.write(banner(storefront.url, storefront.app.mock, storefront.app.mockOptions))

  let closing = false
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return
    closing = true
    storefront.app.log.info({ signal }, 'shutting down')
    storefront.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

function startFailure(error: unknown): string {
  if (error instanceof FixtureError) return `bigcommerce-mock: the fixtures cannot be used:\n${error.message}`
  if (error instanceof MockError) return `bigcommerce-mock: ${error.message}`
  return `bigcommerce-mock: could not start: ${(error as Error).message}`
}

function fail(exitCode: number, message: string): never {
  process.stderr.write(message + '\n')
  process.exit(exitCode)
}

await main()
