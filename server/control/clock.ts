import type { Clock } from '../clock.js'
import { ERRORS } from '../errors.js'
import { controlRoute, type ControlResource } from './context.js'

/** Latest instant the clock may show: the end of year 9999, as `--now` allows. */
const MAX_EPOCH_SECONDS = 253_402_300_799

/** The clock as the control API shows it. */
export interface ClockView {
  /** Epoch seconds, as JWT claims carry time. */
  now: number
  now_ms: number
  frozen: boolean
  iso: string
}

/** {@link ClockView} of a clock. */
export function clockView(clock: Clock): ClockView {
  const nowMs = clock.nowMs()
  return { now: Math.floor(nowMs / 1000), now_ms: nowMs, frozen: clock.frozen, iso: new Date(nowMs).toISOString() }
}

/**
 * `GET /__mock/clock`; `PUT` with `{now}` freezes it there, with `{advance}` moves it (frozen
 * or running); `DELETE` returns to real time. Tokens, sessions and Customer Login follow it.
 */
export const clockRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute(app, spec, 'GET', '/__mock/clock', async () => clockView(store.clock))

  controlRoute<{ Body: { now?: number; advance?: number } }>(app, spec, 'PUT', '/__mock/clock', async (request) => {
    const { now, advance } = request.body
    if (now !== undefined && advance !== undefined) {
      throw ERRORS.invalidRequest('advance', "body field 'advance': give either now (freeze at epoch seconds) or advance (move by seconds), not both")
    }
    if (now !== undefined) {
      store.clock.freeze(now)
    } else if (advance !== undefined) {
      const target = store.clock.nowMs() / 1000 + advance
      if (target < 0 || target > MAX_EPOCH_SECONDS) {
        throw ERRORS.invalidRequest('advance', `body field 'advance' would move the clock to ${Math.floor(target)}, outside 0 to ${MAX_EPOCH_SECONDS} epoch seconds`)
      }
      store.clock.advance(advance)
    } else {
      throw ERRORS.invalidRequest('now', "body field 'now' is required: give now (freeze at epoch seconds) or advance (move by seconds)")
    }
    request.log.info({ now: store.clock.nowSeconds(), frozen: store.clock.frozen }, 'control: clock set')
    return clockView(store.clock)
  })

  controlRoute(app, spec, 'DELETE', '/__mock/clock', async (request) => {
    store.clock.useRealTime()
    request.log.info('control: clock back to real time')
    return clockView(store.clock)
  })
}
