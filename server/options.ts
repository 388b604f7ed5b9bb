import { accessSync, constants, statSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { ControlAccess } from './control/access.js'
import { closestName, showValue } from './domain/describe-value.js'
import { checkFaultSpec, MAX_ACTIVE_FAULTS, type FaultSpec } from './domain/rules/fault-rules.js'
import { EPOCH_SECONDS_EXPECTED, isEpochSeconds } from './domain/rules/clock-rules.js'
import type { FixtureDocument } from './domain/fixture-document.js'
import { ERRORS, MAX_ORIGIN_LENGTH, type MockError } from './errors.js'
import { fixtureSource, type FixtureSource } from './fixture-loader/load-fixtures.js'
import { fileKind } from './files/read-regular-file.js'
import { RUNTIME_CAPS } from './domain/store.js'
import { SERVER_TIMEOUTS, type ServerTimeouts } from './http/limits.js'
import { HostPolicy, readAllowedHost } from './http/host-policy.js'
import { defaultCertCacheDir, generatedCertificateNames, readCertificatePair, tlsSourceNames, type TlsSource } from './http/tls-certificate.js'
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './http/logger.js'
import { MAX_LATENCY_MS, type LatencyRange } from './storefront/latency.js'

export { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel }

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
  /**
   * `json` (default): pino's JSON lines. `pretty`: one readable line per request (time, method,
   * path with secrets redacted, status, duration, customer, app), for a person at a terminal;
   * the CLI picks it when its standard output is a terminal.
   */
  logFormat?: LogFormat
  /** Interface to listen on ({@link startMockStorefront} only). Default `127.0.0.1`. */
  host?: string
  /** Port to listen on ({@link startMockStorefront} only); 0 picks a free one. Default 0. */
  port?: number
  /** Re-apply the fixture file whenever it changes (`--watch`); needs `fixtures` as a path. Default false. */
  watch?: boolean
  /** Send every request the mock has no route for to this dev server origin, WebSockets included (`--proxy`). */
  proxy?: string
  /** Serve this directory's built front end from the mock's origin (`--static`); not with `proxy`. */
  static?: string
  /** Delay the storefront endpoints by this many milliseconds, or a random time in `{min, max}` (`--latency`). */
  latency?: number | LatencyRange
  /**
   * Bearer token every `/__mock` control API call must carry (`--admin-token`,
   * `BC_MOCK_ADMIN_TOKEN`). Without one the control API is open on a loopback host and off on
   * any other.
   */
  adminToken?: string
  /** `false` turns the `/__mock` control API off (`--no-admin`). Default true. */
  admin?: boolean
  /** Faults active from the start (`--fault`), as `POST /__mock/faults` takes them (at most 100); `reset()` ends them too. Default none. */
  faults?: FaultSpec[]
  /**
   * Serve TLS on the same port (`--https`, `BC_MOCK_HTTPS=1`), and set the session cookies as a
   * real store does (`Secure; SameSite=None; HttpOnly; Path=/`; every other cookie `Secure` too).
   * Without `cert` and `key`, a self-signed certificate for `localhost`, `127.0.0.1`, `::1` and
   * `host` is generated on the first start and kept in `certCacheDir`, so a browser's exception
   * for it survives restarts. {@link buildApp} does not listen: there it sets the cookie
   * attributes only; {@link startMockStorefront} serves TLS. Default false (plain http, `Lax`).
   *
   * @example
   * ```ts
   * const storefront = await startMockStorefront({ https: true })
   * storefront.url            // https://127.0.0.1:PORT
   * storefront.tls?.certFile  // trust it: NODE_EXTRA_CA_CERTS, curl --cacert, or a browser exception
   * ```
   */
  https?: boolean
  /** Your own PEM certificate file (`--cert`), e.g. made with mkcert; needs `key`, implies `https`. */
  cert?: string
  /** The PEM private key file of `cert` (`--key`); needs `cert`, implies `https`. */
  key?: string
  /** Where the generated certificate is kept. Default: the user's cache directory (`~/.cache/bigcommerce-mock-storefront` on Linux). */
  certCacheDir?: string
  /**
   * Origins whose pages may read `GET /customer/current.jwt` with credentials (`--cors-origin`,
   * `BC_MOCK_CORS_ORIGINS`): an app's dev server on another port or site. Each exactly as a
   * browser sends it in `Origin` (scheme, host, port; no path, no trailing slash, no wildcard).
   * Production has no such list, so the default, none, answers no CORS at all.
   */
  corsOrigins?: string[]
  /**
   * Host names a loopback mock also answers (`--allowed-host`, `BC_MOCK_ALLOWED_HOSTS`): on a
   * loopback `host`, every request whose `Host` is not `localhost`, a `*.localhost` name, a
   * loopback address, one of these or a name of the `--https` certificate gets `403`
   * (`ERRORS.hostNotAllowed`), so a web page cannot reach the mock by DNS rebinding. Each a
   * name or address without scheme or port (`mystore.test`); a leading dot allows the name and
   * every name under it (`.example.test`). No effect on a non-loopback `host`, which answers
   * every `Host`. Default none.
   */
  allowedHosts?: string[]
}

