import { TARGETS } from './config.js'
import type { MixedLoadResults } from './mixed-load.js'
import { formatMiB, formatNumber, indent, renderTable } from './table.js'

/** The mixed-load section of the report: per kind req/s, p50/p99, unexpected answers and socket errors, beside the target of 0. */
export function renderLoad(load: MixedLoadResults): string {
  const { settings } = load
  const out: string[] = []
  out.push(
    `LOAD  ${settings.seconds} s mixed load on loopback against one mock (bundled fixtures, ${load.customers} customers, --log-level silent); measured ${load.durationSeconds.toFixed(1)} s`,
  )
  out.push(`  ${settings.tokenConnections} autocannon connections on the token endpoint, each with its own signed-in session; meanwhile ${settings.signInClients} clients loop sign-in -> sign-out and ${settings.ssoClients} clients loop SSO URL -> SSO -> sign-out (one keep-alive connection each)`)
  const allowed = TARGETS.maxLoadFailures
  const rows: (string[] | null)[] = load.kinds.map((kind) => [
    kind.kind,
    formatNumber(kind.responses),
    formatNumber(kind.reqPerSec),
    formatNumber(kind.p50Ms, 1),
    formatNumber(kind.p99Ms, 1),
    formatNumber(kind.unexpected),
    formatNumber(kind.socketErrors),
    kind.responses > 0 && kind.unexpected <= allowed && kind.socketErrors <= allowed ? 'PASS' : 'MISS',
  ])
  const total = (pick: (kind: MixedLoadResults['kinds'][number]) => number): number => load.kinds.reduce((sum, kind) => sum + pick(kind), 0)
  rows.push(null)
  rows.push(['all', formatNumber(total((kind) => kind.responses)), formatNumber(total((kind) => kind.reqPerSec)), '', '', formatNumber(total((kind) => kind.unexpected)), formatNumber(total((kind) => kind.socketErrors)), ''])
  out.push(
    indent(
      renderTable(
        [
          { header: 'kind' },
          { header: 'answers', align: 'right' },
          { header: 'req/s', align: 'right' },
          { header: 'p50 ms', align: 'right' },
          { header: 'p99 ms', align: 'right' },
          { header: 'unexpected', align: 'right' },
          { header: 'socket errors', align: 'right' },
          { header: `target ${allowed} / ${allowed}` },
        ],
        rows,
      ),
    ),
  )
  const width = Math.max(...load.kinds.map((kind) => kind.kind.length))
  for (const kind of load.kinds) out.push(`  ${kind.kind.padEnd(width)} = ${kind.request}; expected: ${kind.expected}; sent by ${kind.sentBy}`)
  out.push("  latency: token from autocannon's histogram (1 ms resolution); the others timed by their client, request sent -> last byte of the answer")
  const { intactTokenSessions, tokenSessions, healthSessions } = load.after
  out.push(`  after the load: ${intactTokenSessions}/${tokenSessions} token sessions still answer a token for their own customer; /__mock/health counts ${formatNumber(healthSessions)} sessions (expected ${tokenSessions}: every looping client signed out)`)
  out.push(`  mock RSS: ${formatMiB(load.rssBytes.before)} before the load, ${formatMiB(load.rssBytes.after)} after`)
  for (const kind of load.kinds) {
    for (const example of kind.examples) out.push(`  ${kind.kind} unexpected: ${example}`)
  }
  return out.join('\n')
}
