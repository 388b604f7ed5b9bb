import t, { type Test } from 'tap'
import { buildApp, type MockStorefrontOptions } from '../../server/index.js'
import type { ClockView } from '../../server/control/clock.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

const NOW = 1_700_000_000

function setup(t: Test, options: MockStorefrontOptions = { now: NOW }) {
  const app = buildApp(options)
  t.teardown(() => app.close())
  return { app, api: controlClient(t, app) }
}

t.test('GET /__mock/clock reads a frozen clock and a running one', async (t) => {
  const frozen = setup(t)
  t.same((await frozen.api.get<ClockView>('/__mock/clock')).body, {
    now: NOW,
    now_ms: NOW * 1000,
    frozen: true,
    iso: '2023-11-14T22:13:20.000Z',
  })
  const running = setup(t, {})
  const { body } = await running.api.get<ClockView>('/__mock/clock')
  t.equal(body.frozen, false)
  t.ok(Math.abs(body.now_ms - Date.now()) < 2000, 'real time')
  t.equal(body.iso, new Date(body.now_ms).toISOString())
  t.equal(body.now, Math.floor(body.now_ms / 1000))
})

t.test('PUT {now} freezes; PUT {advance} moves, back too; DELETE returns to real time', async (t) => {
  const { api } = setup(t, {})
  const frozen = await api.put<ClockView>('/__mock/clock', { now: 1_600_000_000 })
  t.equal(frozen.status, 200)
  t.same(frozen.body, { now: 1_600_000_000, now_ms: 1_600_000_000_000, frozen: true, iso: '2020-09-13T12:26:40.000Z' })
  t.match((await api.put<ClockView>('/__mock/clock', { advance: 3600 })).body, { now: 1_600_003_600, frozen: true })
  t.match((await api.put<ClockView>('/__mock/clock', { advance: -7200 })).body, { now: 1_599_996_400, frozen: true })

  const real = await api.delete<ClockView>('/__mock/clock')
  t.equal(real.body.frozen, false)
  t.ok(Math.abs(real.body.now_ms - Date.now()) < 2000)

  // A running clock keeps running, an hour ahead.
  const ahead = await api.put<ClockView>('/__mock/clock', { advance: 3600 })
  t.equal(ahead.body.frozen, false)
  t.ok(Math.abs(ahead.body.now_ms - (Date.now() + 3_600_000)) < 2000)
  await api.delete('/__mock/clock')
  t.ok(Math.abs((await api.get<ClockView>('/__mock/clock')).body.now_ms - Date.now()) < 2000, 'DELETE drops the offset too')
})

t.test('PUT /__mock/clock: 400 naming the field', async (t) => {
  const { api } = setup(t)
  const cases: [unknown, string, RegExp][] = [
    [{}, 'now', /give now .* or advance/],
    [{ now: NOW, advance: 5 }, 'advance', /not both/],
    [{ now: -1 }, 'now', /epoch seconds/],
    [{ now: 253_402_300_800 }, 'now', /epoch seconds/],
    [{ now: '1700000000' }, 'now', /epoch seconds/],
    [{ now: 1.5 }, 'now', /epoch seconds/],
    [{ advance: 'soon' }, 'advance', /whole number of seconds/],
    [{ advance: -NOW - 1 }, 'advance', /outside 0 to 253402300799/],
    [{ freeze: true }, 'freeze', /not accepted here \(expected one of: now, advance\)/],
  ]
  for (const [body, field, message] of cases) {
    const answer = await api.put<ErrorAnswer>('/__mock/clock', body)
    t.equal(answer.status, 400, JSON.stringify(body))
    t.match(answer.body.errors[field], message, answer.body.title)
  }
  t.equal((await api.get<ClockView>('/__mock/clock')).body.now, NOW, 'failures leave the clock alone')
})

t.test('session expiry follows the clock', async (t) => {
  const { app, api } = setup(t, { now: NOW, sessionTtl: 600 })
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  await api.put('/__mock/clock', { advance: 601 })
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie })).statusCode, 404, 'idle past the session TTL')
})
