import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import t from 'tap'
import { resultsPage, type RunRecord } from '../../scripts/bench/results-page.js'

// docs/benchmark-results.md is written by `npm run bench` from the run's record, never by hand.

const run: RunRecord = {
  startedAt: '2026-01-02T03:04:05.000Z',
  elapsedSeconds: 12.4,
  environment: { node: 'v22.23.0', platform: 'linux-x64', cpus: 2, cpuModel: 'Test CPU', loadAverage: { start: 0.2, end: 0.4 } },
  busy: false,
  sections: {
    instances: {
      settings: { runs: 20 },
      seconds: 1.2,
      outcome: { results: {}, report: `FRESH INSTANCE PER TEST\n  cache in ${homedir()}/.cache/x`, targets: [], problems: [] },
    },
    cold: { settings: { runs: 5 }, seconds: 3, failure: 'spawn failed' },
  },
  targets: [
    { section: 'instances', metric: 'a | b, median ms', value: 3, shown: '3.00', target: '<= 10.00', pass: true, invalid: false },
    { section: 'instances', metric: 'start, median ms', value: 20, shown: '20.00', target: '<= 15.00', pass: false, invalid: false },
  ],
  problems: [],
  failures: ['cold: spawn failed'],
}

t.test('the figures page of a run', async (t) => {
  const page = resultsPage(run, ['cold', 'throughput', 'instances'])
  t.match(page, /^<!-- Written by `npm run bench`/)
  t.match(page, /Run of 2026-01-02T03:04:05\.000Z: Node v22\.23\.0, linux-x64, 2 CPUs \(Test CPU\)/)
  t.match(page, /Sections not run \(`BENCH_ONLY`\): throughput\./)
  t.match(page, /\n\| instances \| runs 20 \| 1 \|\n/)
  t.match(page, /\n\| instances \| a \\\| b, median ms \| 3\.00 \| <= 10\.00 \| PASS \|\n/, 'a | in a cell is escaped')
  t.match(page, /\n\| instances \| start, median ms \| 20\.00 \| <= 15\.00 \| MISS \|\n/)
  t.match(page, /1 of 2 targets met; 1 section\(s\) failed\./)
  t.match(page, /## Failed sections\n\n- cold: spawn failed\n/)
  t.match(page, /```text\nFRESH INSTANCE PER TEST\n {2}cache in ~\/\.cache\/x\n```\n$/, 'the report, with the home directory as ~')
})

t.test('the committed page is one the bench wrote', async (t) => {
  const committed = readFileSync(new URL('../../docs/benchmark-results.md', import.meta.url), 'utf8')
  const header = resultsPage(run, []).split('\n').slice(0, 6)
  t.same(committed.split('\n').slice(0, 6), header)
  t.match(committed, /\n## Targets\n[\s\S]*\n## Report\n/)
})
