#!/usr/bin/env node
/**
 * `npm run bench`: measure the mock storefront on loopback, section by section, and print each
 * figure beside its target with PASS or MISS; the figures go to `bench-results/latest.json` too,
 * and as a Markdown page to `docs/benchmark-results.md` (committed; never edited by hand).
 * Each section is a module of `scripts/bench/`, listed in {@link SECTIONS}, with its knobs in its
 * TSDoc. `BENCH_ONLY` (comma-separated section names) runs only those; `BENCH_STRICT=1` makes a
 * missed target fail the run.
 *
 * Exit codes: 0 measured (targets may be missed); 1 a section failed, or some of its requests
 * failed or got an unexpected status (or, with `BENCH_STRICT=1`, a target was missed); 2 a bad
 * `BENCH_*` value. No server outlives the run and no temporary file stays behind.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { dirname, relative } from 'node:path'
import { cleanUpOnExit, stopAll } from './bench/children.js'
import { cold } from './bench/cold.js'
import { table } from './bench/figures.js'
import { instances } from './bench/instances.js'
import { flag, KnobError, list } from './bench/knobs.js'
import { BARE_SERVER, FIGURES_FILE, MOCK_CLI, PACKAGE_ROOT, RESULTS_FILE } from './bench/paths.js'
import { resultsPage, type RunRecord, type SectionRecord } from './bench/results-page.js'
import type { Section } from './bench/section.js'
import { load } from './bench/load.js'
import { management } from './bench/management.js'
import { memory } from './bench/memory.js'
import { reload } from './bench/reload.js'
import { scale } from './bench/scale.js'
import { throughput } from './bench/throughput.js'

/** The sections, in the order they run: cold starts first, while the machine is quietest. */
const SECTIONS: readonly Section[] = [cold, throughput, instances, load, memory, scale, management, reload]

const log = (message: string): void => void process.stderr.write(`bench: ${message}\n`)
const loadAverage = (): number => loadavg()[0] ?? Number.NaN
// Above this 1-minute load per CPU, other work was competing for the CPUs.
const BUSY_LOAD_PER_CPU = 0.5

async function main(): Promise<number> {
  let strict: boolean
  let prepared: (ReturnType<Section['prepare']> & { name: string })[]
  try {
    const names = list(
      'BENCH_ONLY',
      SECTIONS.map((section) => section.name),
    )
    strict = flag('BENCH_STRICT', false)
    prepared = SECTIONS.filter((section) => names.includes(section.name)).map((section) => ({ name: section.name, ...section.prepare() }))
  } catch (error) {
    if (!(error instanceof KnobError)) throw error
    log(error.message)
    return 2
  }
  for (const file of [MOCK_CLI, BARE_SERVER]) {
    if (!existsSync(file)) throw new Error(`${relative(PACKAGE_ROOT, file)} is missing: run \`npm run build\` first (npm run bench does)`)
  }

  const startedAt = new Date()
  const loadAtStart = loadAverage()
  const sections: Record<string, SectionRecord> = {}
  for (const { name, settings, run } of prepared) {
    log(`== ${name} (load average ${loadAverage().toFixed(2)})`)
    const began = performance.now()
    const record: SectionRecord = (sections[name] = { settings, seconds: 0 })
    try {
      record.outcome = await run((message) => log(`  ${message}`))
    } catch (error) {
      record.failure =
        error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error)
      log(`${name}: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : record.failure}`)
    } finally {
      await stopAll()
      record.seconds = (performance.now() - began) / 1000
    }
  }

  const outcomes = Object.entries(sections).flatMap(([name, record]) => (record.outcome ? [{ name, ...record.outcome }] : []))
  const targets = outcomes.flatMap(({ name, targets: checks, problems }) =>
    checks.map((check) => ({ section: name, ...check, invalid: problems.length > 0 })),
  )
  const problems = outcomes.flatMap(({ name, problems: found }) => found.map((problem) => `${name}: ${problem}`))
  const failures = Object.entries(sections).flatMap(([name, record]) =>
    record.failure === undefined ? [] : [`${name}: ${record.failure}`],
  )
  const cpu = cpus()
  const environment = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    loadAverage: { start: loadAtStart, end: loadAverage() },
  }
  const elapsedSeconds = (Date.now() - startedAt.getTime()) / 1000
  const busy = Math.max(loadAtStart, environment.loadAverage.end) > BUSY_LOAD_PER_CPU * cpu.length
  const run: RunRecord = { startedAt, elapsedSeconds, environment, busy, sections, targets, problems, failures }
  await mkdir(dirname(RESULTS_FILE), { recursive: true })
  await writeFile(RESULTS_FILE, JSON.stringify(run, null, 2) + '\n')
  await writeFile(
    FIGURES_FILE,
    resultsPage(
      run,
      SECTIONS.map((section) => section.name),
    ),
  )

  const passed = targets.filter((check) => check.pass && !check.invalid).length
  const out = [
    '== bigcommerce-mock-storefront benchmark ==',
    `${startedAt.toISOString()}  node ${environment.node}  ${environment.platform}  ${environment.cpus} CPUs (${environment.cpuModel})`,
    `load average (1 min): ${loadAtStart.toFixed(2)} at start, ${environment.loadAverage.end.toFixed(2)} at end${busy ? '  -- the machine was busy with other work: figures are noisy' : ''}`,
    `sections: ${Object.entries(sections)
      .map(([name, record]) => `${name} ${record.seconds.toFixed(0)} s`)
      .join(', ')}; total ${elapsedSeconds.toFixed(0)} s`,
    '',
    ...outcomes.flatMap((outcome) => [outcome.report, '']),
    ...failures.flatMap((failure) => [`FAILED ${failure}`, '']),
    'TARGETS',
    table(
      ['section', 'metric', 'measured', 'target', 'result'],
      targets.map((check) => [
        check.section,
        check.metric,
        check.shown,
        check.target,
        check.invalid ? 'INVALID (failed requests)' : check.pass ? 'PASS' : 'MISS',
      ]),
    ),
    `  ${passed}/${targets.length} targets met${failures.length > 0 ? `; ${failures.length} section(s) failed` : ''}`,
    `results: ${relative(PACKAGE_ROOT, RESULTS_FILE)}, ${relative(PACKAGE_ROOT, FIGURES_FILE)}`,
  ]
  if (problems.length > 0)
    out.push(
      '',
      '!!! BENCHMARK INVALID: some requests failed or got an unexpected status; the figures above do not measure what they claim to:',
      ...problems.map((problem) => `  ${problem}`),
    )
  process.stdout.write(`\n${out.join('\n')}\n`)

  if (problems.length > 0 || failures.length > 0) return 1
  if (strict && passed < targets.length) {
    log(`BENCH_STRICT: ${targets.length - passed} target(s) missed`)
    return 1
  }
  return 0
}

cleanUpOnExit()
let exitCode = 1
try {
  exitCode = await main()
} catch (error) {
  log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
} finally {
  await stopAll()
}
process.exit(exitCode)
