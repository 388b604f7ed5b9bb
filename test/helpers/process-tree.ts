// Processes as the kernel sees them (Linux /proc): a process and everything it started, whether
// each is still alive, and whether a port still takes connections. For tests that kill a process
// some levels up and check that nothing below it outlives it.
import { readdirSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'

/** A process's parent and state letter from /proc/PID/stat; undefined once it is gone. */
function stat(pid: number): { ppid: number; state: string } | undefined {
  let text
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so split after the last ')'.
  const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { ppid: Number(ppid), state: state! }
}

/** The parent of `pid`, or undefined when it is gone. */
export function parentOf(pid: number): number | undefined {
  return stat(pid)?.ppid
}

/** `pid` and every process below it (children, their children, ...), `pid` first. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const ppid = stat(Number(name))?.ppid
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
  }
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []))
  return tree
}

/** Whether `pid` runs (a zombie, dead but not yet reaped by its parent, does not). */
export function isAlive(pid: number): boolean {
  const state = stat(pid)?.state
  return state !== undefined && state !== 'Z' && state !== 'X'
}

/** Wait until none of `pids` runs; answers those still running after `timeoutMs`. */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const alive = pids.filter(isAlive)
    if (alive.length === 0 || Date.now() > deadline) return alive
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Wait `ms`, then answer which of `pids` still run. */
export async function aliveAfter(pids: readonly number[], ms: number): Promise<number[]> {
  await new Promise((resolve) => setTimeout(resolve, ms))
  return pids.filter(isAlive)
}

/** SIGKILL to each of `pids` that still runs (a test's teardown). */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    if (!isAlive(pid)) continue
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
}

/** How a TCP connection to 127.0.0.1:port goes: `accepted`, `refused` (nothing listens there), `timed out` or another error's code. */
export function connectTo(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.setTimeout(2000, () => {
      socket.destroy()
      resolve('timed out')
    })
    socket.once('connect', () => {
      socket.destroy()
      resolve('accepted')
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : String(error.code)))
  })
}
