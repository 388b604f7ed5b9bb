// examples/msw-node-test/ (the storefront, and an app backend calling the Management API) with node:test, run for real under msw 3 and msw 2: a new project
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

const TEST_FILES = ['storefront.test.mjs', 'app-backend.test.mjs']
const titles = TEST_FILES.flatMap((file) =>
  [...readFileSync(join(ROOT, 'examples', 'msw-node-test', file), 'utf8').matchAll(/^test\('([^']+)'/gm)].map((match) => match[1] ?? ''),
)

t.test('node --test under msw 3, then msw 2: every test passes', async (t) => {
  t.ok(titles.length >= 6, `${TEST_FILES.join(' and ')} have ${titles.length} tests`)
  const project = installExample(t, 'msw-node-test')
  for (const msw of [3, 2]) {
    if (msw === 2) switchToMsw2(t, project)
    const run = runIn(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=1', ...TEST_FILES], project, 60_000)
    t.equal(run.error, undefined, `msw ${msw}: node --test ended within 60 s`)
    t.equal(run.status, 0, `msw ${msw}: node --test passed\n${run.stdout}${run.stderr}`)
    const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1] ?? Number.NaN)
    t.same(
      { tests: count('tests'), pass: count('pass'), fail: count('fail'), skipped: count('skipped'), todo: count('todo') },
      { tests: titles.length, pass: titles.length, fail: 0, skipped: 0, todo: 0 },
      `msw ${msw}: ${titles.length} tests, all passed`,
    )
    const passed = [...run.stdout.matchAll(/^ok \d+ - (.+)$/gm)].map((match) => match[1])
    // node --test runs the files in its own order.
    t.same([...passed].sort(), [...titles].sort(), `msw ${msw}: each test by name`)
  }
})
