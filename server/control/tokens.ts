import { controlRoute, type ControlResource } from './context.js'

/**
 * `POST /__mock/tokens` `{client_id, customer_id}`: a current-customer token minted by the
 * same store method, with the same inputs, as `GET /customer/current.jwt` uses, but without a
 * session: for app-backend tests that only need a token to verify.
 */
export const tokenRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute<{ Body: { client_id: string; customer_id: number } }>(app, spec, 'POST', '/__mock/tokens', async (request) => {
    const minted = store.mintToken(request.body.client_id, request.body.customer_id)
    request.log.info({ customerId: request.body.customer_id, clientId: request.body.client_id }, 'control: current customer token minted')
    return minted
  })
}
