// examples/msw-widget/ under Vitest with jsdom, run for real: the example's files in a new project
// that installs the packed package, msw, Vitest, jsdom and jose as its package.json lists them,
// then `vitest run` as a process. The widget fetches the token through the mock's MSW handlers and
// posts it to the app backend's handler, which verifies it with jose under jsdom. Vitest must
// report every test of the file passed, none skipped, and exit by itself.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/cli.js'
import { runIn } from '../helpers/consumer.js'
import { installExample } from '../helpers/example-project.js'

interface VitestReport {
  success: boolean
  numTotalTests: number
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  numTodoTests: number
  testResults: { name: string; status: string; assertionResults: { title: string; status: string }[] }[]
}

const TEST_FILE = 'src/customer-badge.test.js'

t.test('vitest run (jsdom): every test of the widget passes', async (t) => {
  const project = installExample(t, 'msw-widget')
  const titles = [...readFileSync(join(ROOT, 'examples', 'msw-widget', TEST_FILE), 'utf8').matchAll(/^test\('([^']+)'/gm)].map(
    (match) => match[1],
  )
  t.ok(titles.length >= 5, `${TEST_FILE} has ${titles.length} tests`)

  const report = join(project, 'vitest-report.json')
  const vitest = runIn(
    process.execPath,
    [join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=json', `--outputFile=${report}`],
    project,
    90_000,
  )
  t.equal(vitest.error, undefined, 'Vitest ended within 90 s')
  t.equal(vitest.status, 0, `vitest passed\n${vitest.stdout}${vitest.stderr}`)
  const result = JSON.parse(readFileSync(report, 'utf8')) as VitestReport
  t.match(
    result,
    { success: true, numTotalTests: titles.length, numPassedTests: titles.length, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 },
    `${titles.length} tests, all passed`,
  )
  t.same(
    result.testResults.map(({ name, status }) => ({ file: name.slice(-TEST_FILE.length), status })),
    [{ file: TEST_FILE, status: 'passed' }],
    'one file ran: the widget test',
  )
  t.same(
    result.testResults.flatMap(({ assertionResults }) => assertionResults.map(({ title, status }) => ({ title, status }))),
    titles.map((title) => ({ title, status: 'passed' })),
    'each test by name',
  )
})
