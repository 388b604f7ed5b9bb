import { ERRORS } from '../errors.js'
import {
  checkFaultRoute,
  checkFaultSpec,
  FAULT_ROUTES,
  MAX_ACTIVE_FAULTS,
  SIGNED_IN_EFFECTS,
  type Fault,
  type FaultRoute,
  type FaultSpec,
} from './rules/fault-rules.js'

/** Who a request is for, to match a fault's `client_id` and `customer_id` against. */
export interface FaultSubject {
  clientId?: string | undefined
  customerId?: number | undefined
  /**
   * The route would answer this request signed in: a live session of an existing customer, and
   * on `current-customer` a registered app, so a token is minted. Only then do the
   * {@link SIGNED_IN_EFFECTS} match.
   */
  signedIn?: boolean | undefined
}

/**
 * The active faults of one store, in creation order, kept per route so that the question every
 * storefront request asks ("is a fault active on my route?") is one array length read, O(1),
 * whatever else is active; only a route with faults scans them, and at most
 * {@link MAX_ACTIVE_FAULTS} exist. A fault with `times` ends by itself after that many
 * applications; the others end when removed or cleared (and on the store's reset).
 */
export class FaultRegistry {
  readonly #byRoute = new Map<FaultRoute, Fault[]>(FAULT_ROUTES.map((route) => [route, []]))
  #count = 0
  #nextId = 1

  /** Check a spec (a 400 naming the field when it does not fit) and make it active. */
  add(spec: FaultSpec, nowMs: number): Fault {
    const fault = checkFaultSpec(spec, `f${this.#nextId}`, nowMs)
    if (this.#count >= MAX_ACTIVE_FAULTS) throw ERRORS.tooManyFaults(MAX_ACTIVE_FAULTS)
    this.#nextId++
    this.#routeFaults(fault.route).push(fault)
    this.#count++
    return fault
  }

  /** The active faults, in creation order. */
  list(): Fault[] {
    return [...this.#byRoute.values()].flat().sort((a, b) => idNumber(a.id) - idNumber(b.id))
  }

  /** End one fault; answers it, or undefined when no active fault has that id. */
  remove(id: string): Fault | undefined {
    for (const faults of this.#byRoute.values()) {
      const index = faults.findIndex((fault) => fault.id === id)
      if (index === -1) continue
      const [removed] = faults.splice(index, 1)
      this.#count--
      return removed
    }
    return undefined
  }

  /** End every fault; answers how many were active. */
  clear(): number {
    const ended = this.#count
    for (const faults of this.#byRoute.values()) faults.length = 0
    this.#count = 0
    return ended
  }

  /** How many faults are active. */
  get size(): number {
    return this.#count
  }

  /** True when some fault is active on this route: the O(1) check made before any other work. */
  has(route: FaultRoute): boolean {
    return this.#routeFaults(route).length > 0
  }

  /**
   * The first active fault on `route`, in creation order, whose `client_id` and `customer_id`
   * (when set) match the request's, and whose effect can change its answer (see
   * {@link SIGNED_IN_EFFECTS}); counts one application, and ends a fault whose `times` are used
   * up. Undefined when none matches.
   */
  take(route: FaultRoute, subject: FaultSubject): Fault | undefined {
    const faults = this.#routeFaults(route)
    if (faults.length === 0) return undefined
    const index = faults.findIndex((fault) => matches(fault, subject))
    const fault = faults[index]
    if (!fault) return undefined
    fault.applied++
    if (fault.remaining !== null) {
      fault.remaining--
      if (fault.remaining === 0) {
        faults.splice(index, 1)
        this.#count--
      }
    }
    return fault
  }

  #routeFaults(route: FaultRoute): Fault[] {
    const faults = this.#byRoute.get(route)
    if (faults) return faults
    // Every route has its list: only a value that is no route (from untyped code) gets here, and is refused.
    checkFaultRoute(route)
    return []
  }
}
function matches(fault: Fault, subject: FaultSubject): boolean {
  if (fault.clientId !== null && fault.clientId !== subject.clientId) return false
  if (fault.customerId !== null && fault.customerId !== subject.customerId) return false
  return subject.signedIn === true || !SIGNED_IN_EFFECTS.has(fault.effect)
}

function idNumber(id: string): number {
  return Number(id.slice(1))
}
