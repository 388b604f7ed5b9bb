import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp } from '../../server/index.js'
import { getToken, signIn } from '../helpers/session.js'
import { LEVEL, LogCapture } from '../helpers/log-capture.js'

const APP = { clientId: 'watchapp0client0id', secret: 'watch-app-secret-watch-app-secret' }

interface Person {
  id: number
  email: string
}
const JOHN: Person = { id: 4927, email: 'john.doe@example.com' }
const JANE: Person = { id: 4928, email: 'jane.roe@example.com' }
const NEW: Person = { id: 5000, email: 'new.customer@example.com' }

function storeYaml(customers: Person[]): string {
  return [
    'store_hash: abc123',
    'apps:',
    `  - client_id: ${APP.clientId}`,
    `    client_secret: ${APP.secret}`,
    'customers:',
    ...customers.flatMap((customer) => [`  - id: ${customer.id}`, `    email: ${customer.email}`, '    password: letmein']),
    '',
  ].join('\n')
}

function setup(t: Test, customers: Person[] = [JOHN, JANE]) {
  const dir = mkdtempSync(join(tmpdir(), 'bc-mock-watch-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'store.yaml')
  writeFileSync(file, storeYaml(customers))
  const logs = new LogCapture()
  const app = buildApp({ fixtures: file, watch: true, logLevel: 'info', logStream: logs })
  t.teardown(() => app.close())
  const reloads = () => logs.find('fixtures reloaded').length
  const failures = () => logs.find('fixtures not reloaded').length
  return { dir, file, logs, app, reloads, failures }
}

async function canSignIn(app: ReturnType<typeof buildApp>, email: string): Promise<boolean> {
  const response = await app.inject({
    method: 'POST',
    url: '/login.php?action=check_login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ login_email: email, login_pass: 'letmein' }).toString(),
  })
  return response.statusCode === 302
}

t.test('an edit of the fixture file applies without a restart and is logged with counts', async (t) => {
  const { file, logs, app, reloads } = setup(t)
  t.notOk(await canSignIn(app, NEW.email), 'not a customer yet')
  const before = reloads()
  writeFileSync(file, storeYaml([JOHN, JANE, NEW]))
  const line = await logs.waitFor('fixtures reloaded', before + 1)
  t.equal(line.level, LEVEL.info)
  t.equal(line.customers, 3)
  t.equal(line.apps, 1)
  t.ok(await canSignIn(app, NEW.email), 'the new customer signs in')
})

t.test('a broken edit changes nothing and logs file, path and reason at error level', async (t) => {
  const { file, logs, app, failures } = setup(t)

  let before = failures()
  writeFileSync(file, storeYaml([JOHN, JANE]).replace(`email: ${JANE.email}`, 'email: not-an-email'))
  const invalid = await logs.waitFor('fixtures not reloaded', before + 1)
  t.equal(invalid.level, LEVEL.error)
  t.equal(invalid.file, file)
  t.match(invalid.problems, [{ file, path: 'customers[1].email', reason: /email address/ }])
  t.ok(await canSignIn(app, JANE.email), 'the last good state keeps serving')

  before = failures()
  writeFileSync(file, 'store_hash: [unclosed\n')
  const yaml = await logs.waitFor('fixtures not reloaded', before + 1)
  t.match(yaml.problems, [{ file, path: '', reason: /not valid YAML/ }])
  t.ok(await canSignIn(app, JOHN.email))

  before = failures()
  writeFileSync(file, '')
  await logs.waitFor('fixtures not reloaded', before + 1)
  t.ok(await canSignIn(app, JOHN.email), 'a truncated file changes nothing')
})

t.test('a deleted file keeps the last state serving; the file coming back (editor rename) reloads it', async (t) => {
  const { dir, file, logs, app, reloads, failures } = setup(t)
  let before = failures()
  unlinkSync(file)
  const gone = await logs.waitFor('fixtures not reloaded', before + 1)
  t.equal(gone.level, LEVEL.error)
  t.match(gone.problems, [{ reason: 'file not found' }])
  t.ok(await canSignIn(app, JOHN.email), 'still serving')

  // Save as editors do: write a temporary file, rename it over the original.
  before = reloads()
  const temporary = join(dir, '.store.yaml.tmp')
  writeFileSync(temporary, storeYaml([JOHN, NEW]))
  renameSync(temporary, file)
  await logs.waitFor('fixtures reloaded', before + 1)
  t.ok(await canSignIn(app, NEW.email))
  t.notOk(await canSignIn(app, JANE.email), 'removed by the edit')

  // The watcher still works after a rename replaced the file.
  before = reloads()
  writeFileSync(file, storeYaml([JOHN, JANE]))
  await logs.waitFor('fixtures reloaded', before + 1)
  t.ok(await canSignIn(app, JANE.email))
})

t.test('sessions of customers that still exist survive a reload; removed customers lose theirs', async (t) => {
  const { file, logs, app, reloads } = setup(t)
  const john = (await signIn(app, JOHN.email, 'letmein')).cookie
  const jane = (await signIn(app, JANE.email, 'letmein')).cookie
  const before = reloads()
  writeFileSync(file, storeYaml([JOHN]))
  await logs.waitFor('fixtures reloaded', before + 1)
  t.equal((await getToken(app, APP.clientId, { cookie: john })).statusCode, 200, 'John is still signed in')
  const janeAfter = await getToken(app, APP.clientId, { cookie: jane })
  t.equal(janeAfter.statusCode, 404)
  t.match(janeAfter.json(), { code: 'BCMOCK_NOT_LOGGED_IN' })
})

t.test(
  "the watched file's directory removed, or moved away: an error says watching paused; a directory back at the path resumes it",
  async (t) => {
    const { dir, file, logs, app, reloads } = setup(t)
    const paused = () => logs.find('fixture watching paused').length
    const resumed = () => logs.find('fixture watching resumed').length

    let before = paused()
    rmSync(dir, { recursive: true })
    const line = await logs.waitFor('fixture watching paused', before + 1)
    t.equal(line.level, LEVEL.error)
    t.equal(line.dir, dir, 'names the directory')
    t.match(line.msg, /the current fixtures keep serving/)
    t.ok(await canSignIn(app, JANE.email), 'the last good fixtures keep serving')

    // As a `git checkout` or a build step does: the directory made again, with the file in it.
    let reloaded = reloads()
    mkdirSync(dir)
    writeFileSync(file, storeYaml([JOHN, NEW]))
    await logs.waitFor('fixture watching resumed', resumed() + 1)
    await logs.waitFor('fixtures reloaded', reloaded + 1)
    t.ok(await canSignIn(app, NEW.email), 'the file found in the new directory applies')
    t.notOk(await canSignIn(app, JANE.email))

    // And it is that new directory that is watched now.
    reloaded = reloads()
    writeFileSync(file, storeYaml([JOHN, JANE]))
    await logs.waitFor('fixtures reloaded', reloaded + 1)
    t.ok(await canSignIn(app, JANE.email), 'an edit in the new directory applies')

    // Moved away, the old directory's edits no longer count: they are not the file at the path.
    before = paused()
    const moved = `${dir}-moved`
    t.teardown(() => rmSync(moved, { recursive: true, force: true }))
    renameSync(dir, moved)
    await logs.waitFor('fixture watching paused', before + 1)
    reloaded = reloads()
    writeFileSync(join(moved, 'store.yaml'), storeYaml([NEW]))
    await new Promise((resolve) => setTimeout(resolve, 400))
    t.equal(reloads(), reloaded, 'an edit in the moved directory is not applied')
    t.ok(await canSignIn(app, JOHN.email), 'the last good fixtures keep serving')
  },
)

t.test('close releases the watcher: no handle left, later edits ignored', async (t) => {
  // A closed handle is released a few event-loop turns later, not at once.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50))
  const watchers = () => process.getActiveResourcesInfo().filter((name) => name === 'FSEventWrap').length
  await settle()
  const baseline = watchers()
  const dir = mkdtempSync(join(tmpdir(), 'bc-mock-watch-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'store.yaml')
  writeFileSync(file, storeYaml([JOHN]))
  const logs = new LogCapture()
  const app = buildApp({ fixtures: file, watch: true, logLevel: 'info', logStream: logs })
  t.equal(watchers(), baseline + 1, 'watching while open')
  await app.close()
  await settle()
  t.equal(watchers(), baseline, 'no watcher after close')
  writeFileSync(file, storeYaml([JOHN, NEW]))
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.equal(logs.find('fixtures reloaded').length, 0)
  t.equal(logs.find('fixtures not reloaded').length, 0)
})

t.test('watch needs a fixture file', async (t) => {
  t.throws(() => buildApp({ watch: true, fixtures: { store_hash: 'abc123', apps: [] } }), {
    code: 'BCMOCK_INVALID_OPTION',
    message: /^watch: needs fixtures given as a file path/,
  })
})
