import { ERRORS } from '../../errors.js'
import { showValue } from '../describe-value.js'

/**
 * Latest instant the mock's clock may show, in epoch seconds: the end of year 9999, the last
 * instant an ISO 8601 date (and so the control API's `iso`) can name. `--now`, `PUT /__mock/clock`
 * and the handle's `clock` all stop here.
 */
export const MAX_EPOCH_SECONDS = 253_402_300_799

/** What a valid epoch-seconds value is, as errors say it. */
export const EPOCH_SECONDS_EXPECTED = `epoch seconds (a whole number from 0 to ${MAX_EPOCH_SECONDS})`

/** A change of the clock, as `PUT /__mock/clock` takes it: exactly one of `now` and `advance`. */
export interface ClockChange {
  /** Freeze the clock at these epoch seconds. */
  now?: number | undefined
  /** Move the clock by these seconds (negative goes back), frozen or running. */
  advance?: number | undefined
}

/** What a checked {@link ClockChange} does. */
export type CheckedClockChange = { freezeAt: number } | { advanceBy: number }

/** Is `value` whole epoch seconds the clock may show (0 to {@link MAX_EPOCH_SECONDS})? */
export function isEpochSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_EPOCH_SECONDS
}

/**
 * The clock's rules, for every way of changing it (the control API, the handle, `app.mock`):
 * exactly one of `now` and `advance`; `now` whole epoch seconds from 0 to
 * {@link MAX_EPOCH_SECONDS}; `advance` whole seconds that leave the clock in that range.
 * Throws a 400 naming the field.
 *
 * @param nowMs - the clock's time now, epoch milliseconds (where `advance` moves from).
 */
export function checkClockChange(change: ClockChange, nowMs: number): CheckedClockChange {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw ERRORS.invalidRequest('now', `a clock change must be an object {now} or {advance}, got ${showValue(change)}`)
  }
  const { now, advance } = change
  if (now !== undefined && advance !== undefined) {
    throw ERRORS.invalidRequest('advance', "'advance': give either now (freeze at epoch seconds) or advance (move by seconds), not both")
  }
  if (now !== undefined) {
    if (!isEpochSeconds(now)) throw ERRORS.invalidRequest('now', `'now' must be ${EPOCH_SECONDS_EXPECTED}, got ${showValue(now)}`)
    return { freezeAt: now }
  }
  if (advance !== undefined) {
    if (typeof advance !== 'number' || !Number.isSafeInteger(advance)) {
      throw ERRORS.invalidRequest('advance', `'advance' must be a whole number of seconds (negative goes back), got ${showValue(advance)}`)
    }
    const target = nowMs / 1000 + advance
    if (target < 0 || target > MAX_EPOCH_SECONDS) {
      throw ERRORS.invalidRequest(
        'advance',
        `'advance' would move the clock to ${Math.floor(target)}, outside 0 to ${MAX_EPOCH_SECONDS} epoch seconds`,
      )
    }
    return { advanceBy: advance }
  }
  throw ERRORS.invalidRequest('now', "'now' is required: give now (freeze at epoch seconds) or advance (move by seconds)")
}
