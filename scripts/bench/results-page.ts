import { homedir } from 'node:os'
import { num } from './figures.js'
import type { SectionOutcome, Target } from './section.js'

/** What one section did, as `latest.json` records it. */
export interface SectionRecord {
  settings: object
  seconds: number
  outcome?: SectionOutcome
  failure?: string
}

/** One run, as `latest.json` records it: the figures page is made from this alone. */
export interface RunRecord {
  startedAt: Date | string
  elapsedSeconds: number
  environment: { node: string; platform: string; cpus: number; cpuModel: string; loadAverage: { start: number; end: number } }
  /** Whether the load average says other work competed for the CPUs. */
  busy: boolean
  sections: Record<string, SectionRecord>
  targets: (Target & { section: string; invalid: boolean })[]
  problems: string[]
  failures: string[]
}

// A table cell: one line, and a `|` that does not end the cell.
const cell = (text: string): string => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`
const settingsText = (settings: object): string =>
  Object.entries(settings)
    .map(([name, value]) => `${name} ${JSON.stringify(value)}`)
    .join(', ')

/**
 * The Markdown page of a run's figures (`docs/benchmark-results.md`), written by `npm run bench`
 * beside `latest.json` so that readers of the repository see the figures of the last committed
 * run. `allSections` names every section, so the page says which ones this run left out.
 */
export function resultsPage(run: RunRecord, allSections: readonly string[]): string {
  const { environment: env } = run
  const ran = Object.keys(run.sections)
  const skipped = allSections.filter((name) => !ran.includes(name))
  const passed = run.targets.filter((check) => check.pass && !check.invalid).length
  const reports = Object.entries(run.sections).flatMap(([, record]) => (record.outcome ? [record.outcome.report] : []))
  const home = homedir()
  const lines = [
    '<!-- Written by `npm run bench` (scripts/bench.ts, scripts/bench/results-page.ts): do not edit by hand. -->',
    '# Benchmark results',
    '',
    'Figures of the last `npm run bench` run, written by the run itself beside `bench-results/latest.json`;',
    'never edited by hand. What each section measures, its targets and its knobs: [Benchmark](benchmark.md).',
    'Compare ratios within a run, never across runs: machines differ.',
    '',
    `Run of ${new Date(run.startedAt).toISOString()}: Node ${env.node}, ${env.platform}, ${env.cpus} CPUs (${env.cpuModel}), load average (1 min)`,
    `${env.loadAverage.start.toFixed(2)} at start and ${env.loadAverage.end.toFixed(2)} at end${run.busy ? ' (the machine was busy with other work: figures are noisy)' : ''}; the run took ${num(run.elapsedSeconds)} s.`,
    skipped.length === 0 ? 'Every section ran.' : `Sections not run (\`BENCH_ONLY\`): ${skipped.join(', ')}.`,
    '',
    '| section | settings | seconds |',
    '|---|---|---|',
    ...Object.entries(run.sections).map(([name, record]) => row([name, settingsText(record.settings), num(record.seconds)])),
    '',
    '## Targets',
    '',
    '| section | metric | measured | target | result |',
    '|---|---|---|---|---|',
    ...run.targets.map((check) =>
      row([
        check.section,
        check.metric,
        check.shown,
        check.target,
        check.invalid ? 'INVALID (failed requests)' : check.pass ? 'PASS' : 'MISS',
      ]),
    ),
    '',
    `${passed} of ${run.targets.length} targets met${run.failures.length > 0 ? `; ${run.failures.length} section(s) failed` : ''}.`,
  ]
  if (run.failures.length > 0)
    lines.push('', '## Failed sections', '', ...run.failures.map((failure) => `- ${failure.replace(/\s*\n\s*/g, ' ')}`))
  if (run.problems.length > 0)
    lines.push(
      '',
      '## Invalid: failed or unexpected requests',
      '',
      'The figures above do not measure what they claim to:',
      '',
      ...run.problems.map((problem) => `- ${problem.replace(/\s*\n\s*/g, ' ')}`),
    )
  lines.push('', '## Report', '', 'As printed by the run.', '', '```text', ...reports.flatMap((report) => [report, '']), '```', '')
  // The report names the user's cache directory; the page is committed, so it shows `~` instead.
  const page = lines.join('\n').replace(/\n\n```\n$/, '\n```\n')
  return home.length > 1 ? page.split(home).join('~') : page
}
