// examples/msw-jest/ run for real by Jest 30 with its default configuration (no config file, no
// transform, the node test environment), under msw 3 and msw 2: a new project installs the
// packed package, Jest, jsonwebtoken and msw 3 as the example lists them and runs its `npm test`,
// `node --experimental-vm-modules node_modules/jest/bin/jest.js`, as Jest's documentation says to
// run ESM; then msw 2 replaces msw 3, and it runs again. (Jest's CommonJS loader cannot load either msw: msw 3 is ESM only, and msw 2.15's
// CommonJS build requires rettime, which is.) Jest must report every test passed, none skipped,
// and exit by itself.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/cli.js'
import { runIn } from '../helpers/consumer.js'
import { installExample, switchToMsw2 } from '../helpers/example-project.js'

interface JestReport {
  success: boolean
  numTotalTests: number
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  testResults: { name: string; status: string; assertionResults: { title: string; status: string }[] }[]
}

const file = 'current-customer.test.mjs'

t.test('npm test (Jest 30, ESM) under msw 3, then msw 2: every test passes and Jest exits by itself', async (t) => {
  const titles = [...readFileSync(join(ROOT, 'examples', 'msw-jest', file), 'utf8').matchAll(/^test\('([^']+)'/gm)].map((match) => match[1])
  t.ok(titles.length >= 4, `${file} has ${titles.length} tests`)
  const project = installExample(t, 'msw-jest')
  for (const msw of [3, 2]) {
    if (msw === 2) switchToMsw2(t, project)
    const report = join(project, `jest-report-msw${msw}.json`)
    const jest = runIn('npm', ['test', '--', '--json', `--outputFile=${report}`], project, 90_000)
    t.equal(jest.error, undefined, `msw ${msw}: Jest ended within 90 s`)
    t.equal(jest.status, 0, `msw ${msw}: jest passed\n${jest.stdout}${jest.stderr}`)
    t.notMatch(jest.stderr, /did not exit|open handle|Must use import|ERR_REQUIRE_ESM/i)
    const result = JSON.parse(readFileSync(report, 'utf8')) as JestReport
    t.match(
      result,
      { success: true, numTotalTests: titles.length, numPassedTests: titles.length, numFailedTests: 0, numPendingTests: 0 },
      `msw ${msw}: ${titles.length} tests, all passed`,
    )
    t.same(
      result.testResults.map(({ name, status }) => ({ file: name.slice(-file.length), status })),
      [{ file, status: 'passed' }],
      `msw ${msw}: that file alone ran`,
    )
    t.same(
      result.testResults.flatMap(({ assertionResults }) => assertionResults.map(({ title, status }) => ({ title, status }))),
      titles.map((title) => ({ title, status: 'passed' })),
      `msw ${msw}: each test by name`,
    )
  }
})
