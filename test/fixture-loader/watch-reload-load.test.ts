// --watch reloads happen off the event loop: requests keep being answered; oversized files are refused.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp, loadFixtures } from '../../server/index.js'
import { LogCapture } from '../helpers/log-capture.js'

const SMALL =
  'store_hash: abc123\napps:\n  - client_id: app1\n    client_secret: s3cret-s3cret\ncustomers:\n  - id: 1\n    email: a@example.com\n    password: letmein\n'

function setup(t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'bc-mock-reload-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'store.yaml')
  writeFileSync(file, SMALL)
  const logs = new LogCapture()
  const app = buildApp({ fixtures: file, watch: true, logLevel: 'info', logStream: logs })
  t.teardown(() => app.close())
  return { file, logs, app }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return true
}

t.test('a reload of 200,000 generated customers does not stall requests', async (t) => {
  const { file, logs, app } = setup(t)
  writeFileSync(file, `${SMALL}generate:\n  customers: 200000\n`)
  let worstMs = 0
  let answered = 0
  const done = () => logs.find('fixtures reloaded').length > 0
  const deadline = Date.now() + 60_000
  while (!done() && Date.now() < deadline) {
    const started = performance.now()
    const response = await app.inject({ url: '/login.php' })
    await new Promise((resolve) => setTimeout(resolve, 1))
    worstMs = Math.max(worstMs, performance.now() - started)
    if (response.statusCode === 200) answered++
  }
  t.ok(done(), 'the reload finished')
  t.equal(app.mock.stats().customers, 200_001, 'and swapped the new store in')
  t.ok(answered > 20, `${answered} requests answered meanwhile`)
  t.ok(worstMs < 500, `the slowest took ${worstMs.toFixed(1)} ms (loading on the event loop stalls it for seconds)`)
})

t.test('a fixture file over the size cap is refused with a clear error; the last good fixtures keep serving', async (t) => {
  const { file, logs, app } = setup(t)
  truncateSync(file, 33 * 1024 * 1024)
  t.ok(await until(() => logs.find('fixtures not reloaded').length > 0, 10_000), 'the reload is refused')
  t.match(logs.find('fixtures not reloaded')[0]?.msg, /33\.0 MiB, larger than the 32 MiB this mock reads/)
  t.equal(app.mock.stats().customers, 1, 'the last good store keeps serving')
  t.throws(() => loadFixtures(file), /larger than the 32 MiB/, 'at start too')
})
