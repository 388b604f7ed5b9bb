import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { startMockStorefront } from '../../server/index.js'
import { pickDelay } from '../../server/storefront/latency.js'
import { LogCapture } from '../helpers/log-capture.js'
import { DEMO } from '../helpers/storefront.js'

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const started = performance.now()
  const response = await fetch(url, { redirect: 'manual', ...init })
  await response.arrayBuffer()
  return { ms: performance.now() - started, status: response.status }
}

t.test('--latency delays the storefront endpoints only', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bc-mock-latency-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  writeFileSync(join(root, 'app.js'), 'console.log(1)')
  // 400 ms: far enough from an undelayed answer that a loaded machine cannot blur the two.
  const storefront = await startMockStorefront({ latency: { min: 400, max: 400 }, static: root })
  t.teardown(() => storefront.close())
  const mock = storefront.url

  for (const path of [
    '/login.php',
    '/account.php',
    `/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`,
    '/login/token/not.a.jwt',
  ]) {
    const { ms } = await timed(`${mock}${path}`)
    t.ok(ms >= 390, `${path} took ${ms.toFixed(0)} ms`)
  }
  const signIn = await timed(`${mock}/login.php?action=check_login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString(),
  })
  t.equal(signIn.status, 302)
  t.ok(signIn.ms >= 390, `POST /login.php took ${signIn.ms.toFixed(0)} ms`)

  // Warm up once, then measure: the first request on a connection pays for its set-up.
  await timed(`${mock}/app.js`)
  const asset = await timed(`${mock}/app.js`)
  t.equal(asset.status, 200)
  t.ok(asset.ms < 300, `a static file is not delayed (${asset.ms.toFixed(0)} ms)`)
  const home = await timed(`${mock}/__mock/`)
  t.ok(home.ms < 300, `the mock home is not delayed (${home.ms.toFixed(0)} ms)`)
  // Warm up once: the first control call compiles its schemas.
  await timed(`${mock}/__mock/health`)
  const health = await timed(`${mock}/__mock/health`)
  t.ok(health.ms < 300, `the control API is not delayed (${health.ms.toFixed(0)} ms, status ${health.status})`)
})

t.test('a range spreads delays within it', async (t) => {
  const storefront = await startMockStorefront({ latency: { min: 40, max: 120 } })
  t.teardown(() => storefront.close())
  for (let i = 0; i < 5; i++) {
    const { ms } = await timed(`${storefront.url}/login.php`)
    t.ok(ms >= 35 && ms < 400, `${ms.toFixed(0)} ms`)
  }
  t.equal(
    pickDelay({ min: 40, max: 120 }, () => 0),
    40,
  )
  t.equal(
    pickDelay({ min: 40, max: 120 }, () => 0.999999),
    120,
  )
  t.equal(pickDelay({ min: 7, max: 7 }), 7)
})

t.test('closing does not wait for a delayed request', async (t) => {
  const logs = new LogCapture()
  const storefront = await startMockStorefront({ latency: 60_000, logLevel: 'info', logStream: logs })
  const pending = fetch(`${storefront.url}/login.php`).then(
    (response) => response.status,
    () => 0,
  )
  // Close only once the request is in (and waiting): closing drops connections without one.
  await logs.waitFor('incoming request', 1)
  const started = performance.now()
  await storefront.close()
  t.ok(performance.now() - started < 2000, 'closed promptly')
  t.equal(await pending, 200, 'the waiting request was answered, not dropped')
})

t.test('which routes are storefront endpoints: only those are delayed', async (t) => {
  const storefront = await startMockStorefront({ latency: { min: 300, max: 300 } })
  t.teardown(() => storefront.close())
  for (const path of ['/customer/current.jwt', '/login.php', '/account.php', '/login/token/x.y.z']) {
    const { ms } = await timed(`${storefront.url}${path}`)
    t.ok(ms >= 290, `${path} is a storefront endpoint: delayed ${ms.toFixed(0)} ms`)
  }
  for (const path of ['/', '/__mock/health', '/__mock/assets/current-customer.js', '/login.php.bak', '/customer/current.jwt/x']) {
    await timed(`${storefront.url}${path}`)
    const { ms } = await timed(`${storefront.url}${path}`)
    t.ok(ms < 200, `${path} is not: answered in ${ms.toFixed(0)} ms`)
  }
})

t.test('--latency values are checked', async (t) => {
  for (const latency of [-1, 1.5, 60_001, { min: 200, max: 100 }, { min: -1, max: 5 }, { min: 0, max: 60_001 }]) {
    await t.rejects(
      startMockStorefront({ latency }),
      { code: 'BCMOCK_INVALID_OPTION', message: /^latency: expected milliseconds from 0 to 60000/ },
      JSON.stringify(latency),
    )
  }
})
