import fastifyPlugin from 'fastify-plugin'
import type { Store } from '../domain/store.js'
import { ERRORS, type MockError } from '../errors.js'
import { adminGuard, type ControlAccess } from './access.js'
import { appRoutes } from './apps.js'
import { clockRoutes } from './clock.js'
import type { ControlResource } from './context.js'
import { customerLoginUrlRoutes } from './customer-login-url.js'
import { customerRoutes } from './customers.js'
import { faultRoutes } from './faults.js'
import { healthRoutes } from './health.js'
import { requestRoutes } from './requests.js'
import { resetRoutes } from './reset.js'
import { sessionRoutes } from './sessions.js'
import type { ControlSpec } from './spec.js'
import type { CookiePolicy } from '../http/session-cookies.js'
import { tokenRoutes } from './tokens.js'
import { controlValidatorCompiler } from './validation.js'
import { verifyRoutes } from './verify.js'

/** Options of {@link controlPlugin}. */
export interface ControlPluginOptions {
  store: Store
  spec: ControlSpec
  access: ControlAccess
  cookies: CookiePolicy
}

/** Every resource of the control API; a new endpoint is a route in one of these (or a new file listed here) plus its operation in `openapi/mock-control.yaml`. */
const RESOURCES: ControlResource[] = [
  healthRoutes,
  customerRoutes,
  appRoutes,
  sessionRoutes,
  tokenRoutes,
  verifyRoutes,
  customerLoginUrlRoutes,
  clockRoutes,
  requestRoutes,
  faultRoutes,
  resetRoutes,
]

/**
 * The `/__mock` control API, as an encapsulated plugin: register it with `prefix: '/__mock'`.
 * Its validator, admin guard, `no-store` hook and catch-all stay inside it; the storefront's
 * routes are untouched, and nothing here is recorded in the storefront's request log. Each
 * route's schemas come from the OpenAPI document (see {@link ControlSpec}).
 */
export const controlPlugin = fastifyPlugin<ControlPluginOptions>(
  async (app, { store, spec, access, cookies }) => {
    // The catch-all also keeps unknown /__mock paths from a --proxy dev server's catch-all.
    const catchAll = (answer: (method: string) => MockError) =>
      app.all('/*', async (request) => {
        throw answer(request.method)
      })

    if (access.mode === 'off') {
      catchAll(() => access.offError())
      return
    }

    app.setValidatorCompiler(controlValidatorCompiler())
    // Generic JSON helpers send `Content-Type: application/json` with no body on bodiless calls
    // (POST /__mock/reset, DELETE /__mock/sessions): an empty body is no body; anything else is
    // parsed as Fastify parses JSON, prototype-poisoning guard included.
    const parseJson = app.getDefaultJsonParser('error', 'error')
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (typeof body === 'string' && body.trim() === '') return done(null, undefined)
      void parseJson(request, body.toString(), done)
    })
    app.addHook('onRequest', adminGuard(access))
    // Answers carry session cookies and tokens: no cache may keep them.
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store')
    })

    for (const register of RESOURCES) register(app, { store, spec, cookies })
    catchAll((method) => ERRORS.notFound(method, 'control'))
  },
  { name: 'bigcommerce-mock-control', encapsulate: true },
)
