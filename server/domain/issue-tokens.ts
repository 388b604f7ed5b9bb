import { randomUUID } from 'node:crypto'
import { MockError } from '../errors.js'
import type { MockState } from '../state.js'
import type { RegisteredApp } from './app-registry.js'
import type { CustomerLoginClaims } from './customer-login.js'
import { loadJose } from './jose.js'
import { currentCustomerClaims, mintCurrentCustomerToken, type CurrentCustomerClaims } from './current-customer-token.js'
import type { Customer } from './types.js'

/** The customer with this id, or a 404 {@link MockError} naming `field`. */
export function requireCustomer(state: MockState, id: number, field: string): Customer {
  const customer = state.customers.get(id)
  if (!customer) throw new MockError('BCMOCK_UNKNOWN_CUSTOMER', `No customer with id ${id} (GET /__mock/customers lists them).`, 404, field)
  return customer
}

/** The app with this client id, or a 404 {@link MockError} naming `field` and the registered ids. */
export function requireApp(state: MockState, clientId: string, field: string): RegisteredApp {
  const app = state.apps.get(clientId)
  if (!app) {
    const known = state.apps.clientIds()
    throw new MockError('BCMOCK_UNKNOWN_APP', `No app with client id ${JSON.stringify(clientId)} (${known.length > 0 ? `registered: ${known.join(', ')}` : 'no apps are registered'}).`, 404, field)
  }
  return app
}

/**
 * A Current Customer token for this app and customer, minted now by the mock's clock with the
 * same function `GET /customer/current.jwt` uses, but without a session.
 */
export function currentCustomerTokenFor(state: MockState, app: RegisteredApp, customer: Customer): { token: string; claims: CurrentCustomerClaims } {
  const input = { app, customer, storeHash: state.storeHash, now: state.clock.nowSeconds(), defaultTokenTtl: state.defaultTokenTtl }
  return { token: mintCurrentCustomerToken(input), claims: currentCustomerClaims(input) }
}

/**
 * The path `/login/token/{jwt}` of a Customer Login URL, signed the way an app backend signs
 * it (HS256, `typ` JWT, the app's client secret, `iat` from the mock's clock, a fresh `jti`).
 * jose signs it rather than the mock's own signer, so the Customer Login route checks a token
 * it did not make.
 */
export async function customerLoginPath(state: MockState, app: RegisteredApp, customer: Customer, redirectTo?: string): Promise<string> {
  const claims: CustomerLoginClaims = {
    iss: app.clientId,
    iat: state.clock.nowSeconds(),
    jti: randomUUID(),
    operation: 'customer_login',
    store_hash: state.storeHash,
    customer_id: customer.id,
    ...(redirectTo !== undefined && { redirect_to: redirectTo }),
  }
  const { SignJWT } = await loadJose()
  const jwt = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(app.clientSecret))
  return `/login/token/${jwt}`
}
