import { randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { controlRoute, requireApp, requireCustomer, type ControlResource } from './context.js'

/** The claims of a Customer Login token as an app backend signs them. */
export interface CustomerLoginClaims {
  iss: string
  iat: number
  jti: string
  operation: 'customer_login'
  store_hash: string
  customer_id: number
  redirect_to?: string
}

/**
 * `POST /__mock/customer-login-url` `{client_id, customer_id, redirect_to?}`: a ready
 * `/login/token/{jwt}` URL. The JWT is made the way an app backend makes it (HS256, `typ`
 * JWT, the app's client secret, `iat` from the mock's clock, a fresh `jti`), and with jose
 * rather than the mock's own signer, so the Customer Login route checks a token it did not make.
 */
export const customerLoginUrlRoutes: ControlResource = (app, { state, spec }) => {
  controlRoute<{ Body: { client_id: string; customer_id: number; redirect_to?: string } }>(app, spec, 'POST', '/__mock/customer-login-url', async (request) => {
    const { redirect_to: redirectTo } = request.body
    const registered = requireApp(state, request.body.client_id, 'client_id')
    const customer = requireCustomer(state, request.body.customer_id, 'customer_id')
    const claims: CustomerLoginClaims = {
      iss: registered.clientId,
      iat: state.clock.nowSeconds(),
      jti: randomUUID(),
      operation: 'customer_login',
      store_hash: state.storeHash,
      customer_id: customer.id,
      ...(redirectTo !== undefined && { redirect_to: redirectTo }),
    }
    const jwt = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(registered.clientSecret))
    const path = `/login/token/${jwt}`
    // Logged without the URL: it signs the customer in.
    request.log.info({ customerId: customer.id, clientId: registered.clientId }, 'control: customer login URL signed')
    return { url: `${request.protocol}://${request.host}${path}`, path }
  })
}
