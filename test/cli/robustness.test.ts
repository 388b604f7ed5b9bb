// Faults: the fixture file deleted, truncated or made unreadable while --watch runs; the CLI
// killed with SIGKILL under load and started again on the same port; startMockStorefront
// started and closed 200 times in one process.
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { stringify as toYaml } from 'yaml'
import { startMockStorefront, type FixtureDocument, type RunningMockStorefront } from '../../server/index.js'
import { Browser } from '../helpers/browser.js'
import { type CliProcess, ensureBuilt, freePort, isListening, spawnCli } from '../helpers/cli.js'
import { SECRETS, tempDir, testDocument } from '../helpers/fixture-docs.js'
import { LEVEL, LogCapture, type LogLine } from '../helpers/log-capture.js'
import { quiescentSnapshot, settleTo } from '../helpers/process-resources.js'
import { DEMO } from '../helpers/storefront.js'
import { verifyWithJose, type AppUnderTest } from '../helpers/tokens.js'

/** A customer who signs in, and the app whose token proves it. */
interface Who {
  email: string
  password: string
  app: AppUnderTest
}
const ALICE: Who = {
  email: 'alice@example.com',
  password: SECRETS.password,
  app: { clientId: 'app-hs256', secret: SECRETS.hs256, algorithm: 'HS256' },
}
// The CLI runs on the bundled fixtures.
const JOHN: Who = {
  email: DEMO.john.email,
  password: DEMO.john.password,
  app: { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' },
}

/** Sign in over the socket and fetch a token: the store the mock holds is serving. */
async function serves(t: Test, url: string, message: string, who: Who = ALICE): Promise<Browser> {
  const browser = new Browser(url)
  const login = await browser.signIn(who.email, who.password)
  const token = await browser.fetch(`/customer/current.jwt?app_client_id=${who.app.clientId}`)
  t.ok(login.status === 302 && token.status === 200, `${message}: signs in and issues a token`)
  if (token.status === 200) await verifyWithJose(await token.text(), who.app)
  return browser
}

/** Wait for the next "fixtures not reloaded" line; check it says why, at error level. */
async function refused(t: Test, logs: LogCapture, reason: RegExp, what: string): Promise<LogLine> {
  const line = await logs.waitFor('fixtures not reloaded')
  t.equal(line.level, LEVEL.error, `${what}: logged at error level`)
  t.match(line.msg, /the previous fixtures keep serving/, `${what}: the log says the last good state keeps serving`)
  t.match(line.problems, [{ reason }], `${what}: the log says why (${reason})`)
  return line
}

function watched(t: Test, document: FixtureDocument, name = 'store.yaml') {
  const file = join(tempDir(t), name)
  const text = name.endsWith('.json') ? JSON.stringify(document, null, 2) : toYaml(document)
  writeFileSync(file, text)
  return { file, text }
}

t.test('--watch: a deleted, truncated or unreadable fixture file leaves the last good state serving, and the log says why', async (t) => {
  const { file, text: good } = watched(t, testDocument())
  const logs = new LogCapture()
  const storefront = await startMockStorefront({ fixtures: file, watch: true, logLevel: 'info', logStream: logs })
  t.teardown(() => storefront.close())
  const before = await serves(t, storefront.url, 'at start')
  const stillSignedIn = async (what: string) =>
    t.equal(
      (await before.fetch(`/customer/current.jwt?app_client_id=${ALICE.app.clientId}`)).status,
      200,
      `${what}: a session from before keeps working`,
    )
  const restore = async (what: string) => {
    const reloads = logs.find('fixtures reloaded').length
    writeFileSync(file, good)
    await logs.waitFor('fixtures reloaded', reloads + 1)
    await serves(t, storefront.url, `${what}, then the good file back`)
  }

  unlinkSync(file)
  await refused(t, logs, /^file not found$/, 'deleted')
  await serves(t, storefront.url, 'deleted')
  await stillSignedIn('deleted')
  await restore('deleted')

  writeFileSync(file, '')
  await refused(t, logs, /^the file is empty$/, 'truncated to nothing')
  await serves(t, storefront.url, 'truncated to nothing')

  // A save cut short mid-file: here, just after the first client_secret key, so that value is empty.
  const cut = good.indexOf('client_secret:') + 'client_secret:'.length
  writeFileSync(file, good.slice(0, cut))
  await refused(t, logs, /expected a non-empty string|expected a list/, 'truncated mid-file')
  await serves(t, storefront.url, 'truncated mid-file')
  await stillSignedIn('truncated')
  await restore('truncated')

  // Unreadable. chmod 000 stops a normal user, but not root (CAP_DAC_OVERRIDE), and CI
  // containers often run tests as root: detect that by trying to read, and then make the path
  // unreadable another way, by putting a directory where the file was (read fails with EISDIR).
  chmodSync(file, 0o000)
  let readableAnyway = true
  try {
    readFileSync(file)
  } catch {
    readableAnyway = false
  }
  if (readableAnyway) {
    t.comment('running as root: chmod 000 does not stop reading, so the unreadable case replaces the file with a directory')
    chmodSync(file, 0o644)
    unlinkSync(file)
    mkdirSync(file)
    await refused(t, logs, /^the path is a directory, not a regular file$/, 'unreadable (a directory)')
    await serves(t, storefront.url, 'unreadable')
    await stillSignedIn('unreadable')
    rmSync(file, { recursive: true })
  } else {
    // A permission change alone may not be reported as a change by every platform: touch it too.
    utimesSync(file, new Date(), new Date())
    await refused(t, logs, /^cannot read the file \(permission denied\)$/, 'unreadable (chmod 000)')
    await serves(t, storefront.url, 'unreadable')
    await stillSignedIn('unreadable')
    chmodSync(file, 0o644)
  }
  await restore('unreadable')
})

t.test('--watch: a JSON fixture file cut short anywhere is refused as a whole', async (t) => {
  const { file, text: good } = watched(t, testDocument(), 'store.json')
  const logs = new LogCapture()
  const storefront = await startMockStorefront({ fixtures: file, watch: true, logLevel: 'info', logStream: logs })
  t.teardown(() => storefront.close())
  for (const share of [0.1, 0.5, 0.9, 0.99]) {
    writeFileSync(file, good.slice(0, Math.floor(good.length * share)))
    await refused(t, logs, /not valid JSON/, `cut at ${share * 100}%`)
    await serves(t, storefront.url, `cut at ${share * 100}%`)
  }
})

/** Spawn the CLI in an empty working directory, so anything it writes (a lock, a pid file) shows. */
function spawnIn(t: Test, cwd: string, args: string[]): CliProcess {
  return spawnCli(t, args, {}, cwd)
}

/** Poll until GET /login.php answers 200; answers the milliseconds since `since`. */
async function firstOk(url: string, since: number, timeoutMs = 10_000): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(`${url}/login.php`)
      await response.arrayBuffer()
      if (response.status === 200) return Date.now() - since
    } catch {
      // not listening yet
    }
    if (Date.now() - since > timeoutMs) throw new Error(`no 200 from ${url} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

t.test('the CLI killed with SIGKILL under load starts again on the same port and serves at once', async (t) => {
  ensureBuilt()
  const port = await freePort()
  const cwd = tempDir(t)
  const url = `http://127.0.0.1:${port}`
  const args = ['--port', String(port), '--log-level', 'silent']
  for (let round = 1; round <= 3; round++) {
    const started = Date.now()
    const cli = spawnIn(t, cwd, args)
    const firstMs = await firstOk(url, started)
    t.ok(firstMs < 5000, `round ${round}: first 200 ${firstMs} ms after spawn`)
    t.comment(`round ${round}: first 200 ${firstMs} ms after spawn`)

    // Load: 16 clients signing in and fetching tokens in a loop, until the kill.
    let stop = false
    let served = 0
    let failed = 0
    const client = async () => {
      while (!stop) {
        try {
          const browser = new Browser(url)
          await browser.signIn(JOHN.email, JOHN.password)
          const token = await browser.fetch(`/customer/current.jwt?app_client_id=${JOHN.app.clientId}`)
          await token.arrayBuffer()
          if (token.status === 200) served++
        } catch {
          failed++ // the kill cuts requests in flight: expected
        }
      }
    }
    const clients = Array.from({ length: 16 }, client)
    while (served < 50) await new Promise((resolve) => setTimeout(resolve, 10))
    cli.child.kill('SIGKILL')
    const exit = await cli.exited
    t.equal(exit.signal, 'SIGKILL', `round ${round}: killed mid-load after ${served} tokens`)
    // Give the clients a moment to see the dead server, then stop them.
    await new Promise((resolve) => setTimeout(resolve, 100))
    stop = true
    await Promise.all(clients)
    t.comment(`round ${round}: ${served} tokens served, ${failed} requests cut by the kill`)
    t.notOk(await isListening(port), `round ${round}: nothing holds the port after the kill`)
  }

  // Once more: start, check it serves fully, and stop it cleanly.
  const cli = spawnIn(t, cwd, args)
  t.ok((await firstOk(url, Date.now())) < 5000)
  await serves(t, url, 'after three kills', JOHN)
  t.same(readdirSync(cwd), [], 'the mock wrote nothing to its working directory (no lock or pid file to go stale)')
  t.equal(cli.stderr, '', 'nothing on stderr')
  cli.child.kill('SIGTERM')
  t.equal((await cli.exited).code, 0, 'SIGTERM still exits 0')
})

