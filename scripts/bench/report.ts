import type { BenchConfig } from './config.js'
import { renderLoad } from './report-load.js'
import { renderMemory } from './report-memory.js'
import { renderScale } from './report-scale.js'
import type { BenchResults, ColdStartResults, ThroughputResults } from './results.js'
import { formatNumber, formatPercent, formatRatio, indent, renderTable } from './table.js'

/** The plain-text report of a benchmark run: environment, each section that ran, response check, targets. */
export function renderReport(results: BenchResults): string {
  const { config, environment } = results
  const out: string[] = []
  out.push('== bigcommerce-mock-storefront benchmark ==')
  out.push(`${results.startedAt}  node ${environment.node}  ${environment.platform}  ${environment.cpus} CPUs (${environment.cpuModel})`)
  const { start, end } = environment.loadAverage
  const busy = Math.max(start, end) > BUSY_LOAD_PER_CPU * environment.cpus
  out.push(`load average (1 min): ${start.toFixed(2)} at start, ${end.toFixed(2)} at end${busy ? '  -- the machine was busy with other work: figures are noisy' : ''}`)
  const timings = config.sections.map((section) => `${section} ${results.sectionSeconds[section] === undefined ? 'n/a' : `${results.sectionSeconds[section]?.toFixed(0)} s`}`)
  out.push(`sections: ${timings.join(', ')}; total ${results.elapsedSeconds.toFixed(0)} s`)
  out.push('')

  if (results.throughput) out.push(renderThroughput(results.throughput, config), '')
  if (results.coldStart) out.push(renderColdStart(results.coldStart, config), '')
  if (results.throughput) out.push(renderResponseCheck(results), '')
  if (results.load) out.push(renderLoad(results.load), '')
  if (results.memory) out.push(renderMemory(results.memory), '')
  if (results.scale) out.push(renderScale(results.scale), '')
  for (const failure of results.failures) out.push(`${failure.section.toUpperCase()}  FAILED: ${failure.message}`, '')

  out.push('TARGETS  (throughput, cold: issue 2 point 11; load, memory, scale: issue 5 section 3)')
  const invalid = new Set(results.problems.map((problem) => problem.section))
  out.push(
    indent(
      renderTable(
        [{ header: 'section' }, { header: 'metric' }, { header: 'measured', align: 'right' }, { header: 'target', align: 'right' }, { header: 'result' }],
        results.targets.map((target) => [target.section, target.name, target.shown, target.target, invalid.has(target.section) ? 'INVALID (failed requests)' : target.pass ? 'PASS' : 'MISS']),
      ),
    ),
  )
  const passed = results.targets.filter((target) => target.pass && !invalid.has(target.section)).length
  out.push(`  ${passed}/${results.targets.length} targets met${results.failures.length > 0 ? `; ${results.failures.length} section(s) failed: ${results.failures.map((failure) => failure.section).join(', ')}` : ''}`)
  return out.join('\n') + '\n'
}

function renderThroughput(throughput: ThroughputResults, config: BenchConfig): string {
  const out: string[] = []
  out.push(`THROUGHPUT  autocannon, ${config.connections} connections, pipelining ${config.pipelining}, ${config.rounds} interleaved rounds x ${config.seconds} s (bare, then token, each round; ${config.warmupSeconds} s unrecorded warm-up each first)`)
  out.push(`  bare : ${throughput.bare.request}  (p99: autocannon's histogram, 1 ms resolution)`)
  out.push(`  token: ${throughput.token.request}  (signed in through POST /login.php?action=check_login)`)
  const rows: (string[] | null)[] = throughput.bare.rounds.map((bare, index) => {
    const token = throughput.token.rounds[index]
    return [
      `round ${index + 1}`,
      formatNumber(bare.reqPerSec),
      formatNumber(bare.p99Ms),
      formatNumber(bare.serverCpuUsPerRequest ?? Number.NaN, 1),
      formatNumber(token?.reqPerSec ?? Number.NaN),
      formatNumber(token?.p99Ms ?? Number.NaN),
      formatNumber(token?.serverCpuUsPerRequest ?? Number.NaN, 1),
      formatRatio(throughput.roundRatios[index] ?? Number.NaN),
    ]
  })
  rows.push(null)
  rows.push(['mean', formatNumber(throughput.bare.meanReqPerSec), formatNumber(throughput.bare.meanP99Ms, 1), formatNumber(throughput.bare.meanCpuUsPerRequest, 1), formatNumber(throughput.token.meanReqPerSec), formatNumber(throughput.token.meanP99Ms, 1), formatNumber(throughput.token.meanCpuUsPerRequest, 1), formatRatio(throughput.ratio)])
  rows.push(['worst p99', '', formatNumber(throughput.bare.worstP99Ms), '', '', formatNumber(throughput.token.worstP99Ms), '', ''])
  rows.push(['req/s spread (CV)', formatPercent(throughput.bare.spread), '', '', formatPercent(throughput.token.spread), '', '', ''])
  out.push(
    indent(
      renderTable(
        [
          { header: '' },
          { header: 'bare req/s', align: 'right' },
          { header: 'p99 ms', align: 'right' },
          { header: 'CPU us/req', align: 'right' },
          { header: 'token req/s', align: 'right' },
          { header: 'p99 ms', align: 'right' },
          { header: 'CPU us/req', align: 'right' },
          { header: 'token/bare', align: 'right' },
        ],
        rows,
      ),
    ),
  )
  out.push(`  token/bare req/s: ${formatRatio(throughput.ratio)} as the ratio of the means (the target's figure); median of the rounds' ratios ${formatRatio(throughput.medianRoundRatio)}`)
  out.push(`  server CPU per request (/proc utime+stime of the server process; hardly moved by other load): bare/token ${formatRatio(throughput.cpuRatio)}`)
  return out.join('\n')
}

