import { ERRORS, MAX_ORIGIN_LENGTH } from '../errors.js'
import { readAllowedHost } from '../http/host-policy.js'
import { invalid } from './checks.js'

/**
 * Checks of who may reach the mock: `--cors-origin` and `--allowed-host` values. `label` names
 * the option, flag or variable; `entry` names one entry of a list (`corsOrigins[1]`, or the flag).
 */
export const accessCheck = {
  /**
   * One origin exactly as a browser sends it in `Origin`: `http(s)://host[:port]`, lower case,
   * no default port, no path, no trailing slash, no wildcard (BigCommerce's own CORS origin
   * settings refuse those too). The message says how to write it when it can.
   */
  corsOrigin(value: unknown, label: string): string {
    const expected = 'an origin such as http://localhost:5173 (scheme, host and port, nothing after)'
    if (typeof value !== 'string' || value.trim() === '') throw invalid(label, expected, value)
    // Each is named in CORS refusals and warnings; a DNS name is at most 253 characters.
    if (value.length > MAX_ORIGIN_LENGTH) throw ERRORS.invalidOption(label, `expected ${expected}, at most ${MAX_ORIGIN_LENGTH} characters, got ${value.length} characters`)
    if (value.includes('*')) throw invalid(label, `${expected}; wildcards are not allowed, list each origin`, value)
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw invalid(label, expected, value)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(label, `${expected} (an http: or https: one)`, value)
    if (value.endsWith('/')) throw invalid(label, `${expected}, without the trailing slash: an Origin header never ends in one, so write ${url.origin}`, value)
    if (value !== url.origin) throw invalid(label, `${expected}, written as a browser sends it in Origin: ${url.origin}${url.pathname !== '/' || url.search ? ' (an origin has no path or query)' : ''}`, value)
    return value
  },
  /** A list of origins, each checked by {@link accessCheck.corsOrigin}; repeats are dropped. */
  corsOrigins(value: unknown, label: string, entry = (index: number) => `${label}[${index}]`): string[] {
    if (!Array.isArray(value)) throw invalid(label, 'a list of origins, e.g. ["http://localhost:5173"]', value)
    return [...new Set(value.map((origin: unknown, index) => accessCheck.corsOrigin(origin, entry(index))))]
  },
  /** One `--allowed-host` value (see {@link readAllowedHost}); answers it as the policy compares it. */
  allowedHost(value: unknown, label: string): string {
    const read = typeof value === 'string' ? readAllowedHost(value) : undefined
    if (read === undefined || 'problem' in read) throw invalid(label, read?.problem ?? 'a host name such as mystore.test', value)
    return read.host
  },
  /** A list of host names, each checked by {@link accessCheck.allowedHost}; repeats are dropped. */
  allowedHosts(value: unknown, label: string, entry = (index: number) => `${label}[${index}]`): string[] {
    if (!Array.isArray(value)) throw invalid(label, 'a list of host names, e.g. ["mystore.test"]', value)
    return [...new Set(value.map((host: unknown, index) => accessCheck.allowedHost(host, entry(index))))]
  },
}
