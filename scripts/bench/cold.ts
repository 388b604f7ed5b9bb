import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { compileCacheDirectory } from '../../server/files/cache-directory.js'
import { startServer, type ServerKind } from './children.js'
import { median, num, ratio, table } from './figures.js'
import { int } from './knobs.js'
import { target, type Log, type Section } from './section.js'

/** What is started: the CLI as it runs (its compile cache on), the CLI without it, and the bare baseline. */
const VARIANTS = [
  { name: 'mock', kind: 'mock', env: {}, label: 'npm run mock' },
  { name: 'mockNoCache', kind: 'mock', env: { NODE_DISABLE_COMPILE_CACHE: '1' }, label: 'npm run mock, no compile cache' },
  { name: 'bare', kind: 'bare', env: {}, label: 'bare Fastify' },
] as const satisfies readonly { name: string; kind: ServerKind; env: Record<string, string>; label: string }[]
type Variant = (typeof VARIANTS)[number]['name']

/**
 * Cold start: spawn of the mock's CLI (`node dist/server/cli.js --port 0`) to its first 200 on
 * `GET /login.php`, beside the bare Fastify baseline's to its first 200 on `GET /hello`, both at
 * their default log level. The CLI runs as a developer's does: with its compile cache, which it
 * keeps only in the user's private cache directory (`server/files/cache-directory.ts`; the report
 * names it), and once more without it (`NODE_DISABLE_COMPILE_CACHE=1`) to show what the cache
 * saves. Starts alternate the three, each process stopped before the next starts, after one
 * unrecorded start of each (the file cache, and the compile cache filled). Target: the mock's
 * median (with its cache) at most 1.5x the bare one's. Knob: `BENCH_COLD_RUNS` (7, at least 5).
 */
export const cold: Section = {
  name: 'cold',
  prepare() {
    const settings = { runs: int('BENCH_COLD_RUNS', 7, 5) }
    const run = async (log: Log) => {
      // Where the CLI keeps its compile cache (the same check it makes): named in the report.
      const cache = compileCacheDirectory()
      const runsMs: Record<Variant, number[]> = { mock: [], mockNoCache: [], bare: [] }
      for (let run = 0; run <= settings.runs; run++) {
        for (const variant of VARIANTS) {
          const server = await startServer(variant.kind, [], 20_000, variant.env)
          await server.stop()
          if (run === 0) continue
          runsMs[variant.name].push(server.startupMs)
          log(`cold start ${variant.name} run ${run}: ${server.startupMs.toFixed(1)} ms`)
        }
      }
      const medianMs = Object.fromEntries(VARIANTS.map(({ name }) => [name, median(runsMs[name])])) as Record<Variant, number>
      const cacheFiles = 'dir' in cache ? countFiles(cache.dir) : 0
      const row = ({ name, label }: (typeof VARIANTS)[number]): string[] => [
        label,
        num(medianMs[name], 1),
        num(Math.min(...runsMs[name]), 1),
        num(Math.max(...runsMs[name]), 1),
        runsMs[name].map((ms) => ms.toFixed(0)).join(' '),
      ]
      const report = [
        `COLD START  spawn -> URL read from its first "listening on" line -> first 200; ${settings.runs} runs each, alternating, after 1 unrecorded start each; default log level (info)`,
        table(
          ['', 'median ms', 'min ms', 'max ms', 'runs (ms)'],
          [
            ...VARIANTS.map(row),
            null,
            ['mock / bare', ratio(medianMs.mock / medianMs.bare)],
            ['mock without its compile cache / bare', ratio(medianMs.mockNoCache / medianMs.bare)],
            ['the compile cache saves', `${num(medianMs.mockNoCache - medianMs.mock, 1)} ms`],
          ],
        ),
        '  npm run mock = node dist/server/cli.js --port 0  ->  GET /login.php',
        '  bare Fastify = node dist/scripts/bench-bare-server.js --port 0  ->  GET /hello (no compile cache: Node turns it on only when asked)',
        'dir' in cache
          ? `  compile cache: ${cache.dir} (private: 0700, this user's, checked as the CLI checks it; ${cacheFiles} files after the runs)`
          : `  compile cache: off, so both mock rows start without it (${cache.problem})`,
      ].join('\n')
      const targets = [
        target('cold start mock / bare Fastify (medians)', medianMs.mock / medianMs.bare, '<=', 1.5, (value) => ratio(value, 3)),
      ]
      const results = {
        runsMs,
        medianMs,
        ratio: medianMs.mock / medianMs.bare,
        ratioWithoutCompileCache: medianMs.mockNoCache / medianMs.bare,
        compileCache: 'dir' in cache ? { dir: cache.dir, files: cacheFiles } : { off: cache.problem },
      }
      return { results, report, targets, problems: [] }
    }
    return { settings, run }
  },
}

function countFiles(dir: string): number {
  try {
    return readdirSync(dir, { withFileTypes: true }).reduce(
      (count, entry) => count + (entry.isDirectory() ? countFiles(join(dir, entry.name)) : 1),
      0,
    )
  } catch {
    return 0
  }
}
