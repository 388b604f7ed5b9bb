import type { ControlAccess } from '../control/access.js'
import type { FaultSpec } from '../domain/rules/fault-rules.js'
import type { FixtureSource } from '../fixture-loader/load-fixtures.js'
import type { HostPolicy } from '../http/host-policy.js'
import type { LogFormat, LogLevel } from '../http/logger.js'
import type { TlsSource } from '../http/tls-certificate.js'
import type { LatencyRange } from '../storefront/latency.js'

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
  /** The demo home page's path: `/`, or `MOCK_HOME_WHEN_FRONT_END` with `--proxy`/`--static`. */
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
