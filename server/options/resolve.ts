import { ControlAccess } from '../control/access.js'
import { fixtureSource } from '../fixture-loader/load-fixtures.js'
import { HostPolicy } from '../http/host-policy.js'
import { tlsSourceNames } from '../http/tls-certificate.js'
import { check } from './checks.js'
import type { ResolvedOptions } from './resolved-options.js'
import { resolveFrontEndOptions } from './frontend-options.js'
import {
  DEFAULTS,
  entryLabel,
  optionLabel,
  OPTION_NAMES,
  type MockStorefrontOptions,
  type OptionLabels,
  type OptionName,
} from './mock-storefront-options.js'
import { rejectUnknownOptions, resolveStoreOptions } from './store-options.js'
import { resolveTlsOptions } from './tls-options.js'

export type { ResolvedOptions } from './resolved-options.js'

/** What names the options in errors, when the command line gave them: see {@link OptionLabels}. */
export interface ResolveContext {
  /** The flag or environment variable each option came from; none: each is named by itself. */
  labels?: OptionLabels
  /** How each start fault was written (an entry of `--fault` or `BC_MOCK_FAULTS`), for its error to quote. */
  faultTexts?: readonly string[]
}

/**
 * Check options and fill in defaults, each value checked once, here; a bad value throws a
 * `MockError` naming the option (or the flag or variable it came from, given its label),
 * and an unknown one (a misspelt `tokenTTL`) throws one naming it and the option meant, as
 * strict as the fixture file is about its keys. A `cert`/`key` pair is read, and a named
 * `certCacheDir` checked, now: a bad one fails before anything loads or listens.
 */
export function resolveOptions(options: MockStorefrontOptions, context: ResolveContext = {}): ResolvedOptions {
  rejectUnknownOptions(options, OPTION_NAMES)
  const labels = context.labels ?? {}
  const label = (name: OptionName) => optionLabel(labels, name)
  const entry = (name: OptionName) => (index: number) => entryLabel(labels, name, index)
  const host = check.host(options.host ?? DEFAULTS.host, label('host'))
  const admin = check.boolean(options.admin ?? true, label('admin'))
  const adminToken = options.adminToken === undefined ? undefined : check.adminToken(options.adminToken, label('adminToken'))
  const frontEnd = resolveFrontEndOptions(options, labels)
  const fixtures = fixtureSource(typeof options.fixtures === 'string' ? check.path(options.fixtures, label('fixtures')) : options.fixtures)
  const tls = resolveTlsOptions(options, host, labels)
  const allowedHosts = check.allowedHosts(options.allowedHosts ?? [], label('allowedHosts'), entry('allowedHosts'))
  // The certificate's names were set up for this mock, so a page opened at one is its own.
  const hostPolicy = HostPolicy.from({ host, allowedHosts, certificateNames: tls.tls ? tlsSourceNames(tls.tls) : [] })
  const store = resolveStoreOptions(options, labels, context.faultTexts)
  return {
    fixtures,
    tokenTtl: store.tokenTtl,
    now: store.now,
    sessionTtl: store.sessionTtl,
    maxSessions: store.maxSessions,
    logLevel: check.logLevel(options.logLevel ?? DEFAULTS.apiLogLevel, label('logLevel')),
    logStream: options.logStream,
    logFormat: check.logFormat(options.logFormat ?? DEFAULTS.logFormat, label('logFormat')),
    host,
    port: check.port(options.port ?? DEFAULTS.apiPort, label('port')),
    ...frontEnd,
    adminToken,
    admin,
    watchFile: frontEnd.watch ? fixtures.file : undefined,
    controlAccess: ControlAccess.from({ admin, adminToken, host, hostPolicy }),
    faults: store.faults,
    ...tls,
    corsOrigins: check.corsOrigins(options.corsOrigins ?? [], label('corsOrigins'), entry('corsOrigins')),
    allowedHosts,
    hostPolicy,
  }
}
