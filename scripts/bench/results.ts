import { cpus, loadavg } from 'node:os'
import { TARGETS, type BenchConfig, type Section } from './config.js'
import type { ColdStartTimes } from './cold-start.js'
import type { LoadSample } from './load.js'
import type { MemoryResults } from './memory.js'
import type { MixedLoadResults } from './mixed-load.js'
import { mib } from './rss.js'
import { meetsScaleTarget, type ScaleResults } from './scale.js'
import { max, mean, median, min, relativeSpread } from './stats.js'
import { formatNumber, formatRatio } from './table.js'

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

/** The throughput section: the token route against a bare Fastify route (issue 2 point 11). */
export interface ThroughputResults {
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

/** The cold-start section (issue 2 point 11). */
export interface ColdStartResults {
  port: number
  mock: ColdStartSeries
  bare: ColdStartSeries
  ratio: number
}

/** One target, checked. */
export interface TargetCheck {
  /** Which section measured it. */
  section: Section
  name: string
  measured: number
  /** The measured value as printed, e.g. `0.43x` or `0`. */
  shown: string
  /** e.g. `>= 0.40x`. */
  target: string
  pass: boolean
}

/**
 * Answers that were not the expected ones, or requests that failed, in a run that measures
 * something else: they make its figures invalid (the mixed load counts its own, as a target).
 */
export interface ResponseProblem {
  section: Section
  /** What was loaded, e.g. `token` or `memory sign-in`. */
  server: string
  phase: string
  /** Answers with another status than the expected one (non-2xx for the throughput rounds). */
  unexpected: number
  errors: number
  timeouts: number
  statusCounts: Record<string, number>
}

/** A section that could not finish. */
export interface SectionFailure {
  section: Section
  message: string
}

/** Everything one benchmark run measured, as printed and as written to `bench-results/latest.json`. */
export interface BenchResults {
  startedAt: string
  /** Wall time of the whole run, seconds. */
  elapsedSeconds: number
  /** Wall time of each section that ran, seconds. */
  sectionSeconds: Partial<Record<Section, number>>
  environment: {
    node: string
    platform: string
    cpus: number
    cpuModel: string
    /** 1-minute load average when the run started and when it ended: other work on the machine makes the figures noisy. */
    loadAverage: { start: number; end: number }
  }
  config: BenchConfig
  /** Null when the section did not run (`BENCH_ONLY`) or failed. */
  throughput: ThroughputResults | null
  coldStart: ColdStartResults | null
  load: MixedLoadResults | null
  memory: MemoryResults | null
  scale: ScaleResults | null
  targets: TargetCheck[]
  problems: ResponseProblem[]
  failures: SectionFailure[]
}

/** The raw figures of the throughput section. */
export interface ThroughputMeasurements {
  bareRequest: string
  tokenRequest: string
  bareRounds: LoadSample[]
  tokenRounds: LoadSample[]
  warmup: { bare: LoadSample; token: LoadSample } | null
}

/** What each section produced, before the targets are checked. */
export interface SectionResults {
  throughput: ThroughputResults | null
  coldStart: ColdStartResults | null
  load: MixedLoadResults | null
  memory: MemoryResults | null
  scale: ScaleResults | null
}

/** Means, ratios and spreads of the throughput rounds. */
export function summariseThroughput(measured: ThroughputMeasurements): ThroughputResults {
  const bare = series(measured.bareRequest, measured.bareRounds)
  const token = series(measured.tokenRequest, measured.tokenRounds)
  const roundRatios = measured.tokenRounds.map((sample, index) => sample.reqPerSec / (measured.bareRounds[index]?.reqPerSec ?? Number.NaN))
  return {
    bare,
    token,
    ratio: token.meanReqPerSec / bare.meanReqPerSec,
    roundRatios,
    medianRoundRatio: median(roundRatios),
    cpuRatio: bare.meanCpuUsPerRequest / token.meanCpuUsPerRequest,
    warmup: measured.warmup,
  }
}

/** Medians and the ratio of the cold starts. */
export function summariseColdStarts(times: ColdStartTimes): ColdStartResults {
  const mock = coldSeries('node dist/server/cli.js --port P  ->  GET /login.php', times.mock)
  const bare = coldSeries('node dist/scripts/bench-bare-server.js --port P  ->  GET /hello', times.bare)
  return { port: times.port, mock, bare, ratio: mock.medianMs / bare.medianMs }
}

/** The whole run's results: environment, the sections' figures, every target checked, every invalid measurement. */
export function assembleResults(run: { startedAt: Date; loadAtStart: number; config: BenchConfig; sectionSeconds: Partial<Record<Section, number>>; failures: SectionFailure[] }, sections: SectionResults): BenchResults {
  const cpu = cpus()
  return {
    startedAt: run.startedAt.toISOString(),
    elapsedSeconds: (Date.now() - run.startedAt.getTime()) / 1000,
    sectionSeconds: run.sectionSeconds,
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', loadAverage: { start: run.loadAtStart, end: loadavg()[0] ?? Number.NaN } },
    config: run.config,
    ...sections,
    targets: checkTargets(sections),
    problems: problems(sections),
    failures: run.failures,
  }
}

/** Every target of the sections that ran, in section order. */
export function checkTargets(sections: SectionResults): TargetCheck[] {
  const checks: TargetCheck[] = []
  const { throughput, coldStart, load, memory, scale } = sections
  if (throughput) {
    checks.push({ section: 'throughput', name: 'token req/s / bare req/s', measured: throughput.ratio, shown: formatRatio(throughput.ratio, 3), target: `>= ${TARGETS.minTokenToBareThroughput.toFixed(2)}x`, pass: throughput.ratio >= TARGETS.minTokenToBareThroughput })
  }
  if (coldStart) {
    checks.push({ section: 'cold', name: 'cold start mock / bare Fastify', measured: coldStart.ratio, shown: formatRatio(coldStart.ratio, 3), target: `<= ${TARGETS.maxColdStartRatio.toFixed(2)}x`, pass: coldStart.ratio <= TARGETS.maxColdStartRatio })
  }
  if (load) {
    const unexpected = load.kinds.reduce((sum, kind) => sum + kind.unexpected, 0)
    const errors = load.kinds.reduce((sum, kind) => sum + kind.socketErrors, 0)
    const silent = load.kinds.filter((kind) => kind.responses === 0).map((kind) => kind.kind)
    const allowed = TARGETS.maxLoadFailures
    checks.push({ section: 'load', name: 'mixed load: unexpected statuses, all kinds', measured: unexpected, shown: formatNumber(unexpected), target: `= ${allowed}`, pass: unexpected <= allowed })
    checks.push({ section: 'load', name: 'mixed load: socket errors, all kinds', measured: errors, shown: formatNumber(errors), target: `= ${allowed}`, pass: errors <= allowed })
    checks.push({ section: 'load', name: 'mixed load: kinds with no answer at all', measured: silent.length, shown: silent.length === 0 ? '0' : silent.join(', '), target: '= 0', pass: silent.length === 0 })
    const { intactTokenSessions, tokenSessions, healthSessions } = load.after
    checks.push({ section: 'load', name: 'token sessions still valid after the load', measured: intactTokenSessions, shown: `${intactTokenSessions}/${tokenSessions}`, target: `${tokenSessions}/${tokenSessions}`, pass: intactTokenSessions === tokenSessions })
    checks.push({ section: 'load', name: 'sessions left after the load (/__mock/health)', measured: healthSessions, shown: formatNumber(healthSessions), target: `= ${tokenSessions}`, pass: healthSessions === tokenSessions })
  }
  if (memory) {
    for (const phase of memory.phases) {
      const { secondHalfBytes, allowedBytes, bounded } = phase.growth
      checks.push({
        section: 'memory',
        name: `RSS bounded over ${formatNumber(phase.total)} ${phase.name === 'token' ? 'token requests' : 'sign-ins'}: 2nd-half growth`,
        measured: secondHalfBytes,
        shown: `${formatNumber(mib(secondHalfBytes), 1)} MiB`,
        target: `<= ${formatNumber(mib(allowedBytes), 1)} MiB`,
        pass: bounded,
      })
    }
    const sessions = max(memory.phases.flatMap((phase) => phase.samples.map((sample) => sample.sessions)))
    checks.push({ section: 'memory', name: 'most sessions held at once (/__mock/health)', measured: sessions, shown: formatNumber(sessions), target: `<= ${formatNumber(memory.maxSessions)}`, pass: sessions <= memory.maxSessions })
  }
  if (scale) {
    for (const server of scale.servers.slice(1).filter((entry) => entry.name !== 'control')) {
      checks.push({ section: 'scale', name: `token req/s, ${server.name} (${formatNumber(server.customers)} customers) / default, median round`, measured: server.medianRoundRatio, shown: formatRatio(server.medianRoundRatio, 3), target: `>= ${TARGETS.minScaleThroughputRatio.toFixed(2)}x`, pass: meetsScaleTarget(server) })
    }
  }
  return checks
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

function problems({ throughput, memory, scale }: SectionResults): ResponseProblem[] {
  const found: ResponseProblem[] = []
  const check = (section: Section, server: string, phase: string, sample: LoadSample, expectedStatus = 200): void => {
    const unexpected = sample.requests - (sample.statusCounts[String(expectedStatus)] ?? 0)
    if (unexpected > 0 || sample.errors > 0 || sample.timeouts > 0 || sample.requests === 0) {
      found.push({ section, server, phase, unexpected, errors: sample.errors, timeouts: sample.timeouts, statusCounts: sample.statusCounts })
    }
  }
  if (throughput) {
    if (throughput.warmup) {
      check('throughput', 'bare', 'warm-up', throughput.warmup.bare)
      check('throughput', 'token', 'warm-up', throughput.warmup.token)
    }
    throughput.bare.rounds.forEach((sample, index) => check('throughput', 'bare', `round ${index + 1}`, sample))
    throughput.token.rounds.forEach((sample, index) => check('throughput', 'token', `round ${index + 1}`, sample))
  }
  for (const phase of memory?.phases ?? []) {
    if (phase.unexpected > 0 || phase.errors > 0) found.push({ section: 'memory', server: `memory ${phase.name}`, phase: 'all chunks', unexpected: phase.unexpected, errors: phase.errors, timeouts: 0, statusCounts: phase.statusCounts })
  }
  for (const server of scale?.servers ?? []) server.rounds.forEach((sample, index) => check('scale', `scale ${server.name}`, `round ${index + 1}`, sample))
  return found
}
