import { MockError } from './errors.js'
import type { FixtureDocument } from './fixtures/document.js'

/** Log levels the mock accepts (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * Options of {@link buildApp} and {@link startMockStorefront}; each mirrors a CLI flag
 * (`tokenTtl` is `--token-ttl`, and so on).
 */
export interface MockStorefrontOptions {
  /** Fixture file path, or a fixture document as an object. Default: the bundled `fixtures/store.yaml`. */
  fixtures?: string | FixtureDocument
  /** Token lifetime in seconds for apps that set no `token_ttl`. Default 900 (BigCommerce's 15 minutes). */
  tokenTtl?: number
  /** Freeze the clock at these epoch seconds. Default: real time. */
  now?: number
  /** Idle seconds after which a storefront session ends. Default 86400 (one day). */
  sessionTtl?: number
  /** Most sessions held at once; the least recently used one ends past it. Default 10000. */
  maxSessions?: number
  /** Log level. Default `silent` for {@link buildApp} and {@link startMockStorefront}, `info` for the CLI. */
  logLevel?: LogLevel
  /** Where log lines go. Default: standard output. */
  logStream?: NodeJS.WritableStream
  /** Interface to listen on ({@link startMockStorefront} only). Default `127.0.0.1`. */
  host?: string
  /** Port to listen on ({@link startMockStorefront} only); 0 picks a free one. Default 0. */
  port?: number
}

/** Options with every default filled in and every value checked. */
export interface ResolvedOptions {
  fixtures: string | FixtureDocument | undefined
  tokenTtl: number
  now: number | undefined
  sessionTtl: number
  maxSessions: number
  logLevel: LogLevel
  logStream: NodeJS.WritableStream | undefined
  host: string
  port: number
}

/** Defaults shared by the API and the CLI. */
export const DEFAULTS = {
  tokenTtl: 900,
  sessionTtl: 86_400,
  maxSessions: 10_000,
  host: '127.0.0.1',
  cliPort: 3100,
  apiPort: 0,
} as const

/** Check options and fill in defaults; a bad value throws a {@link MockError} naming the option. */
export function resolveOptions(options: MockStorefrontOptions): ResolvedOptions {
  return {
    fixtures: options.fixtures,
    tokenTtl: check.positiveInteger(options.tokenTtl ?? DEFAULTS.tokenTtl, 'tokenTtl'),
    now: options.now === undefined ? undefined : check.epochSeconds(options.now, 'now'),
    sessionTtl: check.positiveInteger(options.sessionTtl ?? DEFAULTS.sessionTtl, 'sessionTtl'),
    maxSessions: check.positiveInteger(options.maxSessions ?? DEFAULTS.maxSessions, 'maxSessions'),
    logLevel: check.logLevel(options.logLevel ?? 'silent', 'logLevel'),
    logStream: options.logStream,
    host: check.host(options.host ?? DEFAULTS.host, 'host'),
    port: check.port(options.port ?? DEFAULTS.apiPort, 'port'),
  }
}

function invalid(label: string, expected: string, value: unknown): MockError {
  return new MockError('BCMOCK_INVALID_OPTION', `${label}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`, 400, label)
}

/** Value checks shared by {@link resolveOptions} and the CLI; `label` names the option or flag. */
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
}
