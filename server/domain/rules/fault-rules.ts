import { ERRORS } from '../../errors.js'
import { closestName, showValue } from '../describe-value.js'
import { CLIENT_ID_EXPECTED, isClientId } from './app-rules.js'
import { isCustomerId } from './customer-rules.js'

/**
 * The rules of faults (`POST /__mock/faults`, the handle's `faults.add`, `--fault`): which
 * routes and effects there are, which effect fits which route, the bounds of `status`,
 * `delay_ms` and `times`, and how many may be active. `openapi/mock-control.yaml` restates them
 * (`FaultCreate`); test/control/rules-sync.test.ts keeps it equal to these.
 */

/**
 * The routes a fault can be put on, by the name the control API and `--fault` use: the
 * storefront's, then the Management API's (`api-*`, each a group of `/stores/{store_hash}/...`
 * endpoints: see docs/management-api.md).
 */
export const FAULT_ROUTES = [
  'current-customer',
  'customer-login',
  'sign-in',
  'account',
  'api-customers',
  'api-attributes',
  'api-customer-groups',
  'api-orders',
] as const
/** One of {@link FAULT_ROUTES}. */
export type FaultRoute = (typeof FAULT_ROUTES)[number]

/** What a fault does to the request it applies to. */
export const FAULT_EFFECTS = [
  'status',
  'delay',
  'hang',
  'reset',
  'expired-token',
  'wrong-secret',
  'wrong-algorithm',
  'signed-out',
  'refuse',
] as const
/** One of {@link FAULT_EFFECTS}. */
export type FaultEffect = (typeof FAULT_EFFECTS)[number]

/** The effects the HTTP layer applies in place of (or before) the route's answer. */
export const TRANSPORT_EFFECTS: ReadonlySet<FaultEffect> = new Set<FaultEffect>(['status', 'delay', 'hang', 'reset'])

/**
 * The effects that change what a signed-in answer is (the token's shape, or the session ending
 * first): they apply only to a request the route would answer signed in (see
 * `FaultSubject.signedIn`), so a guest's request or an unknown app's passes them by
 * without spending them.
 */
export const SIGNED_IN_EFFECTS: ReadonlySet<FaultEffect> = new Set<FaultEffect>([
  'expired-token',
  'wrong-secret',
  'wrong-algorithm',
  'signed-out',
])

/**
 * Which effects fit which route. The transport effects fit every route; the token shapes only
 * the route that mints a token; `refuse` only Customer Login; `signed-out` the routes that answer
 * from a session (sign-in and Customer Login start a new session anyway, so ending the old one
 * first would change nothing a client can see).
 */
export const EFFECTS_BY_ROUTE: Readonly<Record<FaultRoute, readonly FaultEffect[]>> = {
  'current-customer': ['status', 'delay', 'hang', 'reset', 'expired-token', 'wrong-secret', 'wrong-algorithm', 'signed-out'],
  'customer-login': ['status', 'delay', 'hang', 'reset', 'refuse'],
  'sign-in': ['status', 'delay', 'hang', 'reset'],
  account: ['status', 'delay', 'hang', 'reset', 'signed-out'],
  'api-customers': ['status', 'delay', 'hang', 'reset'],
  'api-attributes': ['status', 'delay', 'hang', 'reset'],
  'api-customer-groups': ['status', 'delay', 'hang', 'reset'],
  'api-orders': ['status', 'delay', 'hang', 'reset'],
}

/** The status a `status` fault answers with when none is given. */
export const DEFAULT_FAULT_STATUS = 500
/** The statuses a `status` fault may answer with: HTTP's error statuses. */
export const FAULT_STATUS_RANGE = { min: 400, max: 599 } as const
/** Longest `delay` a fault may add, in milliseconds (as `--latency`). */
export const MAX_FAULT_DELAY_MS = 60_000
/**
 * Most faults active at once. A test suite needs a handful; a cap keeps a runaway loop that adds
 * faults from growing the per-request scan and the memory without bound, and is high enough that
 * no real scenario meets it. Past it, adding one is a 409 until some are removed.
 */
export const MAX_ACTIVE_FAULTS = 100

/** What to inject, as `POST /__mock/faults` takes it (the handle and `--fault` use the same shape). */
export interface FaultSpec {
  route: string
  effect: string
  /** Matching requests it applies to, then it ends; until removed when absent. */
  times?: number | undefined
  /** Only requests for this app. */
  client_id?: string | undefined
  /** Only requests of this customer. */
  customer_id?: number | undefined
  /** `status` only: {@link FAULT_STATUS_RANGE}, default {@link DEFAULT_FAULT_STATUS}. */
  status?: number | undefined
  /** `delay` only: 0-{@link MAX_FAULT_DELAY_MS} milliseconds. */
  delay_ms?: number | undefined
}

/** Every field a {@link FaultSpec} has; any other is refused by name, with the one meant. */
export const FAULT_SPEC_FIELDS = [
  'route',
  'effect',
  'times',
  'client_id',
  'customer_id',
  'status',
  'delay_ms',
] as const satisfies readonly (keyof FaultSpec)[]
type UnlistedField = Exclude<keyof FaultSpec, (typeof FAULT_SPEC_FIELDS)[number]>
const allFieldsListed: [UnlistedField] extends [never] ? true : UnlistedField = true

