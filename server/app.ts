import cookie from '@fastify/cookie'
import Fastify, { type FastifyInstance } from 'fastify'
import { ControlAccess } from './control/access.js'
import { controlApi } from './control/control-api.js'
import { CONTROL_PREFIX, ControlSpec } from './control/spec.js'
import { loadCurrentCustomerSpec } from './current-customer-spec.js'
import { loadFixtures } from './fixtures/load-fixtures.js'
import { installDevIntegration, mockHomePath } from './frontend/dev-integration.js'
import { installErrorHandling } from './http/error-handler.js'
import { frameworkErrorHandler, installUrlLimit, MAX_HEADER_BYTES } from './http/limits.js'
import { loggerOptions, RequestLineLogController } from './http/logger.js'
import { installRequestRecorder } from './http/request-recorder.js'
import { resolveOptions, type MockStorefrontOptions } from './options.js'
import { currentCustomerRoutes } from './routes/current-customer.js'
import { customerLoginRoutes } from './routes/customer-login.js'
import { storefrontAuthRoutes } from './routes/storefront-auth.js'
import { MockState } from './state.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The mock storefront's state: store, customers, apps, sessions and clock. */
    mock: MockState
  }
}

/** Largest request body accepted (sign-in forms, control API JSON); larger ones get 413. */
export const BODY_LIMIT_BYTES = 64 * 1024

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
  const resolved = resolveOptions(options)
  const state = new MockState(loadFixtures(resolved.fixtures), resolved)
  const spec = loadCurrentCustomerSpec()

  const app = Fastify({
    logger: loggerOptions(resolved.logLevel, resolved.logStream, resolved.logFormat),
    // Pretty logs: one line per request instead of Fastify's "incoming request"/"request completed" pair.
    ...(resolved.logFormat === 'pretty' && { logController: new RequestLineLogController() }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Customer Login URLs carry a whole JWT as a path parameter.
    routerOptions: { maxParamLength: 8192 },
    // Limits set deliberately, not inherited: see server/http/limits.ts.
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    frameworkErrors: frameworkErrorHandler,
  })
  app.decorate('mock', state)
  installErrorHandling(app)
  installUrlLimit(app)
  // Before any route: --latency hooks routes as they are added. Also --watch, --proxy, --static.
  installDevIntegration(app, resolved, state)
  app.register(cookie)
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  app.register(currentCustomerRoutes, { state, spec })
  app.register(customerLoginRoutes, { state })
  app.register(storefrontAuthRoutes, { state, homePath: mockHomePath(resolved) })
  installRequestRecorder(app, state)
  app.register(controlApi, { prefix: CONTROL_PREFIX, state, spec: new ControlSpec(), access: ControlAccess.from(resolved) })
  return app
}
