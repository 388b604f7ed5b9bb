#!/usr/bin/env node
/**
 * `npm run bench`: the mock storefront's token endpoint against a bare Fastify route, and the
 * mock's cold start against a bare Fastify's, with the targets of issue 2 point 11.
 *
 * Environment: `BENCH_ROUNDS` (default 4), `BENCH_SECONDS` (5), `BENCH_WARMUP_SECONDS` (2),
 * `BENCH_COLD_RUNS` (7, at least 5), `BENCH_POLL_MS` (2), `BENCH_STRICT=1` to exit 1 on a missed
 * target too. Exit codes: 0 measured (targets may be missed), 1 a request failed or answered
 * non-2xx, or the run itself failed (or, with `BENCH_STRICT=1`, a target was missed), 2 a bad
 * `BENCH_*` value. Every child process is stopped before it exits.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { dirname, relative } from 'node:path'
import { ChildProcesses } from './bench/children.js'
import { measureColdStarts } from './bench/cold-start.js'
import { readConfig, type BenchConfig } from './bench/config.js'
import { DEMO } from './bench/demo.js'
import { runLoad, type LoadSample, type LoadTarget } from './bench/load.js'
import { BARE_SERVER, MOCK_CLI, PACKAGE_ROOT, RESULTS_FILE } from './bench/paths.js'
import { renderProblems, renderReport } from './bench/report.js'
import { summarise, type BenchResults } from './bench/results.js'
import { startServer } from './bench/servers.js'
import { checkTokenResponse, signInWithForm } from './bench/session.js'

const children = new ChildProcesses()

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`)
}

async function measure(config: BenchConfig): Promise<BenchResults> {
  const startedAt = new Date()
  const loadAtStart = loadavg()[0] ?? Number.NaN
  progress(`cold start: ${config.coldRuns} runs each of the mock and bare Fastify (plus 1 warm-up each)`)
  const coldStarts = await measureColdStarts(children, {
    runs: config.coldRuns,
    pollMs: config.pollMs,
    onRun: (kind, run, ms) => progress(`  cold start ${kind.padEnd(4)} run ${run}: ${ms.toFixed(1)} ms`),
  })

  progress('starting the mock and the bare Fastify server (--log-level silent)')
  const [mock, bare] = await Promise.all([startServer(children, 'mock', 'silent'), startServer(children, 'bare', 'silent')])
  const cookie = await signInWithForm(mock.baseUrl, DEMO.email, DEMO.password)
  const tokenPath = `/customer/current.jwt?app_client_id=${DEMO.clientId}`
  await checkTokenResponse(mock.baseUrl + tokenPath, cookie, { clientId: DEMO.clientId, customerId: DEMO.customerId })
  progress(`signed in as ${DEMO.email}; GET ${tokenPath} answers 200 with a token for customer ${DEMO.customerId}`)

  const bareTarget: LoadTarget = { name: 'bare', url: `${bare.baseUrl}/hello`, headers: {}, serverPid: bare.child.process.pid }
  const tokenTarget: LoadTarget = { name: 'token', url: mock.baseUrl + tokenPath, headers: { cookie }, serverPid: mock.child.process.pid }
  const load = { connections: config.connections, pipelining: config.pipelining }

  let warmup: { bare: LoadSample; token: LoadSample } | null = null
  if (config.warmupSeconds > 0) {
    progress(`warm-up: ${config.warmupSeconds} s on each, not recorded`)
    const bareWarm = await runLoad(bareTarget, { ...load, seconds: config.warmupSeconds })
    const tokenWarm = await runLoad(tokenTarget, { ...load, seconds: config.warmupSeconds })
    warmup = { bare: bareWarm, token: tokenWarm }
  }

  const bareRounds: LoadSample[] = []
  const tokenRounds: LoadSample[] = []
  for (let round = 1; round <= config.rounds; round++) {
    const bareSample = await runLoad(bareTarget, { ...load, seconds: config.seconds })
    bareRounds.push(bareSample)
    const tokenSample = await runLoad(tokenTarget, { ...load, seconds: config.seconds })
    tokenRounds.push(tokenSample)
    progress(`  round ${round}/${config.rounds}: bare ${bareSample.reqPerSec.toFixed(0)} req/s (non-2xx ${bareSample.non2xx}, errors ${bareSample.errors}), token ${tokenSample.reqPerSec.toFixed(0)} req/s (non-2xx ${tokenSample.non2xx}, errors ${tokenSample.errors})`)
  }
  await Promise.all([mock.child.stop(), bare.child.stop()])

  return summarise({ startedAt, loadAtStart, config, bareRequest: 'GET /hello', tokenRequest: `GET ${tokenPath}`, bareRounds, tokenRounds, warmup, coldStarts })
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

  const results = await measure(config)
  await writeResults(results)
  process.stdout.write('\n' + renderReport(results))
  process.stdout.write(`\nresults: ${relative(PACKAGE_ROOT, RESULTS_FILE)}\n`)

  if (results.problems.length > 0) {
    process.stdout.write(renderProblems(results))
    process.stderr.write('bench: FAILED: requests failed or answered non-2xx; see above\n')
    return 1
  }
  const missed = results.targets.filter((target) => !target.pass)
  if (missed.length > 0 && config.strict) {
    process.stderr.write(`bench: BENCH_STRICT: ${missed.length} target(s) missed\n`)
    return 1
  }
  return 0
}

// Whatever happens, no server outlives the benchmark.
process.on('exit', () => children.killAllNow())
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