/** Where the mock's demo home page goes when a proxied or static front end owns `/`. */
export const MOCK_HOME_WHEN_FRONT_END = '/__mock/'

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
  /** Connection timeouts and the close grace: {@link SERVER_TIMEOUTS} (not an option; tests shorten them). */
  timeouts: ServerTimeouts
  /** Customers and apps the store may add at run time beyond the fixtures': `RUNTIME_CAPS` (not an option; tests lower them). */
  runtimeCaps: { customers: number; apps: number }
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

/** Defaults shared by the API and the CLI. */
export const DEFAULTS = {
  tokenTtl: 900,
  sessionTtl: 86_400,
  maxSessions: 10_000,
  host: '127.0.0.1',
  cliPort: 3100,
  apiPort: 0,
} as const

/** Every option {@link MockStorefrontOptions} has; the compiler checks that none is missing. */
export const OPTION_NAMES = ['fixtures', 'tokenTtl', 'now', 'sessionTtl', 'maxSessions', 'logLevel', 'logStream', 'logFormat', 'host', 'port', 'watch', 'proxy', 'static', 'latency', 'adminToken', 'admin', 'faults', 'https', 'cert', 'key', 'certCacheDir', 'corsOrigins', 'allowedHosts'] as const satisfies readonly (keyof MockStorefrontOptions)[]
type UnlistedOption = Exclude<keyof MockStorefrontOptions, (typeof OPTION_NAMES)[number]>
const allOptionsListed: [UnlistedOption] extends [never] ? true : UnlistedOption = true

/**
 * Check options and fill in defaults; a bad value throws a {@link MockError} naming the option,
 * and an unknown one (a misspelt `tokenTTL`) throws one naming it and the option meant, as
 * strict as the fixture file is about its keys.
 */
export function resolveOptions(options: MockStorefrontOptions): ResolvedOptions {
  void allOptionsListed
  rejectUnknownOptions(options)
  const host = check.host(options.host ?? DEFAULTS.host, 'host')
  const admin = check.boolean(options.admin ?? true, 'admin')
  const adminToken = options.adminToken === undefined ? undefined : check.adminToken(options.adminToken, 'adminToken')
  const frontEnd = resolveFrontEndOptions(options)
  const fixtures = fixtureSource(options.fixtures)
  const tls = resolveTlsOptions(options, host)
  const allowedHosts = check.allowedHosts(options.allowedHosts ?? [], 'allowedHosts')
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
    timeouts: SERVER_TIMEOUTS,
    runtimeCaps: RUNTIME_CAPS,
    faults: check.faults(options.faults ?? [], 'faults'),
    ...tls,
    corsOrigins: check.corsOrigins(options.corsOrigins ?? [], 'corsOrigins'),
    allowedHosts,
    hostPolicy,
  }
}

// --https, --cert, --key: a given pair is read and checked here, before anything could listen.
function resolveTlsOptions(options: MockStorefrontOptions, host: string): Pick<ResolvedOptions, 'https' | 'tls'> {
  const pair = tlsPair(options.cert, options.key, { cert: 'cert', key: 'key' })
  const https = options.https === undefined ? pair !== undefined : check.boolean(options.https, 'https')
  if (!https && pair) throw ERRORS.conflictingOptions('https: false', 'cert/key', 'a certificate is only for serving https; drop it, or drop https: false')
  if (!https) return { https, tls: undefined }
  if (pair) return { https, tls: pair }
  // A cache directory given is one the caller chose: another user able to write it is an error, not a silent fallback.
  const names = generatedCertificateNames(host)
  if (options.certCacheDir === undefined) return { https, tls: { kind: 'generate', names, cacheDir: defaultCertCacheDir() } }
  return { https, tls: { kind: 'generate', names, cacheDir: resolvePath(check.path(options.certCacheDir, 'certCacheDir')), cacheDirLabel: 'certCacheDir' } }
}

/**
 * A certificate and key given together, read and checked; undefined when neither is given.
 * `labels` name them as the caller knows them (options `cert`/`key`, flags `--cert`/`--key`).
 */
export function tlsPair(cert: unknown, key: unknown, labels: { cert: string; key: string }): TlsSource | undefined {
  if (cert === undefined && key === undefined) return undefined
  if (key === undefined) throw ERRORS.invalidOption(labels.key, `missing: ${labels.cert} ${String(cert)} needs the certificate's private key file too`)
  if (cert === undefined) throw ERRORS.invalidOption(labels.cert, `missing: ${labels.key} ${String(key)} needs its certificate file too`)
  return readCertificatePair(resolvePath(check.path(cert, labels.cert)), resolvePath(check.path(key, labels.key)), labels)
}

