import { controlRoute, type ControlResource } from './context.js'

/**
 * `POST /__mock/customer-login-url` `{client_id, customer_id, redirect_to?}`: a ready
 * `/login/token/{jwt}` URL, signed as an app backend signs it.
 */
export const customerLoginUrlRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute<{ Body: { client_id: string; customer_id: number; redirect_to?: string } }>(
    app,
    spec,
    'POST',
    '/__mock/customer-login-url',
    async (request) => {
      const { client_id: clientId, customer_id: customerId, redirect_to: redirectTo } = request.body
      const path = await store.customerLoginPath(clientId, customerId, redirectTo)
      // Logged without the URL: it signs the customer in.
      request.log.info({ customerId, clientId }, 'control: customer login URL signed')
      return { url: `${request.protocol}://${request.host}${path}`, path }
    },
  )
}
