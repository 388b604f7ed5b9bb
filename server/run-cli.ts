import { fstatSync, readFileSync } from 'node:fs'
import { Socket } from 'node:net'
import { Writable } from 'node:stream'
import { banner } from './banner.js'
import { helpText, invokedAs, parseCli } from './cli-flags.js'
import { FixtureError, MockError } from './errors.js'
import { unsupportedNodeWarning } from './node-support.js'
import { DEFAULTS } from './options/mock-storefront-options.js'
import { packagePath } from './package-root.js'

/** The process ends this long after SIGINT/SIGTERM at the latest, whatever its sockets are doing. */
const SHUTDOWN_BOUND_MS = 900

/**
 * The `npm run mock` entry point: a thin shell over `startMockStorefront`. Exit codes: 2
 * for a bad flag or value, 1 for fixtures that cannot be used or a port that cannot be had.
 */
async function main(): Promise<void> {
  // One line, then on: the mock may well run there, but no test has run it there.
  const nodeWarning = unsupportedNodeWarning()
  if (nodeWarning !== undefined) process.stderr.write(nodeWarning + '\n')
  let request
  try {
    request = parseCli(process.argv.slice(2), process.env)
  } catch (error) {
    fail(2, `bigcommerce-mock: ${(error as Error).message}`)
  }
  if (request.help) {
    process.stdout.write(helpText(invokedAs(process.env)))
    return
  }
  if (request.version) {
    process.stdout.write(`${packageVersion()}\n`)
    return
  }

  // Pretty lines for a person at a terminal, JSON lines for anything reading a pipe or file.
  const logFormat = request.output.logFormat ?? (process.stdout.isTTY ? 'pretty' : DEFAULTS.logFormat)
  // --ready-json: the ready line comes first on stdout, so log lines written while starting wait.
  const held = request.output.readyJson ? new HeldOutput() : undefined
  // Each value is checked once, here, by the API's own rules; the errors name the flag or variable.
  const { resolveOptions } = await import('./options/resolve.js')
  let options
  try {
    options = resolveOptions(
      { ...request.options, logFormat, ...(held && { logStream: held }) },
      { labels: request.labels, faultTexts: request.faultTexts },
    )
  } catch (error) {
    fail(2, `bigcommerce-mock: ${(error as Error).message}`)
  }
  let storefront
  try {
    // Loaded only now, so --help and flag errors answer without loading the server.
    const { startResolved } = await import('./start-mock-storefront.js')
    storefront = await startResolved(options)
  } catch (error) {
    held?.release()
    fail(1, startFailure(error))
  }
  // The first signal closes (idle sockets at once, requests in flight after a short grace, see
  // SERVER_TIMEOUTS) and exits 0; a second one, or a close that overruns its bound, exits at once.
  // The end of a piped standard input closes as a SIGTERM does, but never counts as a second signal.
  let closing = false
  const shutDown = (cause: { signal: NodeJS.Signals } | { stdin: 'ended' }) => {
    closing = true
    storefront.app.log.info(cause, 'shutting down')
    setTimeout(() => exit(0), SHUTDOWN_BOUND_MS).unref()
    storefront.close().then(
      () => exit(0),
      () => exit(1),
    )
  }
  const stop = (signal: NodeJS.Signals) => {
    if (closing) exit(signal === 'SIGINT' ? 130 : 143)
    shutDown({ signal })
  }
  // process.exit waits for the threads Node owns (worker threads, libuv's file system pool) and
  // no JavaScript runs meanwhile, so a thread stuck in a system call would hold it for ever and
  // make every later signal a no-op. Without these listeners a further signal takes its default
  // action, which ends the process whatever its threads are doing.
  const exit = (code: number): never => {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    process.exit(code)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  onStdinEnd(() => {
    if (!closing) shutDown({ stdin: 'ended' })
  })

  // Only now: whoever reads the ready line or the banner may signal at once, and must find the handlers.
  if (held) {
    const state = storefront.app.mock
    const tls = storefront.tls && { cert_file: storefront.tls.certFile ?? null, fingerprint256: storefront.tls.fingerprint256 }
    const ready = {
      url: storefront.url,
      port: storefront.port,
      host: options.host,
      pid: process.pid,
      store_hash: state.storeHash,
      app_client_ids: state.allApps().map((app) => app.clientId),
      ...tls,
    }
    process.stdout.write(`${JSON.stringify(ready)}\n`)
    held.release()
  }
  process.stdout.write(banner(storefront.url, storefront.app.mock, storefront.app.mockOptions, storefront.tls))
}

/**
 * Call `ended` when standard input is a pipe or a socket and its other end is closed: the
 * program that started the mock with a pipe it never writes to holds that end until it exits,
 * however it exits (SIGKILL too), and launchers between them (`npx`, `npm exec`, `npm run`)
 * pass the pipe on, where watching the parent would only see the launcher. A terminal,
 * /dev/null or a file is left unread: those never say anything about the parent. What arrives
 * on the pipe is read and dropped, a chunk at a time.
 */
function onStdinEnd(ended: () => void): void {
  let stats
  try {
    stats = fstatSync(0)
  } catch {
    return // no standard input at all (closed before the start)
  }
  if (!stats.isFIFO() && !stats.isSocket()) return
  const stdin = process.stdin
  // Node reads pipes and stream sockets through a socket; a datagram socket gets a stand-in that is empty.
  if (!(stdin instanceof Socket)) return
  // An error (ECONNRESET on a socket) means the other end is gone as surely as the end does.
  stdin.once('end', ended).on('error', ended)
  stdin.resume()
  // The pipe alone does not keep the process running: the server does.
  stdin.unref()
}

function startFailure(error: unknown): string {
  if (error instanceof FixtureError) return `bigcommerce-mock: the fixtures cannot be used:\n${error.message}`
  if (error instanceof MockError) return `bigcommerce-mock: ${error.message}`
  return `bigcommerce-mock: could not start: ${(error as Error).message}`
}

/** This package's version, from its package.json. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown }
  return String(manifest.version)
}

/** Standard output that holds what is written to it until {@link release}, then passes it straight on. */
class HeldOutput extends Writable {
  #held: Buffer[] | undefined = []

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#held) this.#held.push(chunk)
    else process.stdout.write(chunk)
    callback()
  }

  release(): void {
    const held = this.#held ?? []
    this.#held = undefined
    for (const chunk of held) process.stdout.write(chunk)
  }
}

function fail(exitCode: number, message: string): never {
  process.stderr.write(message + '\n')
  process.exit(exitCode)
}

await main()
