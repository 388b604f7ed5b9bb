import type { FaultSpec } from '../domain/rules/fault-rules.js'
import type { FixtureDocument } from '../domain/fixture-document.js'
import type { LogFormat, LogLevel } from '../http/logger.js'
import type { LatencyRange } from '../storefront/latency.js'

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
  /** Log level. Default `silent` for {@link buildApp} and {@link startMockStorefront}, `info` for the CLI (see `DEFAULTS`). */
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

/**
 * Every default of the options, in one place: the API's, and where the command line starts
 * otherwise (`cli*`: a fixed port to open in a browser, and logs on).
 */
export const DEFAULTS = {
  tokenTtl: 900,
  sessionTtl: 86_400,
  maxSessions: 10_000,
  host: '127.0.0.1',
  cliPort: 3100,
  apiPort: 0,
  /** `buildApp` and `startMockStorefront` log nothing unless asked. */
  apiLogLevel: 'silent',
  cliLogLevel: 'info',
  /** The CLI writes `pretty` lines to a terminal instead. */
  logFormat: 'json',
} as const

/** Every option {@link MockStorefrontOptions} has; the compiler checks that none is missing. */
export const OPTION_NAMES = [
  'fixtures',
  'tokenTtl',
  'now',
  'sessionTtl',
  'maxSessions',
  'logLevel',
  'logStream',
  'logFormat',
  'host',
  'port',
  'watch',
  'proxy',
  'static',
  'latency',
  'adminToken',
  'admin',
  'faults',
  'https',
  'cert',
  'key',
  'certCacheDir',
  'corsOrigins',
  'allowedHosts',
] as const satisfies readonly (keyof MockStorefrontOptions)[]
type UnlistedOption = Exclude<keyof MockStorefrontOptions, (typeof OPTION_NAMES)[number]>
const allOptionsListed: [UnlistedOption] extends [never] ? true : UnlistedOption = true
void allOptionsListed

/** One of {@link OPTION_NAMES}. */
export type OptionName = (typeof OPTION_NAMES)[number]

/**
 * How errors name each option: the flag or environment variable the command line read it from
 * (`--port`, `BC_MOCK_PORT`). An option without a label is named by itself (`port`), and an
 * entry of a list option by its index (`faults[2]`); a labelled list's entries by the label alone
 * (they were one comma-separated list, or a repeated flag).
 */
export type OptionLabels = { [name in OptionName]?: string }

/** The name errors give an option: its label, or the option's own name. */
export function optionLabel(labels: OptionLabels, name: OptionName): string {
  return labels[name] ?? name
}

/** The name errors give the entry at `index` of a list option. */
export function entryLabel(labels: OptionLabels, name: OptionName, index: number): string {
  return labels[name] ?? `${name}[${index}]`
}
