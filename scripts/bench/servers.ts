import type { ChildProcesses, ManagedChild } from './children.js'
import { freePort, HOST, waitForOk } from './http-probe.js'
import { BARE_SERVER, MOCK_CLI, PACKAGE_ROOT } from './paths.js'

/** Which of the two servers. */
export type ServerKind = 'mock' | 'bare'

/** A benchmark server process and where it answers. */
export interface RunningServer {
  kind: ServerKind
  /** Base URL, `http://127.0.0.1:<port>`. */
  baseUrl: string
  port: number
  child: ManagedChild
  /** From `spawn()` to the first 200 on the ready path, ms (polled every 10 ms unless told otherwise). */
  startupMs: number
}

/** Options of {@link startServer} beyond the log level. */
export interface StartOptions {
  /** More command-line arguments, e.g. `['--fixtures', path]`. */
  extraArgs?: readonly string[]
  /** Pause between readiness polls, ms (default 10). */
  pollMs?: number
  /** Give up when it has not answered 200 within this many ms (default 20,000). */
  timeoutMs?: number
}

/** The path each server is probed on to tell it is ready: the login form, and the bare route. */
export const READY_PATH: Record<ServerKind, string> = { mock: '/login.php', bare: '/hello' }

/**
 * Spawn one server: the mock as `node dist/server/cli.js --port P [--log-level L]`, or the bare
 * Fastify server with the same flags. Without a log level both use their default, `info`. Does
 * not wait for it.
 */
export function spawnServer(children: ChildProcesses, kind: ServerKind, port: number, logLevel?: string, extraArgs: readonly string[] = []): ManagedChild {
  const args = ['--port', String(port), ...(logLevel === undefined ? [] : ['--log-level', logLevel]), ...extraArgs]
  return kind === 'mock' ? children.spawnNode('mock (dist/server/cli.js)', MOCK_CLI, args, PACKAGE_ROOT) : children.spawnNode('bare Fastify (dist/scripts/bench-bare-server.js)', BARE_SERVER, args, PACKAGE_ROOT)
}

/**
 * Spawn a server on a free loopback port and wait until its ready path answers 200.
 *
 * @param logLevel - the same for both servers, so that they are compared like for like.
 */
export async function startServer(children: ChildProcesses, kind: ServerKind, logLevel: string, options: StartOptions = {}): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const startedAt = performance.now()
    const child = spawnServer(children, kind, port, logLevel, options.extraArgs)
    const baseUrl = `http://${HOST}:${port}`
    try {
      const answeredAt = await waitForOk(baseUrl + READY_PATH[kind], { child, pollMs: options.pollMs ?? 10, timeoutMs: options.timeoutMs ?? 20_000 })
      return { kind, baseUrl, port, child, startupMs: answeredAt - startedAt }
    } catch (error) {
      await child.stop()
      // Another process may take the port between freePort() and the child's listen(): try another.
      if (attempt >= START_ATTEMPTS || !/EADDRINUSE|already in use/i.test(child.output())) throw error
    }
  }
}

const START_ATTEMPTS = 3
