import type { Store } from '../domain/store.js'
import { clockView, type ClockView } from './clock.js'
import { controlRoute, type ControlResource } from './context.js'

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

/** {@link HealthView} of the store. */
export function healthView(store: Store): HealthView {
  return {
    status: 'ok',
    store_hash: store.storeHash,
    customers: store.customers.size,
    apps: store.apps.clientIds().length,
    sessions: store.liveSessions().length,
    requests: store.requests.size,
    clock: clockView(store.clock),
  }
}

/** `GET /__mock/health`, and `GET /__mock/openapi.yaml`: the document this API is validated from. */
export const healthRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute(app, spec, 'GET', '/__mock/health', async () => healthView(store))
  controlRoute(app, spec, 'GET', '/__mock/openapi.yaml', async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(spec.text))
}
