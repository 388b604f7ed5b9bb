import type { Fault, FaultSpec } from '../domain/rules/fault-rules.js'
import { controlRoute, isoTime, type ControlResource } from './context.js'

/** A fault as the control API shows it. */
interface FaultView {
  id: string
  route: string
  effect: string
  times: number | null
  remaining: number | null
  applied: number
  client_id: string | null
  customer_id: number | null
  status: number | null
  delay_ms: number | null
  created_at: string
}

/** {@link FaultView} of a fault. */
function faultView(fault: Fault): FaultView {
  return {
    id: fault.id,
    route: fault.route,
    effect: fault.effect,
    times: fault.times,
    remaining: fault.remaining,
    applied: fault.applied,
    client_id: fault.clientId,
    customer_id: fault.customerId,
    status: fault.status,
    delay_ms: fault.delayMs,
    created_at: isoTime(fault.createdAtMs),
  }
}

/**
 * `POST /__mock/faults` (make the storefront fail on purpose), `GET /__mock/faults`,
 * `DELETE /__mock/faults` (end all), `DELETE /__mock/faults/{id}` (end one).
 */
export const faultRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute(app, spec, 'GET', '/__mock/faults', async () => ({ faults: store.listFaults().map(faultView) }))

  controlRoute<{ Body: FaultSpec }>(app, spec, 'POST', '/__mock/faults', async (request, reply) => {
    const fault = store.addFault(request.body)
    request.log.info({ fault: fault.id, route: fault.route, effect: fault.effect }, 'control: fault added')
    return reply.code(201).header('location', `/__mock/faults/${fault.id}`).send(faultView(fault))
  })

  controlRoute(app, spec, 'DELETE', '/__mock/faults', async (request) => {
    const ended = store.clearFaults()
    request.log.info({ ended }, 'control: every fault ended')
    return { ended }
  })

  controlRoute<{ Params: { id: string } }>(app, spec, 'DELETE', '/__mock/faults/{id}', async (request) =>
    faultView(store.removeFault(request.params.id)),
  )
}
