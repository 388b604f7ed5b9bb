import { startServer, type ServerKind } from './children.js'
import { median, num, ratio, table } from './figures.js'
import { int } from './knobs.js'
import { target, type Log, type Section } from './section.js'

/**
 * Cold start: spawn of the mock's CLI (`node dist/server/cli.js --port 0`) to its first 200 on
 * `GET /login.php`, beside the bare Fastify baseline's to its first 200 on `GET /hello`, both at
 * their default log level. Starts alternate mock and bare, each process stopped before the next
 * starts, after one unrecorded start of each (the file cache). Target: the mock's median at most
 * 1.5x the bare one's. Knob: `BENCH_COLD_RUNS` (7, at least 5).
 */
export const cold: Section = {
  name: 'cold',
  prepare() {
    const settings = { runs: int('BENCH_COLD_RUNS', 7, 5) }
    const run = async (log: Log) => {
      const runsMs: Record<ServerKind, number[]> = { mock: [], bare: [] }
      for (let run = 0; run <= settings.runs; run++) {
        for (const kind of ['mock', 'bare'] as const) {
          const server = await startServer(kind)
          await server.stop()
          if (run === 0) continue
          runsMs[kind].push(server.startupMs)
          log(`cold start ${kind} run ${run}: ${server.startupMs.toFixed(1)} ms`)
        }
      }
      const medianMs = { mock: median(runsMs.mock), bare: median(runsMs.bare) }
      const row = (label: string, kind: ServerKind): string[] => [label, num(medianMs[kind], 1), num(Math.min(...runsMs[kind]), 1), num(Math.max(...runsMs[kind]), 1), runsMs[kind].map((ms) => ms.toFixed(0)).join(' ')]
      const report = [
        `COLD START  spawn -> URL read from its first "listening on" line -> first 200; ${settings.runs} runs each, alternating, after 1 unrecorded start each; default log level (info)`,
        table(['', 'median ms', 'min ms', 'max ms', 'runs (ms)'], [row('npm run mock', 'mock'), row('bare Fastify', 'bare'), null, ['mock / bare', ratio(medianMs.mock / medianMs.bare)]]),
        '  npm run mock = node dist/server/cli.js --port 0  ->  GET /login.php',
        '  bare Fastify = node dist/scripts/bench-bare-server.js --port 0  ->  GET /hello',
      ].join('\n')
      const targets = [target('cold start mock / bare Fastify (medians)', medianMs.mock / medianMs.bare, '<=', 1.5, (value) => ratio(value, 3))]
      return { results: { runsMs, medianMs, ratio: medianMs.mock / medianMs.bare }, report, targets, problems: [] }
    }
    return { settings, run }
  },
}
