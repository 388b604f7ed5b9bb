import { cpus, loadavg } from 'node:os'
import { TARGETS, type BenchConfig } from './config.js'
import type { ColdStartTimes } from './cold-start.js'
import type { LoadSample } from './load.js'
import { max, mean, median, min, relativeSpread } from './stats.js'

/** The throughput figures of one server over all rounds. */
export interface ThroughputSeries {
  /** What was requested, e.g. `GET /hello`. */
  request: string
  /** One sample per round, in order. */
  rounds: LoadSample[]
  /** Mean of the rounds' req/s. */
  meanReqPerSec: number
  /** Coefficient of variation of the rounds' req/s. */
  spread: number
  /** Mean of the rounds' p99 latency, ms. */
  meanP99Ms: number
  /** Worst round's p99 latency, ms. */
  worstP99Ms: number
  /** Mean over rounds of the server's CPU microseconds per request; NaN where not measurable. */
  meanCpuUsPerRequest: number
}

/** Cold-start figures of one server. */
export interface ColdStartSeries {
  /** What was started and probed. */
  command: string
  runsMs: number[]
  medianMs: number
  minMs: number
  maxMs: number
}

/** One target, checked. */
export interface TargetCheck {
  /** Which measurement the target is about. */
  kind: 'throughput' | 'cold-start'
  name: string
  measured: number
  /** e.g. `>= 0.40x`. */
  target: string
  pass: boolean
}

/** Responses that were not 2xx, or requests that failed, in one run (warm-up included). */
export interface ResponseProblem {
  server: 'bare' | 'token'
  phase: string
  non2xx: number
  errors: number
  timeouts: number
  statusCounts: Record<string, number>
}

/** Everything one benchmark run measured, as printed and as written to `bench-results/latest.json`. */
export interface BenchResults {
  startedAt: string
  environment: {
    node: string
    platform: string
    cpus: number
    cpuModel: string
    /** 1-minute load average when the run started and when it ended: other work on the machine makes the figures noisy. */
    loadAverage: { start: number; end: number }
  }
  config: BenchConfig
  throughput: {
    bare: ThroughputSeries
    token: ThroughputSeries
    /** Mean token req/s over mean bare req/s. */
    ratio: number
    /** Each round's token req/s over the same round's bare req/s. */
    roundRatios: number[]
    /** Median of {@link roundRatios}: less swayed by one disturbed measurement than the ratio of means. */
    medianRoundRatio: number
    /** Bare CPU per request over token CPU per request: the capacity ratio, robust to other load on the machine. */
    cpuRatio: number
    warmup: { bare: LoadSample; token: LoadSample } | null
  }
  coldStart: { port: number; mock: ColdStartSeries; bare: ColdStartSeries; ratio: number }
  targets: TargetCheck[]
  problems: ResponseProblem[]
}

/** The raw measurements {@link summarise} turns into {@link BenchResults}. */
export interface Measurements {
  startedAt: Date
  /** 1-minute load average when the run started. */
  loadAtStart: number
  config: BenchConfig
  bareRequest: string
  tokenRequest: string
  bareRounds: LoadSample[]
  tokenRounds: LoadSample[]
  warmup: { bare: LoadSample; token: LoadSample } | null
  coldStarts: ColdStartTimes
}

/** Compute means, medians, ratios and target checks from the raw measurements. */
export function summarise(measured: Measurements): BenchResults {
  const bare = series(measured.bareRequest, measured.bareRounds)
  const token = series(measured.tokenRequest, measured.tokenRounds)
  const ratio = token.meanReqPerSec / bare.meanReqPerSec
  const roundRatios = measured.tokenRounds.map((sample, index) => sample.reqPerSec / (measured.bareRounds[index]?.reqPerSec ?? Number.NaN))
  const mock = coldSeries('node dist/server/cli.js --port P  ->  GET /login.php', measured.coldStarts.mock)
  const bareCold = coldSeries('node dist/scripts/bench-bare-server.js --port P  ->  GET /hello', measured.coldStarts.bare)
  const coldRatio = mock.medianMs / bareCold.medianMs
  const cpu = cpus()
  return {
    startedAt: measured.startedAt.toISOString(),
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', loadAverage: { start: measured.loadAtStart, end: loadavg()[0] ?? Number.NaN } },
    config: measured.config,
    throughput: {
      bare,
      token,
      ratio,
      roundRatios,
      medianRoundRatio: median(roundRatios),
      cpuRatio: bare.meanCpuUsPerRequest / token.meanCpuUsPerRequest,
      warmup: measured.warmup,
    },
    coldStart: { port: measured.coldStarts.port, mock, bare: bareCold, ratio: coldRatio },
    targets: [
      { kind: 'throughput', name: 'token req/s / bare req/s', measured: ratio, target: `>= ${TARGETS.minTokenToBareThroughput.toFixed(2)}x`, pass: ratio >= TARGETS.minTokenToBareThroughput },
      { kind: 'cold-start', name: 'cold start mock / bare Fastify', measured: coldRatio, target: `<= ${TARGETS.maxColdStartRatio.toFixed(2)}x`, pass: coldRatio <= TARGETS.maxColdStartRatio },
    ],
    problems: problems(measured),
  }
}

function series(request: string, rounds: LoadSample[]): ThroughputSeries {
  const reqs = rounds.map((sample) => sample.reqPerSec)
  const cpu = rounds.map((sample) => sample.serverCpuUsPerRequest ?? Number.NaN)
  return {
    request,
    rounds,
    meanReqPerSec: mean(reqs),
    spread: relativeSpread(reqs),
    meanP99Ms: mean(rounds.map((sample) => sample.p99Ms)),
    worstP99Ms: max(rounds.map((sample) => sample.p99Ms)),
    meanCpuUsPerRequest: mean(cpu),
  }
}

function coldSeries(command: string, runsMs: number[]): ColdStartSeries {
  return { command, runsMs, medianMs: median(runsMs), minMs: min(runsMs), maxMs: max(runsMs) }
}

function problems(measured: Measurements): ResponseProblem[] {
  const found: ResponseProblem[] = []
  const check = (server: 'bare' | 'token', phase: string, sample: LoadSample): void => {
    if (sample.non2xx > 0 || sample.errors > 0 || sample.timeouts > 0 || sample.ok === 0) {
      found.push({ server, phase, non2xx: sample.non2xx, errors: sample.errors, timeouts: sample.timeouts, statusCounts: sample.statusCounts })
    }
  }
  if (measured.warmup) {
    check('bare', 'warm-up', measured.warmup.bare)
    check('token', 'warm-up', measured.warmup.token)
  }
  measured.bareRounds.forEach((sample, index) => check('bare', `round ${index + 1}`, sample))
  measured.tokenRounds.forEach((sample, index) => check('token', `round ${index + 1}`, sample))
  return found
}
