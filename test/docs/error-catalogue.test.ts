import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp, ERRORS, MockError } from '../../server/index.js'
import type { ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'

const root = new URL('../..', import.meta.url).pathname

t.test("the documentation's table of error codes is the catalogue", async (t) => {
  const page = readFileSync(join(root, 'docs', 'error-codes.md'), 'utf8')
  const rows = page
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
  const expected = Object.entries(ERRORS).map(([name, factory]) => [
    `\`${factory.code}\``,
    String(factory.statusCode),
    `\`${name}\``,
    factory.when,
  ])
  t.same(rows, expected)
})

t.test('one code, one meaning: no two catalogue entries share a code', async (t) => {
  const entriesByCode = new Map<string, string[]>()
  for (const [name, factory] of Object.entries(ERRORS)) entriesByCode.set(factory.code, [...(entriesByCode.get(factory.code) ?? []), name])
  t.same(
    [...entriesByCode].filter(([, names]) => names.length > 1),
    [],
    'codes shared by entries',
  )
})

t.test('BCMOCK_ code literals appear in the catalogue alone', async (t) => {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (path.endsWith('.ts')) files.push(path)
    }
  }
  walk(join(root, 'server'))
  const offenders = files
    .filter((file) => !file.endsWith(join('server', 'errors.ts')))
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/['"`](BCMOCK_[A-Z_]+)['"`]/g)].map((match) => `${file.slice(root.length)}: ${match[1]}`),
    )
    // A cookie's name, not an error code.
    .filter((hit) => !hit.endsWith('BCMOCK_LOGIN_FLASH'))
  t.same(offenders, [])
})

t.test('every factory makes a MockError with its own code and status', async (t) => {
  for (const [name, factory] of Object.entries(ERRORS)) {
    const make = factory as (...args: unknown[]) => MockError
    const error =
      name === 'fixtureInvalid' ? make([{ file: 'f.yaml', path: 'apps', message: 'expected a list' }]) : make('x', ['y'], ['z'], 'w')
    t.ok(error instanceof MockError, name)
    t.equal(error.code, factory.code, `${name}: code`)
    t.equal(error.statusCode, factory.statusCode, `${name}: status`)
    t.ok(error.code.startsWith('BCMOCK_'), `${name}: a BCMOCK_ code`)
  }
})

t.test("Fastify's own errors reach clients as BCMOCK_ codes", async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const badJson = await app.inject({
    method: 'POST',
    url: '/__mock/customers',
    headers: { 'content-type': 'application/json' },
    payload: '{"email": "x@example.com", "password": "hunter2-secret',
  })
  t.equal(badJson.statusCode, 400)
  t.equal(badJson.json<ErrorAnswer>().code, ERRORS.invalidJson.code)
  t.notOk(badJson.body.includes('hunter2-secret'), 'the body text is not quoted back')
  const badType = await app.inject({ method: 'POST', url: '/__mock/customers', headers: { 'content-type': 'text/csv' }, payload: 'a,b' })
  t.equal(badType.statusCode, 415)
  t.equal(badType.json<ErrorAnswer>().code, ERRORS.unsupportedMediaType.code)
  const tooLarge = await app.inject({
    method: 'POST',
    url: '/login.php?action=check_login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `login_email=${DEMO.john.email}&login_pass=${'x'.repeat(70_000)}`,
  })
  t.equal(tooLarge.statusCode, 413)
  t.equal(tooLarge.json<ErrorAnswer>().code, ERRORS.bodyTooLarge.code)
  const badEscape = await app.inject({ url: '/login%ZZ.php' })
  t.equal(badEscape.statusCode, 400)
  t.match(badEscape.json<ErrorAnswer>().code, /^BCMOCK_/)
  for (const answer of [badJson, badType, tooLarge, badEscape]) t.notMatch(answer.body, /FST_/, 'no Fastify code in the body')
})