function rejectUnknownOptions(options: object): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw ERRORS.invalidOption('options', `expected an object of options, got ${JSON.stringify(options)}`)
  const known: readonly string[] = OPTION_NAMES
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue
    throw ERRORS.unknownOption(name, closestName(name, known), known)
  }
}

// --watch, --proxy, --static, --latency: checked here, and against each other.
function resolveFrontEndOptions(options: MockStorefrontOptions): Pick<ResolvedOptions, 'watch' | 'proxy' | 'static' | 'latency'> {
  const watch = check.boolean(options.watch ?? false, 'watch')
  if (watch && options.fixtures !== undefined && typeof options.fixtures !== 'string') {
    throw ERRORS.invalidOption('watch', 'needs fixtures given as a file path; a fixtures object has no file to watch')
  }
  const proxy = options.proxy === undefined ? undefined : check.upstreamUrl(options.proxy, 'proxy')
  const staticDir = options.static === undefined ? undefined : check.directory(options.static, 'static')
  if (proxy !== undefined && staticDir !== undefined) throw bothFrontEnds('proxy', 'static')
  const latency = options.latency === undefined ? undefined : check.latency(options.latency, 'latency')
  return { watch, proxy, static: staticDir, latency }
}

/** The error for asking for both a proxied and a static front end; labels name the two options or flags. */
export function bothFrontEnds(proxyLabel: string, staticLabel: string): MockError {
  return ERRORS.conflictingOptions(proxyLabel, staticLabel, `both would answer every path the mock does not; serve the built files from the dev server, or drop ${proxyLabel}`)
}

/** The error for more start faults than may be active at once; `label` names the option, flag or variable. */
export function tooManyStartFaults(label: string, given: number): MockError {
  return ERRORS.invalidOption(label, `${given} faults given; at most ${MAX_ACTIVE_FAULTS} may be active at once (start with fewer, and add the others once some have ended)`)
}

function invalid(label: string, expected: string, value: unknown): MockError {
  return ERRORS.invalidOption(label, `expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`)
}

/** Value checks shared by {@link resolveOptions} and the CLI; `label` names the option or flag. */
export const check = {
  positiveInteger(value: unknown, label: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw invalid(label, 'a positive whole number', value)
    return value
  },
  epochSeconds(value: unknown, label: string): number {
    if (!isEpochSeconds(value)) throw invalid(label, EPOCH_SECONDS_EXPECTED, value)
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
  /**
   * A list of fault specs, each checked as `POST /__mock/faults` checks one; the error names the
   * entry and its field. More than {@link MAX_ACTIVE_FAULTS} could never all be active, so the
   * list is refused here, naming the option, before anything starts.
   */
  faults(value: unknown, label: string): FaultSpec[] {
    if (!Array.isArray(value)) throw ERRORS.invalidOption(label, `expected a list of faults ({route, effect, times?, ...}), got ${showValue(value)}`)
    if (value.length > MAX_ACTIVE_FAULTS) throw tooManyStartFaults(label, value.length)
    value.forEach((spec: unknown, index) => {
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw ERRORS.invalidOption(`${label}[${index}]`, `expected a fault {route, effect, times?, ...}, got ${showValue(spec)}`)
      try {
        checkFaultSpec(spec as FaultSpec, 'f0', 0)
      } catch (error) {
        const field = (error as MockError).field
        throw ERRORS.invalidOption(`${label}[${index}]${field ? `.${field}` : ''}`, (error as Error).message)
      }
    })
    return value as FaultSpec[]
  },
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
  /** A list of origins, each checked by {@link check.corsOrigin}; repeats are dropped. */
  corsOrigins(value: unknown, label: string): string[] {
    if (!Array.isArray(value)) throw invalid(label, 'a list of origins, e.g. ["http://localhost:5173"]', value)
    return [...new Set(value.map((origin: unknown, index) => check.corsOrigin(origin, `${label}[${index}]`)))]
  },
  /** One `--allowed-host` value (see {@link readAllowedHost}); answers it as the policy compares it. */
  allowedHost(value: unknown, label: string): string {
    const read = typeof value === 'string' ? readAllowedHost(value) : undefined
    if (read === undefined || 'problem' in read) throw invalid(label, read?.problem ?? 'a host name such as mystore.test', value)
    return read.host
  },
  /** A list of host names, each checked by {@link check.allowedHost}; repeats are dropped. */
  allowedHosts(value: unknown, label: string): string[] {
    if (!Array.isArray(value)) throw invalid(label, 'a list of host names, e.g. ["mystore.test"]', value)
    return [...new Set(value.map((host: unknown, index) => check.allowedHost(host, `${label}[${index}]`)))]
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
