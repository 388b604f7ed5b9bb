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
  const stats = store.stats()
  return {
    status: 'ok',
    store_hash: store.storeHash,
    customers: stats.customers,
    apps: stats.apps,
    sessions: stats.liveSessions,
    requests: stats.requests,
    clock: clockView(store.now()),
  }
}

/** `GET /__mock/health`, and `GET /__mock/openapi.yaml`: the document this API is validated from. */
export const healthRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute(app, spec, 'GET', '/__mock/health', async () => healthView(store))
  controlRoute(app, spec, 'GET', '/__mock/openapi.yaml', async (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(spec.text),
  )
}
