// examples/playwright/ as a user runs it: `npx playwright test` with two workers, each with its
// own mock from a worker-scoped fixture, signing in through the real form in Debian's Chromium.
// Same rule as the other browser tests: with CI set a missing Chromium fails; elsewhere the
// file is skipped with the install hint.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { chromiumReady } from '../helpers/chromium.js'
import { CliProcess, cleanEnv, ensureBuilt, ROOT } from '../helpers/cli.js'

interface JsonReport {
  stats: { expected: number; unexpected: number; skipped: number; flaky: number }
  suites: JsonSuite[]
}
interface JsonSuite {
  suites?: JsonSuite[]
  specs?: {
    title: string
    tests: { annotations: { type: string; description?: string }[]; results: { workerIndex: number; status: string }[] }[]
  }[]
}

if (chromiumReady(t)) {
  ensureBuilt()
  t.test('npx playwright test: 2 workers, a mock each, every test passes', async (t) => {
    const child = spawn(
      'npx',
      ['playwright', 'test', '--config', join('examples', 'playwright', 'playwright.config.ts'), '--reporter=json'],
      { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const run = new CliProcess(child)
    t.teardown(() => {
      if (!run.exit) child.kill('SIGKILL')
    })
    const exit = await run.waitForExit(90_000)
    t.match(exit, { code: 0 }, `playwright test passed\n${run.stderr}`)
    const report = JSON.parse(run.stdout) as JsonReport
    t.match(report.stats, { expected: 4, unexpected: 0, skipped: 0, flaky: 0 }, 'four tests, all passed, none skipped')

    const mockByWorker = new Map<number, Set<string>>()
    const walk = (suite: JsonSuite): void => {
      for (const spec of suite.specs ?? []) {
        for (const test of spec.tests) {
          const mock = test.annotations.find((annotation) => annotation.type === 'mock')?.description
          for (const result of test.results) {
            t.equal(result.status, 'passed', spec.title)
            if (mock) mockByWorker.set(result.workerIndex, (mockByWorker.get(result.workerIndex) ?? new Set()).add(mock))
          }
        }
      }
      for (const child of suite.suites ?? []) walk(child)
    }
    for (const suite of report.suites) walk(suite)
    t.equal(mockByWorker.size, 2, 'two workers ran tests')
    const urls = [...mockByWorker.values()].map((set) => [...set])
    t.ok(
      urls.every((list) => list.length === 1),
      'each worker used one mock for all its tests',
    )
    t.not(urls[0]?.[0], urls[1]?.[0], 'and the two workers had different mocks')
  })
}
