import { ControlAccess } from '../control/access.js'
import { closestName } from '../domain/describe-value.js'
import type { FaultSpec } from '../domain/fault-registry.js'
import { ERRORS } from '../errors.js'
import { fixtureSource, type FixtureSource } from '../fixture-loader/load-fixtures.js'
import { HostPolicy } from '../http/host-policy.js'
import type { LogFormat, LogLevel } from '../http/logger.js'
import { tlsSourceNames, type TlsSource } from '../http/tls-certificate.js'
import type { LatencyRange } from '../storefront/latency.js'
import { accessCheck } from './access-options.js'
import { check } from './checks.js'
import { DEFAULTS } from './defaults.js'
import { faultCheck } from './fault-options.js'
import { MOCK_HOME_WHEN_FRONT_END, resolveFrontEndOptions } from './frontend-options.js'
import { OPTION_NAMES, type MockStorefrontOptions } from './mock-storefront-options.js'
import { resolveTlsOptions } from './tls-options.js'

/** Options with every default filled in and every value checked, resolved once by {@link resolveOptions}. */
export interface ResolvedOptions {
  /** One absolute file or one document; the bundled default when none was given. */
  fixtures: FixtureSource
  tokenTtl: number
  now: number | undefined
  sessionTtl: number
  maxSessions: number
  logLevel: LogLevel
  logStream: NodeJS.WritableStream | undefined
  logFormat: LogFormat
  host: string
  port: number
  watch: boolean
  /** The dev server's origin (no path). */
  proxy: string | undefined
  /** Absolute path of the directory. */
  static: string | undefined
  /** Undefined when no latency was asked for. */
  latency: LatencyRange | undefined
  adminToken: string | undefined
  admin: boolean
  /** The file `--watch` watches; undefined when not watching. */
  watchFile: string | undefined
  /** The demo home page's path: `/`, or {@link MOCK_HOME_WHEN_FRONT_END} with `--proxy`/`--static`. */
  homePath: string
  /** Who may use the `/__mock` control API, decided from `admin`, `adminToken` and `host`. */
  controlAccess: ControlAccess
  /** Faults to make active at start, each checked. */
  faults: FaultSpec[]
  /** Serve TLS and set production's cookie attributes. */
  https: boolean
  /** Where the TLS certificate comes from; undefined over plain http. */
  tls: TlsSource | undefined
  /** Origins answered with credentialed CORS on `/customer/current.jwt`, each checked; none by default. */
  corsOrigins: string[]
  /** `allowedHosts`, each checked and written as the policy compares it (lower case, punycode, no trailing dot). */
  allowedHosts: string[]
  /** Which `Host` values a loopback listener answers, decided from `host`, `allowedHosts` and the certificate. */
  hostPolicy: HostPolicy
}

/**
 * Check options and fill in defaults; a bad value throws a {@link MockError} naming the option,
 * and an unknown one (a misspelt `tokenTTL`) throws one naming it and the option meant, as
 * strict as the fixture file is about its keys.
 */
export function resolveOptions(options: MockStorefrontOptions): ResolvedOptions {
  rejectUnknownOptions(options)
  const host = check.host(options.host ?? DEFAULTS.host, 'host')
  const admin = check.boolean(options.admin ?? true, 'admin')
  const adminToken = options.adminToken === undefined ? undefined : check.adminToken(options.adminToken, 'adminToken')
  const frontEnd = resolveFrontEndOptions(options)
  const fixtures = fixtureSource(options.fixtures)
  const tls = resolveTlsOptions(options, host)
  const allowedHosts = accessCheck.allowedHosts(options.allowedHosts ?? [], 'allowedHosts')
  // The certificate's names were set up for this mock, so a page opened at one is its own.
  const hostPolicy = HostPolicy.from({ host, allowedHosts, certificateNames: tls.tls ? tlsSourceNames(tls.tls) : [] })
  return {
    fixtures,
    tokenTtl: check.positiveInteger(options.tokenTtl ?? DEFAULTS.tokenTtl, 'tokenTtl'),
    now: options.now === undefined ? undefined : check.epochSeconds(options.now, 'now'),
    sessionTtl: check.positiveInteger(options.sessionTtl ?? DEFAULTS.sessionTtl, 'sessionTtl'),
    maxSessions: check.positiveInteger(options.maxSessions ?? DEFAULTS.maxSessions, 'maxSessions'),
    logLevel: check.logLevel(options.logLevel ?? 'silent', 'logLevel'),
    logStream: options.logStream,
    logFormat: check.logFormat(options.logFormat ?? 'json', 'logFormat'),
    host,
    port: check.port(options.port ?? DEFAULTS.apiPort, 'port'),
    ...frontEnd,
    adminToken,
    admin,
    watchFile: frontEnd.watch ? fixtures.file : undefined,
    homePath: frontEnd.proxy !== undefined || frontEnd.static !== undefined ? MOCK_HOME_WHEN_FRONT_END : '/',
    controlAccess: ControlAccess.from({ admin, adminToken, host, hostPolicy }),
    faults: faultCheck.faults(options.faults ?? [], 'faults'),
    ...tls,
    corsOrigins: accessCheck.corsOrigins(options.corsOrigins ?? [], 'corsOrigins'),
    allowedHosts,
    hostPolicy,
  }
}

function rejectUnknownOptions(options: object): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw ERRORS.invalidOption('options', `expected an object of options, got ${JSON.stringify(options)}`)
  const known: readonly string[] = OPTION_NAMES
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue
    throw ERRORS.unknownOption(name, closestName(name, known), known)
  }
}
