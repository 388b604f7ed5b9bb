import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { parseCli, type CliRequest } from '../../server/cli-flags.js'
import type { MockStorefrontOptions } from '../../server/options/mock-storefront-options.js'
import { resolveOptions } from '../../server/options/resolve.js'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The bin as the package ships it (package.json `bin`): the bundle `npm run build` makes. */
export const CLI = join(ROOT, 'dist', 'bin', 'cli.js')

/** Build dist/ when it is missing (`npm test` builds before tap; a lone `npx tap` may not have). */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0) throw new Error('npm run build failed')
}

/** The environment without any of the mock's variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BC_MOCK_') && key !== 'PORT') env[key] = value
  return { ...env, ...extra }
}

/** A CLI process: its output so far, how it ended, and ways to wait for either. */
export class CliProcess {
  stdout = ''
  stderr = ''
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk))
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk))
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal }
        // let the last output chunks arrive
        setImmediate(() => resolve({ code, signal }))
      })
    })
  }

  /** Wait until stdout shows the banner; answers the URL it prints. */
  async url(timeoutMs = 10_000): Promise<string> {
    return (await this.waitForStdout(/listening on (http:\/\/\S+)/, timeoutMs, 'its banner'))[1]!
  }

  /** Wait until stdout matches `pattern`; answers the match. Throws when the CLI exits first or `timeoutMs` passes. */
  async waitForStdout(pattern: RegExp, timeoutMs = 10_000, what = String(pattern)): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const match = pattern.exec(this.stdout)
      if (match) return match
      if (this.exit)
        throw new Error(`the CLI exited (${JSON.stringify(this.exit)}) before ${what}.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`)
      if (Date.now() > deadline) throw new Error(`no ${what} after ${timeoutMs} ms.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /** Wait for the exit, at most `timeoutMs`; answers the exit or undefined when still running. */
  async waitForExit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)))
    const result = await Promise.race([this.exited, timeout])
    clearTimeout(timer)
    return result
  }
}

// The process is killed, if still running, when the test ends.
function killedAtTeardown(t: Test, cli: CliProcess): CliProcess {
  t.teardown(async () => {
    if (cli.exit) return
    cli.child.kill('SIGKILL')
    await cli.exited
  })
  return cli
}

/** Spawn `node dist/bin/cli.js ...args` (in `cwd`, default the project); the process is killed when the test ends. */
export function spawnCli(t: Test, args: string[], env: Record<string, string> = {}, cwd = ROOT): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  return killedAtTeardown(t, new CliProcess(child))
}

/**
 * {@link spawnCli} as a user runs it, without the process tracking tap adds to the NODE_OPTIONS of
 * every child: that tracking handles SIGINT and SIGTERM itself (masking how the CLI alone reacts
 * to a signal) and writes under `.tap/` as the child's user. `prefix` comes first (e.g. setpriv,
 * to run as another user), `nodeArgs` go to node before the CLI.
 */
export function spawnCliUntracked(
  t: Test,
  args: string[],
  { prefix = [], nodeArgs = [] }: { prefix?: string[]; nodeArgs?: string[] } = {},
): CliProcess {
  const command = [...prefix, 'env', '-u', 'NODE_OPTIONS', process.execPath, ...nodeArgs, CLI, ...args]
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  return killedAtTeardown(t, new CliProcess(child))
}

/** Run the CLI to completion (killed after `timeoutMs`). */
export async function runCli(
  t: Test,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const cli = spawnCli(t, args, env)
  const exit = await cli.waitForExit(timeoutMs)
  if (!exit)
    throw new Error(
      `the CLI (${args.join(' ')}; ${JSON.stringify(env)}) did not exit within ${timeoutMs} ms.\nstdout: ${cli.stdout}\nstderr: ${cli.stderr}`,
    )
  return { ...exit, stdout: cli.stdout, stderr: cli.stderr }
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = await listenOn(0)
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A plain TCP server on 127.0.0.1:port. */
export function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

/** Whether something accepts connections on 127.0.0.1:port. */
export async function isListening(port: number): Promise<boolean> {
  try {
    const server = await listenOn(port)
    await new Promise<void>((resolve) => server.close(() => resolve()))
    return false
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return true
    throw error
  }
}

/**
 * {@link parseCli} as the CLI then checks its values: each option given, resolved as
 * `resolveOptions` resolves it with the labels the command line gave (so an error names the flag
 * or variable); options not given stay absent, as the command line left them.
 */
export function parseCliChecked(argv: string[], env: NodeJS.ProcessEnv): CliRequest {
  const request = parseCli(argv, env)
  if (request.help || request.version) return request
  const resolved: Record<string, unknown> = {
    ...resolveOptions(request.options, { labels: request.labels, faultTexts: request.faultTexts }),
  }
  const options = Object.fromEntries(Object.keys(request.options).map((name) => [name, resolved[name]])) as MockStorefrontOptions
  return { ...request, options }
}
