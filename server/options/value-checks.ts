import { showValue } from '../domain/describe-value.js'
import { EPOCH_SECONDS_EXPECTED, isEpochSeconds } from '../domain/rules/clock-rules.js'
import { checkFaultSpec, MAX_ACTIVE_FAULTS, type FaultSpec } from '../domain/rules/fault-rules.js'
import { ERRORS, MAX_ORIGIN_LENGTH, type MockError } from '../errors.js'

// The checks that need nothing of Node or of the web framework, so the MSW handlers (which also
// run in browsers) check their options with the very code buildApp's options go through.

/** The error for a value that is not what `label` takes: what was expected, and the value as JSON. */
export function invalid(label: string, expected: string, value: unknown): MockError {
  return ERRORS.invalidOption(label, `expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`)
}

// More start faults than may be active at once; `label` names the option, flag or variable.
function tooManyStartFaults(label: string, given: number): MockError {
  return ERRORS.invalidOption(
    label,
    `${given} faults given; at most ${MAX_ACTIVE_FAULTS} may be active at once (start with fewer, and add the others once some have ended)`,
  )
}

/**
 * The checks of single values and lists of them that run anywhere: `check` (`checks.ts`) holds
 * them too, beside those that need Node. `label` names the option, flag or variable; `entry`
 * names one entry of a list (`corsOrigins[1]`, or the flag the list came from).
 */
export const valueChecks = {
  positiveInteger(value: unknown, label: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw invalid(label, 'a positive whole number', value)
    return value
  },
  epochSeconds(value: unknown, label: string): number {
    if (!isEpochSeconds(value)) throw invalid(label, EPOCH_SECONDS_EXPECTED, value)
    return value
  },
  /**
   * One origin exactly as a browser sends it in `Origin`: `http(s)://host[:port]`, lower case,
   * no default port, no path, no trailing slash, no wildcard (BigCommerce's own CORS origin
   * settings refuse those too). The message says how to write it when it can.
   */
  corsOrigin(value: unknown, label: string): string {
    const expected = 'an origin such as http://localhost:5173 (scheme, host and port, nothing after)'
    if (typeof value !== 'string' || value.trim() === '') throw invalid(label, expected, value)
    // Each is named in CORS refusals and warnings; a DNS name is at most 253 characters.
    if (value.length > MAX_ORIGIN_LENGTH)
      throw ERRORS.invalidOption(label, `expected ${expected}, at most ${MAX_ORIGIN_LENGTH} characters, got ${value.length} characters`)
    if (value.includes('*')) throw invalid(label, `${expected}; wildcards are not allowed, list each origin`, value)
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw invalid(label, expected, value)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(label, `${expected} (an http: or https: one)`, value)
    if (value.endsWith('/'))
      throw invalid(label, `${expected}, without the trailing slash: an Origin header never ends in one, so write ${url.origin}`, value)
    if (value !== url.origin)
      throw invalid(
        label,
        `${expected}, written as a browser sends it in Origin: ${url.origin}${url.pathname !== '/' || url.search ? ' (an origin has no path or query)' : ''}`,
        value,
      )
    return value
  },
  /** A list of origins, each checked by {@link valueChecks.corsOrigin}; repeats are dropped. */
  corsOrigins(value: unknown, label: string, entry = (index: number) => `${label}[${index}]`): string[] {
    if (!Array.isArray(value)) throw invalid(label, 'a list of origins, e.g. ["http://localhost:5173"]', value)
    return [...new Set(value.map((origin: unknown, index) => valueChecks.corsOrigin(origin, entry(index))))]
  },
  /**
   * A list of fault specs, each checked as `POST /__mock/faults` checks one; the error names the
   * entry and its field, or, given `texts` (how the command line wrote each entry), quotes the
   * entry. More than {@link MAX_ACTIVE_FAULTS} could never all be active, so the list is refused
   * here, naming the option, before anything starts.
   */
  faults(value: unknown, label: string, texts?: readonly string[]): FaultSpec[] {
    if (!Array.isArray(value))
      throw ERRORS.invalidOption(label, `expected a list of faults ({route, effect, times?, ...}), got ${showValue(value)}`)
    if (value.length > MAX_ACTIVE_FAULTS) throw tooManyStartFaults(label, value.length)
    value.forEach((spec: unknown, index) => {
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
        throw ERRORS.invalidOption(`${label}[${index}]`, `expected a fault {route, effect, times?, ...}, got ${showValue(spec)}`)
      try {
        checkFaultSpec(spec as FaultSpec, 'f0', 0)
      } catch (error) {
        const text = texts?.[index]
        if (text !== undefined) throw ERRORS.invalidOption(label, `${showValue(text)}: ${(error as Error).message}`)
        const field = (error as MockError).field
        throw ERRORS.invalidOption(`${label}[${index}]${field ? `.${field}` : ''}`, (error as Error).message)
      }
    })
    return value as FaultSpec[]
  },
}