t.test('startMockStorefront started, used and closed 200 times leaks no handle, timer or listener', async (t) => {
  const { file } = watched(t, testDocument())
  const warnings: Error[] = []
  const onWarning = (warning: Error) => warnings.push(warning)
  process.on('warning', onWarning)
  t.teardown(() => process.off('warning', onWarning))
  const options = (round: number) => {
    switch (round % 4) {
      case 0:
        return { fixtures: file, watch: true }
      case 1:
        return { fixtures: file, latency: 1 }
      case 2:
        return { fixtures: file, adminToken: 'admin-token-0014' }
      default:
        return { fixtures: file }
    }
  }
  const cycle = async (round: number) => {
    const storefront: RunningMockStorefront = await startMockStorefront(options(round))
    try {
      // One request over a keep-alive connection (fetch pools it): close() must end it too.
      const response = await fetch(`${storefront.url}/login.php`)
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`round ${round}: ${response.status}`)
    } finally {
      await storefront.close()
    }
  }
  // Warm up: the first start loads modules and may create process-wide things once.
  for (let round = 0; round < 4; round++) await cycle(round)
  const steady = await quiescentSnapshot()
  const started = Date.now()
  for (let round = 0; round < 200; round++) await cycle(round)
  const elapsed = Date.now() - started
  const grown = await settleTo(steady)
  t.same(grown, [], `200 start/request/close cycles in ${elapsed} ms: active handles, timers and process listeners back to the baseline`)
  t.comment(`baseline: ${JSON.stringify(steady.resources)}; listeners ${JSON.stringify(steady.listeners)}`)
  t.same(
    warnings.map((warning) => `${warning.name}: ${warning.message}`),
    [],
    'no process warning (e.g. MaxListenersExceededWarning)',
  )
})