/** An active fault. */
export interface Fault {
  /** `f1`, `f2`, ... in creation order; never reused while the store runs. */
  id: string
  route: FaultRoute
  effect: FaultEffect
  /** As asked; null: until removed. */
  times: number | null
  /** Applications left; null: until removed. */
  remaining: number | null
  /** How many requests it has applied to. */
  applied: number
  clientId: string | null
  customerId: number | null
  /** The status a `status` fault answers with; null for other effects. */
  status: number | null
  /** The delay of a `delay` fault; null for other effects. */
  delayMs: number | null
  /** Epoch milliseconds by the mock's clock. */
  createdAtMs: number
}

/** `value` as one of {@link FAULT_ROUTES}, or a 400 naming `route`. */
export function checkFaultRoute(value: unknown): FaultRoute {
  if ((FAULT_ROUTES as readonly unknown[]).includes(value)) return value as FaultRoute
  throw ERRORS.invalidRequest('route', `'route' must be one of ${FAULT_ROUTES.join(', ')}, got ${showValue(value)}`)
}

/**
 * A spec checked field by field, as an active {@link Fault}. Throws a 400 naming the first field
 * that is wrong: a field a spec does not have (a misspelt `time` is named with `times`, the one
 * meant), an unknown route or effect, an effect that does not fit the route, a `status`
 * outside {@link FAULT_STATUS_RANGE}, a `delay_ms` outside 0-{@link MAX_FAULT_DELAY_MS}, `times`
 * not a positive whole number, a `client_id` or `customer_id` that is none (by the app and
 * customer rules), or a `status`/`delay_ms` given to an effect that does not use it.
 */
export function checkFaultSpec(spec: FaultSpec, id: string, nowMs: number): Fault {
  void allFieldsListed
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw ERRORS.invalidRequest('fault', `a fault must be an object {route, effect, times?, ...}, got ${showValue(spec)}`)
  const known: readonly string[] = FAULT_SPEC_FIELDS
  for (const field of Object.keys(spec)) {
    if (known.includes(field)) continue
    const meant = closestName(field, known)
    throw ERRORS.invalidRequest(
      field,
      `'${field}' is not a fault field${meant ? `; did you mean '${meant}'?` : ''} (fields: ${known.join(', ')})`,
    )
  }
  const route = checkFaultRoute(spec.route)
  const { effect } = spec
  if (!(FAULT_EFFECTS as readonly unknown[]).includes(effect))
    throw ERRORS.invalidRequest('effect', `'effect' must be one of ${FAULT_EFFECTS.join(', ')}, got ${showValue(effect)}`)
  const fitting = EFFECTS_BY_ROUTE[route]
  if (!(fitting as readonly string[]).includes(effect)) {
    throw ERRORS.invalidRequest('effect', `'effect': ${showValue(effect)} does not fit route ${route} (it takes ${fitting.join(', ')})`)
  }
  const faultEffect = effect as FaultEffect
  const { times, client_id: clientId, customer_id: customerId, status, delay_ms: delayMs } = spec
  if (times !== undefined && (!Number.isSafeInteger(times) || times < 1))
    throw ERRORS.invalidRequest('times', `'times' must be a positive whole number (matching requests), got ${showValue(times)}`)
  // The app and customer rules say what a client id and a customer id are.
  if (clientId !== undefined && !isClientId(clientId))
    throw ERRORS.invalidRequest('client_id', `'client_id' must be a client id (${CLIENT_ID_EXPECTED}), got ${showValue(clientId)}`)
  if (customerId !== undefined && !isCustomerId(customerId))
    throw ERRORS.invalidRequest(
      'customer_id',
      `'customer_id' must be a positive whole number (a customer id), got ${showValue(customerId)}`,
    )
  if (status !== undefined) {
    if (faultEffect !== 'status') throw ERRORS.invalidRequest('status', `'status' is only for effect status, not ${faultEffect}`)
    const { min, max } = FAULT_STATUS_RANGE
    if (!Number.isSafeInteger(status) || status < min || status > max)
      throw ERRORS.invalidRequest('status', `'status' must be an HTTP error status from ${min} to ${max}, got ${showValue(status)}`)
  }
  if (delayMs !== undefined) {
    if (faultEffect !== 'delay') throw ERRORS.invalidRequest('delay_ms', `'delay_ms' is only for effect delay, not ${faultEffect}`)
    if (!Number.isSafeInteger(delayMs) || delayMs < 0 || delayMs > MAX_FAULT_DELAY_MS)
      throw ERRORS.invalidRequest(
        'delay_ms',
        `'delay_ms' must be whole milliseconds from 0 to ${MAX_FAULT_DELAY_MS}, got ${showValue(delayMs)}`,
      )
  } else if (faultEffect === 'delay') {
    throw ERRORS.invalidRequest('delay_ms', `'delay_ms' is required for effect delay (whole milliseconds from 0 to ${MAX_FAULT_DELAY_MS})`)
  }
  return {
    id,
    route,
    effect: faultEffect,
    times: times ?? null,
    remaining: times ?? null,
    applied: 0,
    clientId: clientId ?? null,
    customerId: customerId ?? null,
    status: faultEffect === 'status' ? (status ?? DEFAULT_FAULT_STATUS) : null,
    delayMs: faultEffect === 'delay' ? (delayMs ?? 0) : null,
    createdAtMs: nowMs,
  }
}
