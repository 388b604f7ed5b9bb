import type { MockState } from '../state.js'
import { clockView, type ClockView } from './clock.js'
import { controlRoute, type ControlResource } from './context.js'
import { liveSessions } from './sessions.js'

/** What `GET /__mock/health` and `POST /__mock/reset` answer. */
export interface HealthView {
  status: 'ok'
  store_hash: string
  customers: number
  apps: number
  sessions: number
  requests: number
  clock: ClockView
}

/** {@link HealthView} of the state. */
export function healthView(state: MockState): HealthView {
  return {
    status: 'ok',
    store_hash: state.storeHash,
    customers: state.customers.size,
    apps: state.apps.clientIds().length,
    sessions: liveSessions(state).length,
    requests: state.requests.size,
    clock: clockView(state.clock),
  }
}

/** `GET /__mock/health`, and `GET /__mock/openapi.yaml`: the document this API is validated from. */
export const healthRoutes: ControlResource = (app, { state, spec }) => {
  controlRoute(app, spec, 'GET', '/__mock/health', async () => healthView(state))
  controlRoute(app, spec, 'GET', '/__mock/openapi.yaml', async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(spec.text))
}
