import { currentCustomerClaims, mintCurrentCustomerToken, type CurrentCustomerTokenInput } from '../domain/current-customer-token.js'
import { controlRoute, requireApp, requireCustomer, type ControlResource } from './context.js'

/**
 * `POST /__mock/tokens` `{client_id, customer_id}`: a current-customer token minted by the
 * same function, with the same inputs, as `GET /customer/current.jwt` uses, but without a
 * session: for app-backend tests that only need a token to verify.
 */
export const tokenRoutes: ControlResource = (app, { state, spec }) => {
  controlRoute<{ Body: { client_id: string; customer_id: number } }>(app, spec, 'POST', '/__mock/tokens', async (request) => {
    const input: CurrentCustomerTokenInput = {
      app: requireApp(state, request.body.client_id, 'client_id'),
      customer: requireCustomer(state, request.body.customer_id, 'customer_id'),
      storeHash: state.storeHash,
      now: state.clock.nowSeconds(),
      defaultTokenTtl: state.defaultTokenTtl,
    }
    request.log.info({ customerId: input.customer.id, clientId: input.app.clientId }, 'control: current customer token minted')
    return { token: mintCurrentCustomerToken(input), claims: currentCustomerClaims(input) }
  })
}
