import { randomUUID } from 'node:crypto'
import type { RegisteredApp } from './app-registry.js'
import type { CustomerLoginClaims } from './customer-login.js'
import { loadJose } from './jose.js'

/** What a Customer Login token is signed for. */
export interface CustomerLoginRequest {
  app: RegisteredApp
  customerId: number
  storeHash: string
  /** Epoch seconds, from the mock's clock. */
  now: number
  redirectTo?: string
}

/**
 * The path `/login/token/{jwt}` of a Customer Login URL, signed the way an app backend signs
 * it (HS256, `typ` JWT, the app's client secret, `iat` now, a fresh `jti`). jose signs it
 * rather than the mock's own signer, so the Customer Login route checks a token it did not make.
 */
export async function signCustomerLoginPath(request: CustomerLoginRequest): Promise<string> {
  const claims: CustomerLoginClaims = {
    iss: request.app.clientId,
    iat: request.now,
    jti: randomUUID(),
    operation: 'customer_login',
    store_hash: request.storeHash,
    customer_id: request.customerId,
    ...(request.redirectTo !== undefined && { redirect_to: request.redirectTo }),
  }
  const { SignJWT } = await loadJose()
  const jwt = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(request.app.clientSecret))
  return `/login/token/${jwt}`
}
