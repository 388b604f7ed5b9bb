import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Test } from 'tap'
import { CliProcess, cleanEnv, ROOT } from './cli.js'

/** The example app backend's entry point. */
export const APP_BACKEND = join(ROOT, 'examples', 'app-backend', 'server.mjs')

/** A running example app backend: its base URL and its process (output so far). */
export interface RunningAppBackend {
  url: string
  process: CliProcess
}

/**
 * Start `node examples/app-backend/server.mjs` as its own process on a free port, with
 * `env` (CLIENT_ID, CLIENT_SECRET, ALLOWED_ORIGINS...); killed when the test ends.
 */
export async function spawnAppBackend(t: Test, env: Record<string, string>, timeoutMs = 10_000): Promise<RunningAppBackend> {
  const child = spawn(process.execPath, [APP_BACKEND], {
    cwd: ROOT,
    env: cleanEnv({ PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const backend = new CliProcess(child)
  t.teardown(async () => {
    if (backend.exit) return
    child.kill('SIGTERM')
    if (!(await backend.waitForExit(3000))) child.kill('SIGKILL')
  })
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const match = /app backend listening on (http:\/\/\S+)/.exec(backend.stdout)
    if (match?.[1]) return { url: match[1], process: backend }
    if (backend.exit)
      throw new Error(
        `the app backend exited (${JSON.stringify(backend.exit)}) before listening.\nstdout: ${backend.stdout}\nstderr: ${backend.stderr}`,
      )
    if (Date.now() > deadline)
      throw new Error(`the app backend did not listen within ${timeoutMs} ms.\nstdout: ${backend.stdout}\nstderr: ${backend.stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
