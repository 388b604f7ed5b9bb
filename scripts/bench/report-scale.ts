import { TARGETS } from './config.js'
import type { ScaleResults } from './scale.js'
import { meetsScaleTarget } from './scale.js'
import { median } from './stats.js'
import { formatMiB, formatNumber, formatRatio, indent, renderTable } from './table.js'

/** The scale section of the report: start-up, RSS and token req/s of each fixture beside the default's, with the target. */
export function renderScale(scale: ScaleResults): string {
  const { settings } = scale
  const out: string[] = []
  out.push(
    `SCALE  ${formatNumber(settings.customers)} customers against the bundled default in the same run; ${settings.starts} starts of a fresh process per fixture, each: spawn -> first 200 on GET /login.php (RSS read then), sign in as the last customer of the list, ${settings.warmupSeconds} s warm-up, ${settings.rounds} interleaved token rounds x ${settings.seconds} s (autocannon ${scale.connections} connections; order rotates); medians over the starts`,
  )
  const rows = scale.servers.map((server, index) => [
    server.name,
    formatNumber(server.customers),
    formatNumber(server.medianStartupMs),
    formatMiB(server.medianRssAtStartBytes),
    formatMiB(server.medianRssAfterLoadBytes),
    formatNumber(median(server.warmups.map((warmup) => warmup.reqPerSec))),
    formatNumber(server.meanReqPerSec),
    formatNumber(server.meanP99Ms, 1),
    formatNumber(server.meanCpuUsPerRequest, 1),
    formatRatio(server.ratioToDefault),
    formatRatio(server.medianRoundRatio),
    index === 0 ? '(reference)' : server.name === 'control' ? '(A/A: noise)' : meetsScaleTarget(server) ? 'PASS' : 'MISS',
  ])
  out.push(
    indent(
      renderTable(
        [
          { header: 'fixture' },
          { header: 'customers', align: 'right' },
          { header: 'start-up ms', align: 'right' },
          { header: 'RSS at start', align: 'right' },
          { header: 'RSS after load', align: 'right' },
          { header: 'warm-up req/s', align: 'right' },
          { header: 'token req/s', align: 'right' },
          { header: 'p99 ms', align: 'right' },
          { header: 'CPU us/req', align: 'right' },
          { header: 'vs default (means)', align: 'right' },
          { header: 'vs default (median round)', align: 'right' },
          { header: `target >= ${TARGETS.minScaleThroughputRatio.toFixed(2)}x` },
        ],
        rows,
      ),
    ),
  )
  const width = Math.max(...scale.servers.map((server) => server.name.length))
  for (const [index, server] of scale.servers.entries()) {
    const file = server.fixtureBytes === null ? '' : `, ${formatMiB(server.fixtureBytes)} file`
    out.push(
      `  ${server.name.padEnd(width)} = ${server.fixture}${file}; starts ${server.startupMs.map((ms) => ms.toFixed(0)).join(' ')} ms; token for ${server.signedInAs.email} (id ${server.signedInAs.id}); rounds ${server.rounds.map((round) => formatNumber(round.reqPerSec)).join(' ')} req/s${index === 0 ? '' : ` (ratios ${server.roundRatios.map((ratio) => formatRatio(ratio)).join(' ')})`}; CPU/req vs default ${formatRatio(server.cpuRatioToDefault)}`,
    )
  }
  out.push('  start-up ms, RSS at start, RSS after load, warm-up req/s: medians over the starts; token req/s, p99, CPU us/req: means over all rounds; CPU us/req = /proc utime+stime of the mock per answer')
  out.push(
    "  vs default (means) = mean token req/s over the default's; vs default (median round) = median of each round's req/s over the default's in the same round: the target's figure, not swayed by one disturbed round or one unlucky process",
  )
  const control = scale.servers.find((server) => server.name === 'control')
  if (control) {
    const spread = Math.max(...control.roundRatios.map((ratio) => Math.abs(ratio - 1)))
    out.push(
      `  control = the default fixtures again, in a second process: two identical servers differed by ${formatRatio(control.medianRoundRatio)} (median round; single rounds up to ${(spread * 100).toFixed(0)}% apart) in this run: the noise the 10% target is read against`,
    )
  }
  out.push('  warm-up req/s = the unrecorded first seconds of load after start-up: lower for a large fixture while V8 collects the garbage of its parse or generation')
  out.push('  RSS at start is read at the first 200: it includes garbage of the fixture parse, which V8 returns once the process idles (not while it is under load)')
  return out.join('\n')
}
