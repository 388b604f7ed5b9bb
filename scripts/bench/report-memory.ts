import { TARGETS } from './config.js'
import type { MemoryPhase, MemoryResults } from './memory.js'
import { formatMiB, formatNumber, indent, renderTable } from './table.js'

/** The memory section of the report: RSS readings of each phase, where it plateaus, and the boundedness criterion. */
export function renderMemory(memory: MemoryResults): string {
  const out: string[] = []
  out.push(`MEMORY  one mock (bundled fixtures, default --max-sessions ${formatNumber(memory.maxSessions)}, --log-level silent); RSS = VmRSS of /proc/<pid>/status, read 250 ms after each chunk; load by autocannon, 10 connections, \`amount\` per chunk`)
  out.push(`  RSS when it first answered: ${formatMiB(memory.rssAtStartBytes)}`)
  for (const phase of memory.phases) out.push(renderPhase(phase))
  const fraction = `${(TARGETS.maxSecondHalfGrowthFraction * 100).toFixed(0)}%`
  out.push(
    `  bounded = RSS growth over the second half of a phase (last reading - half-way reading) <= ${fraction} of the growth over the first half (half-way - first reading), or <= ${formatMiB(TARGETS.rssNoiseAllowanceBytes)} (GC timing noise), whichever is larger`,
  )
  out.push(`  plateau = the first reading that no later reading exceeds by more than ${formatMiB(TARGETS.rssNoiseAllowanceBytes)}`)
  return out.join('\n')
}

function renderPhase(phase: MemoryPhase): string {
  const out: string[] = []
  const unit = phase.name === 'token' ? 'token requests' : 'sign-ins'
  out.push(`  ${phase.name.toUpperCase()} PHASE: ${formatNumber(phase.total)} x ${phase.request}, expecting ${phase.expectedStatus}; ${formatNumber(phase.reqPerSec)} req/s; unexpected ${formatNumber(phase.unexpected)}, errors ${formatNumber(phase.errors)}`)
  const first = phase.samples[0]?.rssBytes ?? Number.NaN
  const rows = phase.samples.map((sample) => [formatNumber(sample.done), formatMiB(sample.rssBytes), `${sample.rssBytes >= first ? '+' : ''}${formatMiB(sample.rssBytes - first)}`, formatNumber(sample.sessions)])
  out.push(indent(indent(renderTable([{ header: unit, align: 'right' }, { header: 'RSS', align: 'right' }, { header: 'vs first', align: 'right' }, { header: 'sessions', align: 'right' }], rows))))
  const { firstHalfBytes, secondHalfBytes, allowedBytes, bounded } = phase.growth
  out.push(`    growth: first half ${formatMiB(firstHalfBytes)}, second half ${formatMiB(secondHalfBytes)} (allowed ${formatMiB(allowedBytes)}): ${bounded ? 'BOUNDED' : 'STILL GROWING'}`)
  const sessionsFull = phase.samples.find((sample) => sample.sessions >= Math.max(...phase.samples.map((entry) => entry.sessions)))
  out.push(
    `    plateau: ${phase.plateau ? `RSS stays within ${formatMiB(TARGETS.rssNoiseAllowanceBytes)} of its highest, ${formatMiB(phase.plateau.rssBytes)}, from ${formatNumber(phase.plateau.fromDone)} ${unit} on` : 'none: RSS was still growing at the last reading'}` +
      (phase.name === 'sign-in' && sessionsFull ? `; sessions reach ${formatNumber(sessionsFull.sessions)} by the reading at ${formatNumber(sessionsFull.done)} ${unit} and stay there` : ''),
  )
  return out.join('\n')
}
