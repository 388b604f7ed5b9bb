import type { FastifyPluginAsync } from 'fastify'
import { MockError } from '../errors.js'
import type { MockState } from '../state.js'
import { adminGuard, type ControlAccess } from './access.js'
import { appRoutes } from './apps.js'
import { clockRoutes } from './clock.js'
import type { ControlResource } from './context.js'
import { customerLoginUrlRoutes } from './customer-login-url.js'
import { customerRoutes } from './customers.js'
import { healthRoutes } from './health.js'
import { requestRoutes } from './requests.js'
import { resetRoutes } from './reset.js'
import { sessionRoutes } from './sessions.js'
import { CONTROL_PREFIX, type ControlSpec } from './spec.js'
import { tokenRoutes } from './tokens.js'
import { verifyRoutes } from './verify.js'
import { controlValidatorCompiler } from './validation.js'

/** Options of {@link controlApi}. */
export interface ControlApiOptions {
  state: MockState
  spec: ControlSpec
  access: ControlAccess
}

const RESOURCES: ControlResource[] = [healthRoutes, customerRoutes, appRoutes, sessionRoutes, tokenRoutes, verifyRoutes, customerLoginUrlRoutes, clockRoutes, requestRoutes, resetRoutes]

/**
 * The `/__mock` control API, as an encapsulated plugin: register it with `prefix: '/__mock'`.
 * Its validator, admin guard and catch-all stay inside it; the storefront's routes are
 * untouched. Each route's schemas come from the OpenAPI document (see {@link ControlSpec}).
 */
export const controlApi: FastifyPluginAsync<ControlApiOptions> = async (app, { state, spec, access }) => {
  // The catch-all also keeps unknown /__mock paths from a --proxy dev server's catch-all.
  const catchAll = (answer: (method: string, path: string) => MockError) =>
    app.all('/*', { config: { controlApi: true } }, async (request) => {
      throw answer(request.method, request.url.split('?')[0] ?? request.url)
    })

  if (access.mode === 'off') {
    catchAll(() => access.offError())
    return
  }

  app.setValidatorCompiler(controlValidatorCompiler())
  app.addHook('onRequest', adminGuard(access))
  // Answers carry session cookies and tokens: no cache may keep them.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
  })

  for (const register of RESOURCES) register(app, { state, spec })
  catchAll((method, path) => new MockError('BCMOCK_NOT_FOUND', `No control endpoint ${method} ${path}; GET ${CONTROL_PREFIX}/openapi.yaml lists them.`, 404, 'path'))

}
