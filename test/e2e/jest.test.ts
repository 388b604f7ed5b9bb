// examples/jest/ run for real by Jest 30 (this project's devDependency) with its default
// configuration: no config file, no transform. Its two test files are copied into a new project
// that installs the packed tarball and jsonwebtoken, as the example's package.json lists them;
// the CommonJS file runs as `jest token.test.cjs`, the ESM one as Jest's documentation says
// for ESM, `node --experimental-vm-modules .../jest.js token.test.mjs`. Each starts a mock per
// test and verifies a token with jsonwebtoken; Jest must report every test of the file passed,
// and exit by itself (a mock left open would keep it running).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ensureBuilt, ROOT } from '../helpers/cli.js'
import { packTarball, runIn as run } from '../helpers/consumer.js'

const EXAMPLE = join(ROOT, 'examples', 'jest')
const JEST = fileURLToPath(import.meta.resolve('jest/bin/jest'))

interface JestReport {
  success: boolean
  numTotalTests: number
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  testResults: { name: string; status: string; message: string }[]
}

ensureBuilt()
const work = mkdtempSync(join(tmpdir(), 'bc-mock-jest-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const project = join(work, 'project')

t.test('a project with the packed package, jsonwebtoken and the example test files', async (t) => {
  const example = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
  const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
  t.equal(example.devDependencies.jest, ours.devDependencies.jest, 'the example names the Jest this suite runs')
  t.equal(example.devDependencies.jsonwebtoken, ours.devDependencies.jsonwebtoken, 'and the same jsonwebtoken')

  const { filename } = packTarball(work)
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'jest-consumer', version: '1.0.0', private: true }, null, 2))
  for (const file of ['token.test.cjs', 'token.test.mjs']) copyFileSync(join(EXAMPLE, file), join(project, file))
  const install = run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(work, filename),
      `jsonwebtoken@${example.devDependencies.jsonwebtoken}`,
    ],
    project,
    120_000,
  )
  t.equal(install.status, 0, `npm install of the tarball and jsonwebtoken\n${install.stderr}`)
})

for (const { file, nodeArgs, how } of [
  { file: 'token.test.cjs', nodeArgs: [], how: 'CommonJS, Jest as it comes' },
  { file: 'token.test.mjs', nodeArgs: ['--experimental-vm-modules'], how: 'ESM, node --experimental-vm-modules' },
]) {
  t.test(`jest ${file} (${how}): every test passes and Jest exits by itself`, async (t) => {
    const expected = [...readFileSync(join(EXAMPLE, file), 'utf8').matchAll(/^test\(/gm)].length
    t.ok(expected >= 2, `${file} has ${expected} tests`)
    const report = join(work, `${file}.json`)
    const jest = run(process.execPath, [...nodeArgs, JEST, '--json', `--outputFile=${report}`, file], project, 90_000)
    t.equal(jest.error, undefined, 'Jest ended within 90 s')
    t.equal(jest.status, 0, `jest passed\n${jest.stdout}${jest.stderr}`)
    t.notMatch(jest.stderr, /did not exit|open handle|Must use import|ERR_REQUIRE_ESM/i)
    const result = JSON.parse(readFileSync(report, 'utf8')) as JestReport
    t.match(
      result,
      { success: true, numTotalTests: expected, numPassedTests: expected, numFailedTests: 0, numPendingTests: 0 },
      `${expected} tests, all passed`,
    )
    t.same(
      result.testResults.map(({ name, status }) => ({ file: name.slice(-file.length), status })),
      [{ file, status: 'passed' }],
    )
  })
}
