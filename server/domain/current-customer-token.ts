import { createHmac } from 'node:crypto'
import type { RegisteredApp } from './app-registry.js'
import type { Customer, TokenAlgorithm } from './types.js'

/** The claims of a Current Customer token, exactly as BigCommerce issues them, in its order. */
export interface CurrentCustomerClaims {
  customer: { id: number; email: string; group_id: string }
  iss: 'bc/apps'
  sub: string
  iat: number
  exp: number
  version: 1
  aud: string
  application_id: string
  store_hash: string
  operation: 'current_customer'
}

/** What a token is minted from. */
export interface CurrentCustomerTokenInput {
  app: RegisteredApp
  customer: Customer
  storeHash: string
  /** Epoch seconds, from the mock's clock. */
  now: number
  /** Lifetime for apps that do not set their own `tokenTtl`. */
  defaultTokenTtl: number
}

/** The claims a token for this customer and app carries. */
export function currentCustomerClaims(input: CurrentCustomerTokenInput): CurrentCustomerClaims {
  const { app, customer, storeHash, now } = input
  return {
    customer: { id: customer.id, email: customer.email, group_id: app.groupId ?? customer.groupId },
    iss: 'bc/apps',
    sub: storeHash,
    iat: now,
    exp: now + (app.tokenTtl ?? input.defaultTokenTtl),
    version: 1,
    aud: app.clientId,
    application_id: app.clientId,
    store_hash: storeHash,
    operation: 'current_customer',
  }
}

/**
 * Mint the JWT that `GET /customer/current.jwt` returns, signed with the app's client secret.
 *
 * The signer is written against node:crypto rather than jose's `SignJWT` because it runs on
 * every token request and is twice as fast; the format is three base64url segments and the
 * tests verify every token with jose and jsonwebtoken.
 */
export function mintCurrentCustomerToken(input: CurrentCustomerTokenInput): string {
  const signingInput = `${ENCODED_HEADERS[input.app.algorithm]}.${base64url(JSON.stringify(currentCustomerClaims(input)))}`
  const signature = createHmac(HMAC_DIGESTS[input.app.algorithm], input.app.signingKey).update(signingInput).digest('base64url')
  return `${signingInput}.${signature}`
}

const HMAC_DIGESTS: Record<TokenAlgorithm, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }

// `typ` before `alg`, no `kid`: the header production tokens carry.
const ENCODED_HEADERS: Record<TokenAlgorithm, string> = {
  HS256: base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' })),
  HS384: base64url(JSON.stringify({ typ: 'JWT', alg: 'HS384' })),
  HS512: base64url(JSON.stringify({ typ: 'JWT', alg: 'HS512' })),
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}
