import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { BARE_SERVER, MOCK_CLI, PACKAGE_ROOT } from './paths.js'

/** Which server: the mock's CLI, or the bare Fastify baseline. */
export type ServerKind = 'mock' | 'bare'

/** How it is started: `node FILE` directly, or through its npm script (`npm run mock`, `npm run bench:bare`). */
export type Launcher = 'node' | 'npm'

/** The npm script that starts each kind (package.json). */
const NPM_SCRIPT: Record<ServerKind, string> = { mock: 'mock', bare: 'bench:bare' }

/** A server process the benchmark started on 127.0.0.1, answering. */
export interface Server {
  kind: ServerKind
  /** `http://127.0.0.1:PORT`, as its output's `listening on` line gives it. */
  url: string
  pid: number
  /** From spawn to the first 200 on {@link READY_PATH}, ms. */
  startupMs: number
  /** Resident set size now, bytes (`VmRSS` of `/proc/PID/status`); NaN without procfs. */
  rssBytes(): number
  /** CPU time (user + system) used so far, ms (`/proc/PID/stat`); NaN without procfs. */
  cpuMs(): number
  /** SIGTERM, then SIGKILL after a grace period; resolves once it has exited. */
  stop(): Promise<void>
}

/** The path each kind answers 200 on once it is ready: the login form, and the bare route. */
const READY_PATH: Record<ServerKind, string> = { mock: '/login.php', bare: '/hello' }

const children = new Set<ChildProcess>()
/** Children spawned in a process group of their own (through npm). */
const groupLeaders = new WeakSet<ChildProcess>()
const tempDirs = new Set<string>()
const LISTENING = / listening on (http:\/\/\S+)/
// Variables the mock's CLI reads, and Node's compile cache switches (Node would turn the cache on
// for the baseline too): a developer's shell must not change what is measured.
const MOCK_ENV = /^(BC_MOCK_|PORT$|NODE_COMPILE_CACHE$|NODE_DISABLE_COMPILE_CACHE$)/
const STOP_GRACE_MS = 3000

/**
 * Spawn `node dist/bin/cli.js --port 0 ...args` (or the bare baseline with the same flags; or,
 * with `launcher` npm, their npm scripts with those flags), read its URL from the first output
 * line that says `listening on http://...`, and wait for one 200 on its {@link READY_PATH}.
 * Throws, with the child's output, if it exits or times out first. `extraEnv` is set on top of
 * the environment the filter leaves.
 */
export async function startServer(
  kind: ServerKind,
  args: readonly string[] = [],
  timeoutMs = 20_000,
  extraEnv: Record<string, string> = {},
  launcher: Launcher = 'node',
): Promise<Server> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !MOCK_ENV.test(name))), ...extraEnv }
  const startedAt = performance.now()
  const flags = ['--port', '0', ...args]
  // Through npm, the server runs in npm's own process group: stopping it signals the whole group.
  const child =
    launcher === 'npm'
      ? spawn('npm', ['run', '--silent', NPM_SCRIPT[kind], '--', ...flags], {
          cwd: PACKAGE_ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        })
      : spawn(process.execPath, [kind === 'mock' ? MOCK_CLI : BARE_SERVER, ...flags], {
          cwd: PACKAGE_ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
  children.add(child)
  if (launcher === 'npm') groupLeaders.add(child)
  let output = ''
  const keep = (text: string): void => void (output = (output + text).slice(-4096))
  child.stderr.on('data', (chunk: Buffer) => keep(chunk.toString('utf8')))
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve(void children.delete(child))))
  const stop = (): Promise<void> => terminate(child, exited)
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" line within ${timeoutMs} ms`)), timeoutMs)
      createInterface({ input: child.stdout }).on('line', (line) => {
        keep(line + '\n')
        const found = LISTENING.exec(line)?.[1]
        if (found) {
          clearTimeout(timer)
          resolve(found)
        }
      })
      child.once('error', reject)
      void exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`exited (${child.signalCode ?? child.exitCode}) before listening`))
      })
    })
    const status = await firstStatus(url + READY_PATH[kind])
    if (status !== 200) throw new Error(`GET ${READY_PATH[kind]} answered ${status}, expected 200`)
    const pid = child.pid ?? Number.NaN
    return { kind, url, pid, startupMs: performance.now() - startedAt, rssBytes: () => rssBytes(pid), cpuMs: () => cpuMs(pid), stop }
  } catch (error) {
    await stop()
    throw new Error(`${kind} server: ${error instanceof Error ? error.message : String(error)}\n${output}`, { cause: error })
  }
}

// One GET on a fresh connection; resolves to the status as soon as the answer's head arrives.
function firstStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: 10_000 }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.once('timeout', () => request.destroy(new Error(`no answer from ${url}`)))
    request.once('error', reject)
  })
}

function procfs(pid: number, file: 'status' | 'stat'): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

function rssBytes(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(procfs(pid, 'status') ?? '')?.[1]
  return kib === undefined ? Number.NaN : Number(kib) * 1024
}

function cpuMs(pid: number): number {
  // utime and stime are fields 14 and 15, counted in USER_HZ (100 per second) ticks.
  const stat = procfs(pid, 'stat') ?? ''
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** A new temporary folder, removed by {@link removeTempDir} or, at the latest, when the benchmark exits. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

/** Remove a folder {@link makeTempDir} made. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  tempDirs.delete(dir)
}

// Signal a server: through npm, its whole process group, so that the node process npm started goes too.
function signalServer(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (groupLeaders.has(child) && child.pid !== undefined) process.kill(-child.pid, name)
    else child.kill(name)
  } catch {
    // Exited already.
  }
}

// SIGTERM, then SIGKILL after the grace period; resolves once `closed` has.
async function terminate(child: ChildProcess, closed: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return void (await closed)
  signalServer(child, 'SIGTERM')
  const timer = setTimeout(() => signalServer(child, 'SIGKILL'), STOP_GRACE_MS)
  await closed
  clearTimeout(timer)
}

/** Stop every server still running; resolves once all have exited. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => terminate(child, new Promise((resolve) => child.once('close', resolve)))))
}

/**
 * Make sure no server outlives the benchmark and no temporary file stays behind: on exit, kill
 * what still runs and remove the temporary folders; on SIGINT or SIGTERM, stop the servers first.
 */
export function cleanUpOnExit(): void {
  process.on('exit', () => {
    for (const child of children) signalServer(child, 'SIGKILL')
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)))
  }
}
