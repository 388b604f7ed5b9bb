import { showValue } from '../domain/describe-value.js'
import { checkFaultSpec, MAX_ACTIVE_FAULTS, type FaultSpec } from '../domain/fault-registry.js'
import { ERRORS, type MockError } from '../errors.js'

/** The error for more start faults than may be active at once; `label` names the option, flag or variable. */
export function tooManyStartFaults(label: string, given: number): MockError {
  return ERRORS.invalidOption(label, `${given} faults given; at most ${MAX_ACTIVE_FAULTS} may be active at once (start with fewer, and add the others once some have ended)`)
}

/** The check of the start faults (`faults`, `--fault`, `BC_MOCK_FAULTS`). */
export const faultCheck = {
  /**
   * A list of fault specs, each checked as `POST /__mock/faults` checks one; the error names the
   * entry and its field, or, given `texts` (how the command line wrote each entry), quotes the
   * entry. More than {@link MAX_ACTIVE_FAULTS} could never all be active, so the list is refused
   * here, naming the option, before anything starts.
   */
  faults(value: unknown, label: string, texts?: readonly string[]): FaultSpec[] {
    if (!Array.isArray(value)) throw ERRORS.invalidOption(label, `expected a list of faults ({route, effect, times?, ...}), got ${showValue(value)}`)
    if (value.length > MAX_ACTIVE_FAULTS) throw tooManyStartFaults(label, value.length)
    value.forEach((spec: unknown, index) => {
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw ERRORS.invalidOption(`${label}[${index}]`, `expected a fault {route, effect, times?, ...}, got ${showValue(spec)}`)
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
