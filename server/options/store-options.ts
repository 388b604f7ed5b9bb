import { closestName } from '../domain/describe-value.js'
import type { FaultSpec } from '../domain/rules/fault-rules.js'
import { ERRORS } from '../errors.js'
import { DEFAULTS, optionLabel, type MockStorefrontOptions, type OptionLabels, type OptionName } from './mock-storefront-options.js'
import { valueChecks } from './value-checks.js'

/** The options that set up the store itself: every way of running the mock takes them (the server, the MSW handlers). */
export type StoreOptionName = 'tokenTtl' | 'now' | 'sessionTtl' | 'maxSessions' | 'faults'

/** The store options, checked and with their defaults filled in. */
export interface ResolvedStoreOptions {
  tokenTtl: number
  now: number | undefined
  sessionTtl: number
  maxSessions: number
  /** Faults to make active at start, each checked. */
  faults: FaultSpec[]
}

/**
 * Check the store options and fill in their defaults (`DEFAULTS`): `resolveOptions` for the
 * server and `createMockStorefrontHandlers` for MSW both call this, so a value is refused with
 * the same error whichever way the mock runs. Runs anywhere: no Node module, no file.
 */
export function resolveStoreOptions(
  options: Pick<MockStorefrontOptions, StoreOptionName>,
  labels: OptionLabels = {},
  faultTexts?: readonly string[],
): ResolvedStoreOptions {
  const label = (name: OptionName) => optionLabel(labels, name)
  return {
    tokenTtl: valueChecks.positiveInteger(options.tokenTtl ?? DEFAULTS.tokenTtl, label('tokenTtl')),
    now: options.now === undefined ? undefined : valueChecks.epochSeconds(options.now, label('now')),
    sessionTtl: valueChecks.positiveInteger(options.sessionTtl ?? DEFAULTS.sessionTtl, label('sessionTtl')),
    maxSessions: valueChecks.positiveInteger(options.maxSessions ?? DEFAULTS.maxSessions, label('maxSessions')),
    faults: valueChecks.faults(options.faults ?? [], label('faults'), faultTexts),
  }
}

/**
 * Refuse anything but an object of options, and any option not in `known`: a misspelt
 * `tokenTTL` is an error naming it and the option meant, as strict as the fixture file is about
 * its keys.
 */
export function rejectUnknownOptions(options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw ERRORS.invalidOption('options', `expected an object of options, got ${JSON.stringify(options)}`)
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue
    throw ERRORS.unknownOption(name, closestName(name, known), known)
  }
}