function renderColdStart(coldStart: ColdStartResults, config: BenchConfig): string {
  const out: string[] = []
  out.push(`COLD START  spawn -> first 200, polled every ${config.pollMs} ms on fixed port ${coldStart.port}; ${config.coldRuns} runs each, alternating, after 1 unrecorded warm-up each; default log level (info)`)
  out.push(
    indent(
      renderTable(
        [{ header: '' }, { header: 'median ms', align: 'right' }, { header: 'min ms', align: 'right' }, { header: 'max ms', align: 'right' }, { header: 'runs (ms)' }],
        [
          ['npm run mock', formatNumber(coldStart.mock.medianMs, 1), formatNumber(coldStart.mock.minMs, 1), formatNumber(coldStart.mock.maxMs, 1), coldStart.mock.runsMs.map((ms) => ms.toFixed(0)).join(' ')],
          ['bare Fastify', formatNumber(coldStart.bare.medianMs, 1), formatNumber(coldStart.bare.minMs, 1), formatNumber(coldStart.bare.maxMs, 1), coldStart.bare.runsMs.map((ms) => ms.toFixed(0)).join(' ')],
          null,
          ['mock / bare', formatRatio(coldStart.ratio), '', '', ''],
        ],
      ),
    ),
  )
  out.push(`  npm run mock = ${coldStart.mock.command}`)
  out.push(`  bare Fastify = ${coldStart.bare.command}`)
  return out.join('\n')
}

function renderResponseCheck(results: BenchResults): string {
  const throughput = results.throughput as ThroughputResults
  const out: string[] = []
  out.push('RESPONSE CHECK  every request of every throughput round and warm-up')
  type Sample = ThroughputResults['bare']['rounds'][number]
  const sum = (server: 'bare' | 'token', pick: (sample: Sample) => number): number => {
    const samples = [...throughput[server].rounds, ...(throughput.warmup ? [throughput.warmup[server]] : [])]
    return samples.reduce((total, sample) => total + pick(sample), 0)
  }
  out.push(
    indent(
      renderTable(
        [{ header: '' }, { header: 'responses', align: 'right' }, { header: '2xx', align: 'right' }, { header: 'non-2xx', align: 'right' }, { header: 'errors', align: 'right' }, { header: 'timeouts', align: 'right' }],
        (['bare', 'token'] as const).map((server) => [server, formatNumber(sum(server, (s) => s.requests)), formatNumber(sum(server, (s) => s.ok)), formatNumber(sum(server, (s) => s.non2xx)), formatNumber(sum(server, (s) => s.errors)), formatNumber(sum(server, (s) => s.timeouts))]),
      ),
    ),
  )
  const failed = results.problems.filter((problem) => problem.section === 'throughput').length
  out.push(failed === 0 ? '  OK: every response was 2xx, no errors' : `  FAILED: ${failed} run(s) with non-2xx responses or errors (see below)`)
  return out.join('\n')
}

/** The loud block printed when any request of a throughput, memory or scale measurement failed or answered unexpectedly. */
export function renderProblems(results: BenchResults): string {
  if (results.problems.length === 0) return ''
  const lines = [
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '!!! BENCHMARK INVALID: some requests failed or got an unexpected status.     !!!',
    '!!! The figures above do not measure the routes they claim to.               !!!',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    ...results.problems.map((problem) => `  ${problem.section}: ${problem.server} ${problem.phase}: unexpected ${problem.unexpected}, errors ${problem.errors}, timeouts ${problem.timeouts}, statuses ${JSON.stringify(problem.statusCounts)}`),
    '',
  ]
  return lines.join('\n')
}

// Above this 1-minute load per CPU, something else was competing for the CPUs.
const BUSY_LOAD_PER_CPU = 0.5
