// A used Customer Login URL never signs in twice, whatever is done to the mock's clock.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { UsedJtiStore } from '../../server/domain/used-jti-store.js'
import { buildApp } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'

const T = 1_700_000_000

async function loginUrl(app: FastifyInstance): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/__mock/customer-login-url',
    payload: { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id },
  })
  return response.json<{ path: string }>().path
}

async function use(app: FastifyInstance, path: string): Promise<string | undefined> {
  return (await app.inject({ url: path })).headers.location
}

async function setClock(app: FastifyInstance, body: Record<string, number>): Promise<void> {
  const response = await app.inject({ method: 'PUT', url: '/__mock/clock', payload: body })
  if (response.statusCode !== 200) throw new Error(`PUT /__mock/clock answered ${response.statusCode}`)
}

t.test('moving the clock ahead, purging, then back does not reopen a used URL', async (t) => {
  const app = buildApp({ now: T })
  t.teardown(() => app.close())
  const first = await loginUrl(app)
  t.equal(await use(app, first), '/account.php', 'the URL signs in at T')
  await setClock(app, { advance: 100 })
  t.equal(await use(app, await loginUrl(app)), '/account.php', 'another Customer Login later (it purges old jtis)')
  await setClock(app, { now: T })
  t.equal(await use(app, first), '/login.php', 'back at T, the used URL is refused')
  t.equal(await use(app, await loginUrl(app)), '/account.php', 'a new URL minted at T still works')
})

t.test('DELETE /__mock/clock (real time) and back does not reopen a used URL', async (t) => {
  const app = buildApp({ now: T })
  t.teardown(() => app.close())
  const first = await loginUrl(app)
  t.equal(await use(app, first), '/account.php')
  t.equal((await app.inject({ method: 'DELETE', url: '/__mock/clock' })).statusCode, 200)
  t.equal(await use(app, await loginUrl(app)), '/account.php', 'a Customer Login in real time')
  await setClock(app, { now: T + 1 })
  t.equal(await use(app, first), '/login.php', 'back near T, the used URL is refused')
})

t.test('the replay is refused as reused, by the rule that names it', async (t) => {
  const lines: string[] = []
  const app = buildApp({
    now: T,
    logLevel: 'warn',
    logStream: { write: (chunk: string) => (lines.push(chunk), true) } as unknown as NodeJS.WritableStream,
  })
  t.teardown(() => app.close())
  const first = await loginUrl(app)
  await use(app, first)
  await setClock(app, { advance: 3600 })
  await use(app, await loginUrl(app))
  await setClock(app, { now: T })
  await use(app, first)
  t.match(lines.join(''), /customer login refused \(jti_reused\)/)
})

t.test('at the cap, jtis past their window are forgotten, and a token as old as them stays refused', async (t) => {
  const store = new UsedJtiStore({ retainSeconds: 35, maxEntries: 2 })
  t.equal(store.use('app', 'a', T, T), 'fresh')
  t.equal(store.use('app', 'b', T, T), 'fresh')
  t.equal(store.use('app', 'c', T + 40, T + 40), 'fresh', 'full: a and b, past their window, are forgotten')
  t.equal(store.size, 1)
  t.equal(store.use('app', 'a', T, T), 'forgotten', 'the clock moved back to T: a is refused although forgotten')
  t.equal(store.use('app', 'new', T, T), 'forgotten', 'so is any token whose window ended by the forgotten ones')
  t.equal(store.use('app', 'next', T + 1, T + 1), 'fresh', 'a token one second newer is not')
  t.equal(store.use('app', 'later', T + 40, T + 40), 'fresh', 'a token newer than the forgotten window is fine')
  store.clear()
  t.equal(store.use('app', 'a', T, T), 'fresh', 'reset (clear) forgets everything, as documented')
})
