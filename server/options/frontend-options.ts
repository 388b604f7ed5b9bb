import { accessSync, constants, statSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { ERRORS, type MockError } from '../errors.js'
import { fileKind } from '../files/read-regular-file.js'
import { MAX_LATENCY_MS, type LatencyRange } from '../storefront/latency.js'
import { check, invalid } from './checks.js'
import { optionLabel, type MockStorefrontOptions, type OptionLabels, type OptionName } from './mock-storefront-options.js'
import type { ResolvedOptions } from './resolved-options.js'

/** Where the mock's demo home page goes when a proxied or static front end owns `/`. */
export const MOCK_HOME_WHEN_FRONT_END = '/__mock/'

/** `--watch`, `--proxy`, `--static` and `--latency`, each checked, and against each other; errors name each by its label. */
export function resolveFrontEndOptions(
  options: MockStorefrontOptions,
  labels: OptionLabels,
): Pick<ResolvedOptions, 'watch' | 'proxy' | 'static' | 'latency' | 'homePath'> {
  const label = (name: OptionName) => optionLabel(labels, name)
  const watch = check.boolean(options.watch ?? false, label('watch'))
  if (watch && options.fixtures !== undefined && typeof options.fixtures !== 'string') {
    throw ERRORS.invalidOption(label('watch'), 'needs fixtures given as a file path; a fixtures object has no file to watch')
  }
  const proxy = options.proxy === undefined ? undefined : frontEndCheck.upstreamUrl(options.proxy, label('proxy'))
  const staticDir = options.static === undefined ? undefined : frontEndCheck.directory(options.static, label('static'))
  if (proxy !== undefined && staticDir !== undefined) throw bothFrontEnds(label('proxy'), label('static'))
  const latency = options.latency === undefined ? undefined : frontEndCheck.latency(options.latency, label('latency'))
  const homePath = proxy !== undefined || staticDir !== undefined ? MOCK_HOME_WHEN_FRONT_END : '/'
  return { watch, proxy, static: staticDir, latency, homePath }
}

// Both a proxied and a static front end: each would answer every path the mock does not.
function bothFrontEnds(proxyLabel: string, staticLabel: string): MockError {
  return ERRORS.conflictingOptions(
    proxyLabel,
    staticLabel,
    `both would answer every path the mock does not; serve the built files from the dev server, or drop ${proxyLabel}`,
  )
}

/** Checks of `--proxy`, `--static` and `--latency` values; `label` names the option, flag or variable. */
const frontEndCheck = {
  /** An http(s) origin such as `http://localhost:3000`; answers it without a trailing slash. */
  upstreamUrl(value: unknown, label: string): string {
    const expected = 'an http:// or https:// URL of a dev server, such as http://localhost:3000'
    if (typeof value !== 'string') throw invalid(label, expected, value)
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw invalid(label, expected, value)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(label, `${expected} (${url.protocol} is not proxied)`, value)
    // Paths pass through unchanged (/a on the mock is /a on the dev server), so a base path would only mislead.
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
      throw invalid(label, `${expected}, without a path, query or credentials (paths pass through as they are)`, value)
    }
    return url.origin
  },
  /** An existing directory; answers its absolute path. */
  directory(value: unknown, label: string): string {
    if (typeof value !== 'string' || value.trim() === '') throw invalid(label, 'a directory path', value)
    const dir = resolvePath(value)
    let stats
    try {
      stats = statSync(dir)
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message
      throw invalid(label, `an existing directory (${dir}: ${reason})`, value)
    }
    if (!stats.isDirectory()) throw invalid(label, `a directory (${dir} is ${stats.isFile() ? 'a file' : fileKind(stats)})`, value)
    try {
      accessSync(dir, constants.R_OK | constants.X_OK)
    } catch {
      // Else every file in it would answer 404, with no word of why.
      throw invalid(label, `a directory the mock may read (${dir}: permission denied)`, value)
    }
    return dir
  },
  /** Milliseconds, or a `{min, max}` range, each a whole number from 0 to {@link MAX_LATENCY_MS}. */
  latency(value: unknown, label: string): LatencyRange {
    const expected = `milliseconds from 0 to ${MAX_LATENCY_MS}, or {min, max} with min <= max`
    const isMs = (ms: unknown): ms is number => typeof ms === 'number' && Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_LATENCY_MS
    if (isMs(value)) return { min: value, max: value }
    if (typeof value === 'object' && value !== null && 'min' in value && 'max' in value) {
      const { min, max } = value
      if (isMs(min) && isMs(max) && min <= max) return { min, max }
    }
    throw invalid(label, expected, value)
  },
}
