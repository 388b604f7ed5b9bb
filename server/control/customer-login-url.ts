import { customerLoginPath, requireApp, requireCustomer } from '../domain/issue-tokens.js'
import { controlRoute, type ControlResource } from './context.js'

/**
 * `POST /__mock/customer-login-url` `{client_id, customer_id, redirect_to?}`: a ready
 * `/login/token/{jwt}` URL, signed as an app backend signs it.
 */
export const customerLoginUrlRoutes: ControlResource = (app, { state, spec }) => {
  controlRoute<{ Body: { client_id: string; customer_id: number; redirect_to?: string } }>(app, spec, 'POST', '/__mock/customer-login-url', async (request) => {
    const registered = requireApp(state, request.body.client_id, 'client_id')
    const customer = requireCustomer(state, request.body.customer_id, 'customer_id')
    const path = await customerLoginPath(state, registered, customer, request.body.redirect_to)
    // Logged without the URL: it signs the customer in.
    request.log.info({ customerId: customer.id, clientId: registered.clientId }, 'control: customer login URL signed')
    return { url: `${request.protocol}://${request.host}${path}`, path }
  })
}
