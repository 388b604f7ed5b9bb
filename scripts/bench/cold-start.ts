import type { ChildProcesses } from './children.js'
import { freePort, HOST, waitForOk } from './http-probe.js'
import { READY_PATH, spawnServer, type ServerKind } from './servers.js'

/** Options of {@link measureColdStarts}. */
export interface ColdStartOptions {
  /** Measured starts per server (one more, unrecorded, warms the file cache first). */
  runs: number
  /** Pause between readiness polls, ms. */
  pollMs: number
  /** Called after each measured start, for progress output. */
  onRun?: (kind: ServerKind, run: number, ms: number) => void
}

/** Cold-start times, ms, in the order measured. */
export interface ColdStartTimes {
  /** The fixed port every start listened on. */
  port: number
  mock: number[]
  bare: number[]
}

/**
 * Time from `spawn()` to the first 200 answer, for the mock (`node dist/server/cli.js --port P`,
 * probed on `GET /login.php`) and for the bare Fastify server (probed on `GET /hello`), both at
 * their default log level, alternating mock and bare on one fixed port. Each process is stopped,
 * and has exited, before the next starts.
 */
export async function measureColdStarts(children: ChildProcesses, options: ColdStartOptions): Promise<ColdStartTimes> {
  const port = await freePort()
  const times: ColdStartTimes = { port, mock: [], bare: [] }
  const kinds: ServerKind[] = ['mock', 'bare']
  for (let run = 0; run <= options.runs; run++) {
    for (const kind of kinds) {
      const ms = await coldStart(children, kind, port, options.pollMs)
      if (run === 0) continue // warm-up: file cache, not counted
      times[kind].push(ms)
      options.onRun?.(kind, run, ms)
    }
  }
  return times
}

async function coldStart(children: ChildProcesses, kind: ServerKind, port: number, pollMs: number): Promise<number> {
  const startedAt = performance.now()
  const child = spawnServer(children, kind, port)
  try {
    const answeredAt = await waitForOk(`http://${HOST}:${port}${READY_PATH[kind]}`, { child, pollMs, timeoutMs: 20_000 })
    return answeredAt - startedAt
  } finally {
    await child.stop()
  }
}
