// examples/msw-node-test/ with node:test, run for real under msw 3 and msw 2: a new project
// installs the packed package, jose, jsonwebtoken and msw 3 as the example lists them, and
// `node --test` runs the example as a process; then msw 2 replaces msw 3 and it runs again. msw 2 keeps its own cookie store and replays the cookies a mocked
// answer set; msw 3 does not: the same file must pass under both. Every test must pass, none
// skipped, and the process exit by itself.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/cli.js'
import { runIn } from '../helpers/consumer.js'
import { installExample, switchToMsw2 } from '../helpers/example-project.js'

const TEST_FILE = 'storefront.test.mjs'
const titles = [...readFileSync(join(ROOT, 'examples', 'msw-node-test', TEST_FILE), 'utf8').matchAll(/^test\('([^']+)'/gm)].map(
  (match) => match[1] ?? '',
)

t.test('node --test under msw 3, then msw 2: every test passes', async (t) => {
  t.ok(titles.length >= 4, `${TEST_FILE} has ${titles.length} tests`)
  const project = installExample(t, 'msw-node-test')
  for (const msw of [3, 2]) {
    if (msw === 2) switchToMsw2(t, project)
    const run = runIn(process.execPath, ['--test', '--test-reporter=tap', TEST_FILE], project, 60_000)
    t.equal(run.error, undefined, `msw ${msw}: node --test ended within 60 s`)
    t.equal(run.status, 0, `msw ${msw}: node --test passed\n${run.stdout}${run.stderr}`)
    const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1] ?? Number.NaN)
    t.same(
      { tests: count('tests'), pass: count('pass'), fail: count('fail'), skipped: count('skipped'), todo: count('todo') },
      { tests: titles.length, pass: titles.length, fail: 0, skipped: 0, todo: 0 },
      `msw ${msw}: ${titles.length} tests, all passed`,
    )
    const passed = [...run.stdout.matchAll(/^ok \d+ - (.+)$/gm)].map((match) => match[1])
    t.same(passed, titles, `msw ${msw}: each test by name`)
  }
})
