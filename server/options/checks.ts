import { ERRORS } from '../errors.js'
import { readAllowedHost } from '../http/host-policy.js'
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../http/logger.js'
import { invalid, valueChecks } from './value-checks.js'

export { invalid }

/**
 * Checks of single values and lists of them, each run once, by `resolveOptions`: those of
 * `value-checks.ts`, which run anywhere, and those that need Node. `label` names
 * the option, flag or variable; `entry` names one entry of a list (`corsOrigins[1]`, or the flag
 * the list came from).
 */
export const check = {
  ...valueChecks,
  port(value: unknown, label: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535)
      throw invalid(label, 'a port from 0 to 65535', value)
    return value
  },
  host(value: unknown, label: string): string {
    if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value)) throw invalid(label, 'a host name or IP address', value)
    return value
  },
  path(value: unknown, label: string): string {
    if (typeof value !== 'string' || value.trim() === '') throw invalid(label, 'a file path', value)
    return value
  },
  logLevel(value: unknown, label: string): LogLevel {
    if (!(LOG_LEVELS as readonly unknown[]).includes(value)) throw invalid(label, `one of ${LOG_LEVELS.join(', ')}`, value)
    return value as LogLevel
  },
  logFormat(value: unknown, label: string): LogFormat {
    if (!(LOG_FORMATS as readonly unknown[]).includes(value)) throw invalid(label, `one of ${LOG_FORMATS.join(', ')}`, value)
    return value as LogFormat
  },
  boolean(value: unknown, label: string): boolean {
    if (typeof value !== 'boolean') throw invalid(label, 'true or false', value)
    return value
  },
  /** A bearer token: printable characters without spaces. The message never repeats the value. */
  adminToken(value: unknown, label: string): string {
    if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
      throw ERRORS.invalidOption(
        label,
        'expected a token of printable characters without spaces (it goes in an Authorization: Bearer header)',
      )
    }
    return value
  },
  /** One `--allowed-host` value (see {@link readAllowedHost}); answers it as the policy compares it. */
  allowedHost(value: unknown, label: string): string {
    const read = typeof value === 'string' ? readAllowedHost(value) : undefined
    if (read === undefined || 'problem' in read) throw invalid(label, read?.problem ?? 'a host name such as mystore.test', value)
    return read.host
  },
  /** A list of host names, each checked by {@link check.allowedHost}; repeats are dropped. */
  allowedHosts(value: unknown, label: string, entry = (index: number) => `${label}[${index}]`): string[] {
    if (!Array.isArray(value)) throw invalid(label, 'a list of host names, e.g. ["mystore.test"]', value)
    return [...new Set(value.map((host: unknown, index) => check.allowedHost(host, entry(index))))]
  },
}
