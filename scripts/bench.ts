#!/usr/bin/env node
/**
 * `npm run bench`: the sections of the mock storefront's benchmark, each beside its targets.
 *
 * - `throughput`, `cold` (issue 2 point 11): the token endpoint against a bare Fastify route,
 *   and the mock's cold start against a bare Fastify's.
 * - `load`, `memory`, `scale` (issue 5 section 3): a mixed load of token requests, sign-ins,
 *   sign-outs and SSO; the mock's RSS over 1,000,000 token requests and 200,000 sign-ins; a
 *   100,000-customer fixture against the 25-customer default.
 *
 * Environment: `BENCH_ONLY` (comma-separated sections, default all: throughput,cold,load,memory,scale);
 * throughput and cold: `BENCH_ROUNDS` (4), `BENCH_SECONDS` (5), `BENCH_WARMUP_SECONDS` (2),
 * `BENCH_COLD_RUNS` (7, at least 5), `BENCH_POLL_MS` (2, also the scale starts' poll); load:
 * `BENCH_LOAD_SECONDS` (30), `BENCH_LOAD_TOKEN_CONNECTIONS` (50), `BENCH_LOAD_SIGNIN_CLIENTS` (4),
 * `BENCH_LOAD_SSO_CLIENTS` (2); memory: `BENCH_MEMORY_TOKEN_REQUESTS` (1000000),
 * `BENCH_MEMORY_SIGNINS` (200000), `BENCH_MEMORY_SAMPLES` (10); scale: `BENCH_SCALE_CUSTOMERS`
 * (100000), `BENCH_SCALE_VARIANTS` (generated,json-list; yaml-list too on request), `BENCH_SCALE_CONTROL` (1:
 * a second default instance as an A/A control), `BENCH_SCALE_STARTS` (3),
 * `BENCH_SCALE_WARMUP_SECONDS` (4), `BENCH_SCALE_ROUNDS` (2, per start), `BENCH_SCALE_SECONDS` (5); `BENCH_STRICT=1` to exit 1 on a missed
 * target too.
 *
 * Exit codes: 0 measured (targets may be missed), 1 a measurement's requests failed or got an
 * unexpected status, or a section failed (or, with `BENCH_STRICT=1`, a target was missed), 2 a
 * bad `BENCH_*` value. Every child process is stopped, and every temporary file removed, before
 * it exits.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { dirname, relative } from 'node:path'
import { ChildProcesses } from './bench/children.js'
import { measureColdStarts } from './bench/cold-start.js'
import { readConfig, type BenchConfig, type Section } from './bench/config.js'
import { runMemory } from './bench/memory.js'
import { runMixedLoad } from './bench/mixed-load.js'
import { BARE_SERVER, MOCK_CLI, PACKAGE_ROOT, RESULTS_FILE } from './bench/paths.js'
import { renderProblems, renderReport } from './bench/report.js'
import { assembleResults, summariseColdStarts, type BenchResults, type SectionFailure, type SectionResults } from './bench/results.js'
import { runScale } from './bench/scale.js'
import { removeScaleFixturesNow } from './bench/scale-fixtures.js'
import { measureThroughput } from './bench/throughput.js'

const children = new ChildProcesses()

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`)
}

async function measure(config: BenchConfig): Promise<BenchResults> {
  const startedAt = new Date()
  const loadAtStart = loadavg()[0] ?? Number.NaN
  const sectionSeconds: Partial<Record<Section, number>> = {}
  const failures: SectionFailure[] = []

  // Run one section if it was asked for; a failure is recorded and the next section still runs.
  const section = async <T>(name: Section, body: () => Promise<T>): Promise<T | null> => {
    if (!config.sections.includes(name)) return null
    const began = performance.now()
    progress(`== ${name} (load average ${(loadavg()[0] ?? Number.NaN).toFixed(2)})`)
    try {
      return await body()
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      failures.push({ section: name, message })
      progress(`${name}: FAILED: ${error instanceof Error ? (error.stack ?? message) : message}`)
      return null
    } finally {
      await children.stopAll()
      sectionSeconds[name] = (performance.now() - began) / 1000
      progress(`   ${name} took ${sectionSeconds[name]?.toFixed(0)} s`)
    }
  }

  const results: SectionResults = { throughput: null, coldStart: null, load: null, memory: null, scale: null }
  // Cold starts first, while nothing else has run on the machine for a while.
  results.coldStart = await section('cold', async () => {
    progress(`cold start: ${config.coldRuns} runs each of the mock and bare Fastify (plus 1 warm-up each)`)
    const times = await measureColdStarts(children, {
      runs: config.coldRuns,
      pollMs: config.pollMs,
      onRun: (kind, run, ms) => progress(`  cold start ${kind.padEnd(4)} run ${run}: ${ms.toFixed(1)} ms`),
    })
    return summariseColdStarts(times)
  })
  results.throughput = await section('throughput', () => measureThroughput(children, config, progress))
  results.load = await section('load', () => runMixedLoad(children, config.load, progress))
  results.memory = await section('memory', () => runMemory(children, config.memory, progress))
  results.scale = await section('scale', () => runScale(children, config.scale, { pollMs: config.pollMs, connections: config.connections }, progress))

  return assembleResults({ startedAt, loadAtStart, config, sectionSeconds, failures }, results)
}

async function writeResults(results: BenchResults): Promise<void> {
  await mkdir(dirname(RESULTS_FILE), { recursive: true })
  await writeFile(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n')
}

async function main(): Promise<number> {
  let config: BenchConfig
  try {
    config = readConfig(process.env)
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`)
    return 2
  }
  for (const file of [MOCK_CLI, BARE_SERVER]) {
    if (!existsSync(file)) throw new Error(`${relative(PACKAGE_ROOT, file)} is missing: run \`npm run build\` first (npm run bench does)`)
  }
  progress(`sections: ${config.sections.join(', ')}`)

  const results = await measure(config)
  await writeResults(results)
  process.stdout.write('\n' + renderReport(results))
  process.stdout.write(`\nresults: ${relative(PACKAGE_ROOT, RESULTS_FILE)}\n`)

  if (results.problems.length > 0) {
    process.stdout.write(renderProblems(results))
    process.stderr.write('bench: FAILED: requests failed or got an unexpected status; see above\n')
    return 1
  }
  if (results.failures.length > 0) {
    process.stderr.write(`bench: FAILED: section(s) ${results.failures.map((failure) => failure.section).join(', ')} did not finish; see above\n`)
    return 1
  }
  const missed = results.targets.filter((target) => !target.pass)
  if (missed.length > 0 && config.strict) {
    process.stderr.write(`bench: BENCH_STRICT: ${missed.length} target(s) missed\n`)
    return 1
  }
  return 0
}

// Whatever happens, no server outlives the benchmark, and no temporary fixture stays behind.
process.on('exit', () => {
  children.killAllNow()
  removeScaleFixturesNow()
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the servers`)
    void children.stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
}

let exitCode = 1
try {
  exitCode = await main()
} catch (error) {
  process.stderr.write(`\nbench: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  exitCode = 1
} finally {
  await children.stopAll()
}
process.exit(exitCode)
