import type { RegisteredApp } from './app-registry.js'
import { encodeJwsHeader, signJws } from './compact-jws.js'
import { randomUuid } from './crypto-port.js'
import type { CustomerLoginClaims } from './customer-login.js'

/** What a Customer Login token is signed for. */
export interface CustomerLoginRequest {
  app: RegisteredApp
  customerId: number
  storeHash: string
  /** Epoch seconds, from the mock's clock. */
  now: number
  redirectTo?: string
}

// As an app backend writes it (jose's `setProtectedHeader({ alg: 'HS256', typ: 'JWT' })`): `alg` first.
const CUSTOMER_LOGIN_HEADER = encodeJwsHeader({ alg: 'HS256', typ: 'JWT' })

/**
 * The path `/login/token/{jwt}` of a Customer Login URL, signed the way an app backend signs
 * it (HS256, `typ` JWT, the app's client secret, `iat` now, a fresh `jti`): byte for byte what
 * jose's `SignJWT` makes of the same claims (`test/domain/crypto-port.test.ts`). Signed with the
 * crypto port rather than jose, whose key checks refuse the byte arrays of a jsdom page.
 */
export function signCustomerLoginPath(request: CustomerLoginRequest): string {
  const claims: CustomerLoginClaims = {
    iss: request.app.clientId,
    iat: request.now,
    jti: randomUuid(),
    operation: 'customer_login',
    store_hash: request.storeHash,
    customer_id: request.customerId,
    ...(request.redirectTo !== undefined && { redirect_to: request.redirectTo }),
  }
  return `/login/token/${signJws(CUSTOMER_LOGIN_HEADER, claims, 'sha256', request.app.signingKey)}`
}
