import { ERRORS, type MockError } from '../errors.js'
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../http/logger.js'

/** The error for a value that is not what `label` takes: what was expected, and the value as JSON. */
export function invalid(label: string, expected: string, value: unknown): MockError {
  return ERRORS.invalidOption(label, `expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`)
}

/** Checks of single values, each run once, by `resolveOptions`; `label` names the option, flag or variable. */
export const check = {
  positiveInteger(value: unknown, label: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw invalid(label, 'a positive whole number', value)
    return value
  },
  epochSeconds(value: unknown, label: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 253_402_300_799) {
      throw invalid(label, 'epoch seconds (a whole number from 0 to 253402300799)', value)
    }
    return value
  },
  port(value: unknown, label: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) throw invalid(label, 'a port from 0 to 65535', value)
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
      throw ERRORS.invalidOption(label, 'expected a token of printable characters without spaces (it goes in an Authorization: Bearer header)')
    }
    return value
  },
}
