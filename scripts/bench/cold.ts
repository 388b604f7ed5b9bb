import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { compileCacheRoot } from '../../server/files/cache-directory.js'
import { startServer, type Launcher, type ServerKind } from './children.js'
import { median, num, ratio, table } from './figures.js'
import { int } from './knobs.js'
import { PACKAGE_ROOT } from './paths.js'
import { target, type Log, type Section } from './section.js'

/**
 * What is started: the bin as it runs (its compile cache on), the bin without the cache, and the
 * bare baseline, each with node directly; then the bin and the baseline through their npm
 * scripts, as `npm run mock` runs.
 */
const VARIANTS = [
  { name: 'bin', kind: 'mock', launcher: 'node', env: {}, label: 'bin: node dist/bin/cli.js' },
  { name: 'binNoCache', kind: 'mock', launcher: 'node', env: { NODE_DISABLE_COMPILE_CACHE: '1' }, label: 'bin, no compile cache' },
  { name: 'bare', kind: 'bare', launcher: 'node', env: {}, label: 'bare Fastify: node dist/scripts/bench-bare-server.js' },
  { name: 'npmMock', kind: 'mock', launcher: 'npm', env: {}, label: 'npm run mock' },
  { name: 'npmBare', kind: 'bare', launcher: 'npm', env: {}, label: 'bare Fastify: npm run bench:bare' },
] as const satisfies readonly { name: string; kind: ServerKind; launcher: Launcher; env: Record<string, string>; label: string }[]
type Variant = (typeof VARIANTS)[number]['name']

/**
 * Cold start: spawn to the first 200 (`GET /login.php` for the mock, `GET /hello` for the bare
 * Fastify baseline), both at their default log level: the mock's bin (`node dist/bin/cli.js
 * --port 0`, the bundle the package ships) beside the baseline started the same way (`node
 * dist/scripts/bench-bare-server.js --port 0`), and `npm run mock -- --port 0` beside the
 * baseline's npm script. The bin runs as a developer's does: with its compile cache, which it
 * keeps only in the user's private cache directory (`server/files/cache-directory.ts`; the report
 * names it), and once more without it (`NODE_DISABLE_COMPILE_CACHE=1`) to show what the cache
 * saves. Starts alternate the five, each process stopped before the next starts, after one
 * unrecorded start of each (the file cache, and the compile cache filled). Targets: the mock's
 * medians (with its cache) at most 1.2x the bare ones, directly and through npm. The report adds
 * the bundles' sizes and the packed tarball's file count and size. Knob: `BENCH_COLD_RUNS` (7, at
 * least 5).
 */
export const cold: Section = {
  name: 'cold',
  prepare() {
    const settings = { runs: int('BENCH_COLD_RUNS', 7, 5) }
    const run = async (log: Log) => {
      // Where the CLI keeps its compile cache, a folder per build (the same check it makes): named in the report.
      const cache = compileCacheRoot()
      const runsMs: Record<Variant, number[]> = { bin: [], binNoCache: [], bare: [], npmMock: [], npmBare: [] }
      for (let run = 0; run <= settings.runs; run++) {
        for (const variant of VARIANTS) {
          const server = await startServer(variant.kind, [], 20_000, variant.env, variant.launcher)
          await server.stop()
          if (run === 0) continue
          runsMs[variant.name].push(server.startupMs)
          log(`cold start ${variant.name} run ${run}: ${server.startupMs.toFixed(1)} ms`)
        }
      }
      const medianMs = Object.fromEntries(VARIANTS.map(({ name }) => [name, median(runsMs[name])])) as Record<Variant, number>
      const cacheFiles = 'dir' in cache ? countFiles(cache.dir) : 0
      const cacheBuilds = 'dir' in cache ? readdirSync(cache.dir).length : 0
      const sizes = { bin: bytesOf('dist/bin', /\.js$/), apiEsm: bytesOf('dist/api', /\.js$/), apiCjs: bytesOf('dist/api', /\.cjs$/) }
      const tarball = packedTarball()
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
            ['bin / bare (node directly)', ratio(medianMs.bin / medianMs.bare)],
            ['npm run mock / npm run bench:bare', ratio(medianMs.npmMock / medianMs.npmBare)],
            ['bin without its compile cache / bare', ratio(medianMs.binNoCache / medianMs.bare)],
            ['the compile cache saves', `${num(medianMs.binNoCache - medianMs.bin, 1)} ms`],
          ],
        ),
        '  bin = node dist/bin/cli.js --port 0  ->  GET /login.php; npm run mock -- --port 0 builds dist/ first only when it is stale, then runs the same bin',
        '  bare Fastify = node dist/scripts/bench-bare-server.js --port 0  ->  GET /hello (no compile cache: Node turns it on only when asked)',
        'dir' in cache
          ? `  compile cache: ${cache.dir} (private: 0700, this user's, checked as the CLI checks it; ${cacheFiles} files in ${cacheBuilds} folders, one per build, after the runs)`
          : `  compile cache: off, so every mock row starts without it (${cache.problem})`,
        `  bundles: the bin (dist/bin/*.js) ${kib(sizes.bin)}, the API's ESM build (dist/api/*.js) ${kib(sizes.apiEsm)}, its CommonJS build (dist/api/index.cjs) ${kib(sizes.apiCjs)}`,
        tarball
          ? `  npm pack: ${tarball.entryCount} files, ${kib(tarball.size)} packed, ${kib(tarball.unpackedSize)} unpacked`
          : '  npm pack: could not run (npm not found?)',
      ].join('\n')
      const targets = [
        target('cold start bin / bare Fastify, node directly (medians)', medianMs.bin / medianMs.bare, '<=', 1.2, (value) =>
          ratio(value, 3),
        ),
        target('cold start npm run mock / bare Fastify npm script (medians)', medianMs.npmMock / medianMs.npmBare, '<=', 1.2, (value) =>
          ratio(value, 3),
        ),
      ]
      const results = {
        runsMs,
        medianMs,
        ratio: medianMs.bin / medianMs.bare,
        ratioThroughNpm: medianMs.npmMock / medianMs.npmBare,
        ratioWithoutCompileCache: medianMs.binNoCache / medianMs.bare,
        compileCache: 'dir' in cache ? { dir: cache.dir, files: cacheFiles, builds: cacheBuilds } : { off: cache.problem },
        bundleBytes: sizes,
        tarball,
      }
      return { results, report, targets, problems: [] }
    }
    return { settings, run }
  },
}

function kib(bytes: number): string {
  return `${num(bytes / 1024, 1)} KiB`
}

// Bytes of the files in a build folder whose names match.
function bytesOf(dir: string, names: RegExp): number {
  return readdirSync(join(PACKAGE_ROOT, dir))
    .filter((name) => names.test(name))
    .reduce((sum, name) => sum + statSync(join(PACKAGE_ROOT, dir, name)).size, 0)
}

// What `npm pack` would put in the tarball (a dry run: nothing is written, no script runs).
function packedTarball(): { entryCount: number; size: number; unpackedSize: number } | undefined {
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (pack.status !== 0) return undefined
  const [info] = JSON.parse(pack.stdout) as { entryCount: number; size: number; unpackedSize: number }[]
  return info && { entryCount: info.entryCount, size: info.size, unpackedSize: info.unpackedSize }
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
