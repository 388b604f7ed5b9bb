import cookie from '@fastify/cookie'
import Fastify, { type FastifyInstance } from 'fastify'
import { controlPlugin } from './control/control-plugin.js'
import { CONTROL_PREFIX, ControlSpec } from './control/spec.js'
import { Store } from './domain/store.js'
import { installFixtureWatcher } from './fixture-loader/install-fixture-watcher.js'
import { loadFixtureSource } from './fixture-loader/load-fixtures.js'
import { frontendPlugin } from './frontend/frontend-plugin.js'
import { installErrorHandling } from './http/error-handler.js'
import {
  BODY_LIMIT_BYTES,
  frameworkErrorHandler,
  installBoundedClose,
  installPipelineLimit,
  MAX_HEADER_BYTES,
  SERVER_TIMEOUTS,
  type ServerTimeouts,
} from './http/limits.js'
import { loggerOptions, RequestLineLogController } from './http/logger.js'
import { installRequestChecks } from './http/request-checks.js'
import { MANAGEMENT_PREFIX, managementPlugin } from './management/management-plugin.js'
import { CookiePolicy } from './http/session-cookies.js'
import type { MockStorefrontOptions } from './options/mock-storefront-options.js'
import { resolveOptions, type ResolvedOptions } from './options/resolve.js'
import { loadCurrentCustomerSpec } from './http/current-customer-spec.js'
import { LazyQuerySchema } from './http/query-validator.js'
import { demoAssetsRoute } from './storefront/demo-assets-route.js'
import { STOREFRONT_URL_REDACTION } from './http/storefront-urls.js'
import { storefrontPlugin } from './storefront/storefront-plugin.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The mock store: customers, apps, sessions, spent `jti`s, clock and request log. */
    mock: Store
    /** The options this app was built with, checked and with every default filled in. */
    mockOptions: ResolvedOptions
  }
}

export { BODY_LIMIT_BYTES }

/**
 * Build the mock storefront as a Fastify instance, without listening: use `inject()` in tests,
 * or `listen()` yourself. Fixtures are loaded and checked here, so a bad file throws a
 * `FixtureError` before anything could listen.
 *
 * @example
 * ```ts
 * import { buildApp } from 'bigcommerce-mock-storefront'
 *
 * const app = buildApp({ now: 1480831863 })
 * const login = await app.inject({
 *   method: 'POST',
 *   url: '/login.php?action=check_login',
 *   payload: 'login_email=john.doe%40example.com&login_pass=letmein',
 *   headers: { 'content-type': 'application/x-www-form-urlencoded' },
 * })
 * const cookies = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
 * const jwt = await app.inject({ url: '/customer/current.jwt?app_client_id=6sv16tfx3j5gsopm42ss5dd67g2srvq', headers: { cookie: cookies } })
 * console.log(jwt.body) // eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9...
 * ```
 */
export function buildApp(options: MockStorefrontOptions = {}): FastifyInstance {
  return composeApp(resolveOptions(options))
}

/** What an app is built with besides its options: settings no option sets. */
export interface AppInternals {
  /** Serve TLS on the same port with this certificate: `startMockStorefront` resolves it, and listens. */
  tls?: { cert: string; key: string }
  /** Connection timeouts and the close grace. Default {@link SERVER_TIMEOUTS}; tests shorten them. */
  timeouts?: ServerTimeouts
  /** Customers and apps the store may add at run time beyond the fixtures'. Default `RUNTIME_CAPS`; tests lower them. */
  runtimeCaps?: { customers: number; apps: number }
}

/**
 * The composition root: one store, decorated on the app, and sibling encapsulated plugins,
 * each a folder: `storefront`, `control` (under `/__mock`), `management` (under `/stores`) and
 * `frontend` (`--proxy`/`--static`);
 * plus the fixture watcher (`--watch`). What applies to a route follows from the plugin it is in.
 */
export function composeApp(options: ResolvedOptions, internals: AppInternals = {}): FastifyInstance {
  const { tls, timeouts = SERVER_TIMEOUTS } = internals
  const store = new Store(loadFixtureSource(options.fixtures), { ...options, runtimeCaps: internals.runtimeCaps })
  for (const fault of options.faults) store.addFault(fault)
  const cookies = new CookiePolicy(options.https)
  const app = Fastify({
    // TLS on the same port (`--https`): the certificate is resolved by startMockStorefront, which listens.
    // Fastify hands only these options to https.createServer (it ignores `http` then), so the limits go here too.
    ...(tls && {
      https: {
        cert: tls.cert,
        key: tls.key,
        maxHeaderSize: MAX_HEADER_BYTES,
        headersTimeout: timeouts.headersMs,
        connectionsCheckingInterval: timeouts.checkIntervalMs,
        // A connection that never finishes its TLS handshake is cut off like one that never sends its headers.
        handshakeTimeout: timeouts.headersMs,
      },
    }),
    // Only the storefront's URLs carry secrets; its rules redact them wherever a log line names a URL.
    logger: loggerOptions(options.logLevel, options.logStream, options.logFormat, STOREFRONT_URL_REDACTION),
    // Pretty logs: one line per request instead of Fastify's "incoming request"/"request completed" pair.
    ...(options.logFormat === 'pretty' && { logController: new RequestLineLogController(STOREFRONT_URL_REDACTION) }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Customer Login URLs carry a whole JWT as a path parameter.
    routerOptions: { maxParamLength: 8192 },
    // Limits and timeouts set deliberately, not inherited: see server/http/limits.ts.
    http: { maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.idleSocketMs,
    // Bounded close: see installBoundedClose.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
  })
  app.decorate('mock', store)
  app.decorate('mockOptions', options)
  installErrorHandling(app)
  // Before every route and plugin hook: over-long URLs, doubled Host headers, and on a loopback
  // listener a Host that is not this machine's (DNS rebinding) are refused.
  installRequestChecks(app, options.hostPolicy)
  installBoundedClose(app, timeouts.closeGraceMs)
  installPipelineLimit(app)
  app.register(cookie)

  app.register(storefrontPlugin, {
    store,
    // Parsed on the token route's first request, not at start.
    querySchema: new LazyQuerySchema(() => loadCurrentCustomerSpec().querystring),
    homePath: options.homePath,
    latency: options.latency,
    cookies,
    corsOrigins: options.corsOrigins,
  })
  // /favicon.ico is the mock's only when no front end owns `/` (--proxy, --static).
  app.register(demoAssetsRoute, { rootFavicon: options.proxy === undefined && options.static === undefined })
  app.register(controlPlugin, { prefix: CONTROL_PREFIX, store, spec: ControlSpec.shared(), access: options.controlAccess, cookies })
  // The Management API slice an app backend calls (/stores/{store_hash}/v2|v3/...): see server/management/.
  app.register(managementPlugin, { prefix: MANAGEMENT_PREFIX, store })
  if (options.proxy !== undefined || options.static !== undefined)
    app.register(frontendPlugin, { proxy: options.proxy, static: options.static, hosts: options.hostPolicy })
  if (options.watchFile !== undefined) installFixtureWatcher(app, store, options.watchFile)
  return app
}
