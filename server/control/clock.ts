import type { ClockReading } from '../domain/store.js'
import type { ClockChange } from '../domain/rules/clock-rules.js'
import { controlRoute, type ControlResource } from './context.js'

/** The clock as the control API shows it. */
export interface ClockView {
  /** Epoch seconds, as JWT claims carry time. */
  now: number
  now_ms: number
  frozen: boolean
  iso: string
}

/** {@link ClockView} of a clock reading. */
export function clockView(clock: ClockReading): ClockView {
  return { now: clock.seconds, now_ms: clock.ms, frozen: clock.frozen, iso: new Date(clock.ms).toISOString() }
}

/**
 * `GET /__mock/clock`; `PUT` with `{now}` freezes it there, with `{advance}` moves it (frozen
 * or running); `DELETE` returns to real time. Tokens, sessions and Customer Login follow it.
 * The clock's rules are the store's (`Store.changeClock`), as for the handle's `clock`.
 */
export const clockRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute(app, spec, 'GET', '/__mock/clock', async () => clockView(store.now()))

  controlRoute<{ Body: ClockChange }>(app, spec, 'PUT', '/__mock/clock', async (request) => {
    const clock = store.changeClock(request.body)
    request.log.info({ now: clock.seconds, frozen: clock.frozen }, 'control: clock set')
    return clockView(clock)
  })

  controlRoute(app, spec, 'DELETE', '/__mock/clock', async (request) => {
    const clock = store.useRealTime()
    request.log.info('control: clock back to real time')
    return clockView(clock)
  })
}
