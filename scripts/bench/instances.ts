import Fastify from 'fastify'
import { buildApp, startMockStorefront } from '../../server/index.js'
import { median, num, percentile, ratio, table } from './figures.js'
import { int } from './knobs.js'
import { target, type Log, type Section } from './section.js'

type Step = 'bare build+ready' | 'buildApp+ready' | 'bare listen+close' | 'startMockStorefront+close'

/**
 * A fresh mock per test: in this process, after one warm-up of each, the time a test suite pays
 * per instance with the default fixtures, beside a bare Fastify doing the least it can:
 * `buildApp()` + `ready()` against `Fastify()` + one route + `ready()`, and
 * `startMockStorefront()` + `close()` against a bare `listen({port: 0})` + `close()`. Runs
 * interleave the four. Targets: medians of at most 10 ms and 15 ms. Knob:
 * `BENCH_INSTANCE_RUNS` (200, at least 20).
 */
export const instances: Section = {
  name: 'instances',
  prepare() {
    const settings = { runs: int('BENCH_INSTANCE_RUNS', 200, 20) }
    const steps: Record<Step, () => Promise<number>> = {
      'bare build+ready': () =>
        timed(async () => {
          const app = Fastify()
          app.get('/hello', async () => 'hello')
          await app.ready()
          return () => app.close()
        }),
      'buildApp+ready': () =>
        timed(async () => {
          const app = buildApp()
          await app.ready()
          return () => app.close()
        }),
      'bare listen+close': () =>
        timed(async () => {
          const app = Fastify()
          app.get('/hello', async () => 'hello')
          await app.listen({ host: '127.0.0.1', port: 0 })
          await app.close()
          return async () => {}
        }),
      'startMockStorefront+close': () =>
        timed(async () => {
          const storefront = await startMockStorefront()
          await storefront.close()
          return async () => {}
        }),
    }
    const run = async (log: Log) => {
      const ms = Object.fromEntries(Object.keys(steps).map((step) => [step, [] as number[]])) as Record<Step, number[]>
      for (let index = 0; index <= settings.runs; index++) {
        for (const [step, measure] of Object.entries(steps) as [Step, () => Promise<number>][]) {
          const took = await measure()
          if (index > 0) ms[step].push(took)
        }
        if (index > 0 && index % 50 === 0) log(`instances: ${index} of ${settings.runs} runs`)
      }
      const medians = Object.fromEntries(Object.entries(ms).map(([step, values]) => [step, median(values)])) as Record<Step, number>
      const row = (step: Step, baseline?: Step): string[] => [
        step,
        num(medians[step], 2),
        num(percentile(ms[step], 90), 2),
        baseline ? ratio(medians[step] / medians[baseline]) : '',
      ]
      const report = [
        `FRESH INSTANCE PER TEST  in-process, default fixtures, ${settings.runs} interleaved runs after one warm-up each`,
        table(
          ['', 'median ms', 'p90 ms', 'vs bare'],
          [
            row('bare build+ready'),
            row('buildApp+ready', 'bare build+ready'),
            null,
            row('bare listen+close'),
            row('startMockStorefront+close', 'bare listen+close'),
          ],
        ),
        '  Shared by every instance in a process: the parsed specs, each fixture file parsed once per text, generated customers per seed, compiled control validators.',
      ].join('\n')
      const targets = [
        target('buildApp() + ready(), median ms', medians['buildApp+ready'], '<=', 10, (value) => num(value, 2)),
        target('startMockStorefront() + close(), median ms', medians['startMockStorefront+close'], '<=', 15, (value) => num(value, 2)),
      ]
      return {
        results: {
          medians,
          ratios: {
            build: medians['buildApp+ready'] / medians['bare build+ready'],
            start: medians['startMockStorefront+close'] / medians['bare listen+close'],
          },
        },
        report,
        targets,
        problems: [],
      }
    }
    return { settings, run }
  },
}

// Time `start` alone; the cleanup it answers runs after, untimed.
async function timed(start: () => Promise<() => Promise<unknown>>): Promise<number> {
  const began = performance.now()
  const cleanup = await start()
  const took = performance.now() - began
  await cleanup()
  return took
}
