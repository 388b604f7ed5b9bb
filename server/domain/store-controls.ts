import type { RecordedRequest } from './request-log.js'
import type { Fault, FaultSpec } from './rules/fault-rules.js'
import type { Session } from './session-store.js'
import type { Store } from './store.js'

/**
 * Control of the mock's clock from a test. Every token, session expiry and Customer Login check
 * follows it. Its rules are `PUT /__mock/clock`'s: a value it refuses throws the same
 * `MockError` (`ERRORS.invalidRequest`, `field` `now` or `advance`).
 */
export interface ClockControl {
  /** Current time in epoch seconds. */
  now(): number
  /** Freeze the clock at `epochSeconds`: a whole number from 0 to `MAX_EPOCH_SECONDS` (the end of year 9999). */
  set(epochSeconds: number): void
  /** Move the clock by whole `seconds` (negative moves back), frozen or running; it must stay within 0 to `MAX_EPOCH_SECONDS`. */
  advance(seconds: number): void
  /** Back to real time (as `DELETE /__mock/clock`). */
  reset(): void
}

/** A fault added from a test: what it is now, and how to end it. */
export interface FaultHandle {
  /** `f1`, `f2`, ... as `GET /__mock/faults` lists it. */
  id: string
  /** The fault as added. */
  fault: Fault
  /** End it (as `DELETE /__mock/faults/{id}`); a fault already ended (used up, cleared) is left alone. */
  remove(): void
}

/** Make the storefront fail on purpose from a test (`POST /__mock/faults`, same rules). */
export interface FaultControl {
  /**
   * Make a fault active; a bad spec throws a `MockError` naming the field (a field a fault does
   * not have, such as `time`, with the one meant: `times`).
   *
   * @example
   * ```ts
   * const fault = storefront.faults.add({ route: 'current-customer', effect: 'expired-token', times: 1 })
   * // ... the next token is expired; then
   * fault.remove()
   * ```
   */
  add(spec: FaultSpec): FaultHandle
  /** The active faults, in creation order. */
  list(): Fault[]
  /** End every fault; answers how many were active. */
  clear(): number
}

/** What a test handle can do to a store, whatever serves it: a listening server or MSW handlers. */
export interface StoreControls {
  /** Start a session for a customer, by id or email (`customer` names it in the error), without a password. */
  startSession: (customer: number | string) => Session
  mintToken(clientId: string, customerId: number): string
  clock: ClockControl
  faults: FaultControl
  reset(): void
  requests(): RecordedRequest[]
}

/**
 * A test handle's powers over a store: each calls the same store method as the matching control
 * API route, so `startMockStorefront()`'s handle, the MSW handle and the control API behave alike.
 */
export function storeControls(store: Store): StoreControls {
  return {
    startSession: (customer) => store.startSession(store.findCustomer(customer, 'customer')).session,
    mintToken: (clientId, customerId) => store.mintToken(clientId, customerId, HANDLE_INPUT_NAMES).token,
    clock: {
      now: () => store.now().seconds,
      set: (epochSeconds) => void store.changeClock({ now: epochSeconds }),
      advance: (seconds) => void store.changeClock({ advance: seconds }),
      reset: () => void store.useRealTime(),
    },
    faults: {
      add: (spec) => {
        const fault = store.addFault(spec)
        return { id: fault.id, fault, remove: () => void store.endFault(fault.id) }
      },
      list: () => store.listFaults(),
      clear: () => store.clearFaults(),
    },
    reset: () => store.reset(),
    requests: () => store.listRequests(),
  }
}

/** The names a handle's errors give its inputs (`clientId`, `customerId`), as its parameters are called. */
export const HANDLE_INPUT_NAMES = { app: 'clientId', customer: 'customerId' } as const
