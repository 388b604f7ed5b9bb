import { spawn, type ChildProcess } from 'node:child_process'

/** How a child process ended. */
export interface ChildExit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** A Node.js child process the benchmark started and will stop. */
export interface ManagedChild {
  /** A name for messages, e.g. `mock`. */
  readonly label: string
  /** The process itself. */
  readonly process: ChildProcess
  /** Settles when the process has exited. */
  readonly exited: Promise<ChildExit>
  /** Whether the process has exited already. */
  hasExited(): boolean
  /** The last few KB of its stdout and stderr, for error messages. */
  output(): string
  /** SIGTERM, then SIGKILL if it has not exited within the grace period; resolves once it has exited. */
  stop(): Promise<ChildExit>
}

const OUTPUT_TAIL_BYTES = 4096
const STOP_GRACE_MS = 3000

// Variables the mock's CLI reads: a developer's shell must not change what is measured.
const MOCK_ENV = /^(BC_MOCK_|PORT$)/

/**
 * Every child process of a benchmark run, so that each one is stopped at the end, also when
 * the run fails or is interrupted.
 */
export class ChildProcesses {
  readonly #children = new Set<ManagedChild>()

  /**
   * Start `node <script> ...args` with the current Node.js binary.
   *
   * @param label - name used in messages.
   * @param script - absolute path of the script.
   * @param args - its arguments.
   * @param cwd - its working directory.
   */
  spawnNode(label: string, script: string, args: string[], cwd: string): ManagedChild {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !MOCK_ENV.test(name)))
    const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let tail = ''
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)

    let done = false
    const exited = new Promise<ChildExit>((resolve) => {
      child.once('exit', (code, signal) => {
        done = true
        resolve({ code, signal })
      })
      child.once('error', (error) => {
        keep(Buffer.from(`spawn failed: ${error.message}\n`))
        done = true
        resolve({ code: null, signal: null })
      })
    })
    const managed: ManagedChild = {
      label,
      process: child,
      exited,
      hasExited: () => done,
      output: () => tail,
      stop: async () => {
        if (!done) {
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
          await exited
          clearTimeout(timer)
        }
        this.#children.delete(managed)
        return exited
      },
    }
    this.#children.add(managed)
    return managed
  }

  /** Stop every child still running; resolves once all have exited. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((child) => child.stop()))
  }

  /** SIGKILL every child still running, synchronously: the last resort from a `process.on('exit')` handler. */
  killAllNow(): void {
    for (const child of this.#children) {
      if (!child.hasExited()) child.process.kill('SIGKILL')
    }
    this.#children.clear()
  }
}
