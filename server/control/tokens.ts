import { currentCustomerTokenFor, requireApp, requireCustomer } from '../domain/issue-tokens.js'
import { controlRoute, type ControlResource } from './context.js'

/**
 * `POST /__mock/tokens` `{client_id, customer_id}`: a current-customer token minted by the
 * same function, with the same inputs, as `GET /customer/current.jwt` uses, but without a
 * session: for app-backend tests that only need a token to verify.
 */
export const tokenRoutes: ControlResource = (app, { state, spec }) => {
  controlRoute<{ Body: { client_id: string; customer_id: number } }>(app, spec, 'POST', '/__mock/tokens', async (request) => {
    const registered = requireApp(state, request.body.client_id, 'client_id')
    const customer = requireCustomer(state, request.body.customer_id, 'customer_id')
    request.log.info({ customerId: customer.id, clientId: registered.clientId }, 'control: current customer token minted')
    return currentCustomerTokenFor(state, registered, customer)
  })
}
