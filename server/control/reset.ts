import { controlRoute, type ControlResource } from './context.js'
import { healthView } from './health.js'

/**
 * `POST /__mock/reset`: back to exactly the fixture state: its customers and apps, no
 * sessions, no spent Customer Login `jti`s, no faults, the start clock, an empty request log.
 */
export const resetRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute(app, spec, 'POST', '/__mock/reset', async (request) => {
    store.reset()
    request.log.info('control: state reset to the fixtures')
    return healthView(store)
  })
}
