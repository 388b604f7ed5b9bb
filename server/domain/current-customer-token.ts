import { signJws } from './compact-jws.js'
import { base64urlFromText, type HmacHash, type HmacKey } from './crypto-port.js'
import type { RegisteredApp } from './app-registry.js'
import type { TokenAlgorithm } from './rules/app-rules.js'
import type { Customer } from './types.js'

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
  /** Sign with this algorithm instead of the app's (a `wrong-algorithm` fault). */
  algorithm?: TokenAlgorithm | undefined
  /** Sign with this key instead of the app's client secret (a `wrong-secret` fault). */
  signingKey?: HmacKey | undefined
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
 * The signer is written against the crypto port (node:crypto in Node) rather than jose's
 * `SignJWT` because it runs on every token request and is twice as fast; the format is three
 * base64url segments and the tests verify every token with jose and jsonwebtoken.
 */
export function mintCurrentCustomerToken(input: CurrentCustomerTokenInput): string {
  return sign(input, input.algorithm ?? input.app.algorithm, input.signingKey ?? input.app.signingKey)
}

function sign(input: CurrentCustomerTokenInput, algorithm: TokenAlgorithm, signingKey: HmacKey): string {
  return signJws(ENCODED_HEADERS[algorithm], currentCustomerClaims(input), HMAC_HASHES[algorithm], signingKey)
}

/**
 * {@link mintCurrentCustomerToken}, answering again with the last token it made when asked for
 * one from the same inputs: no claim is random (there is no `jti`), so the same app, customer,
 * store, lifetime, algorithm, key and second make the same token, byte for byte. A client that
 * asks again within the second (a page polling the route, a load test) costs no signing. Apps and
 * customers are immutable (an edit replaces the object), so the same objects are the same values.
 */
export class CurrentCustomerTokenMinter {
  #last: MintedToken | undefined

  mint(input: CurrentCustomerTokenInput): string {
    const algorithm = input.algorithm ?? input.app.algorithm
    const signingKey = input.signingKey ?? input.app.signingKey
    const last = this.#last
    if (
      last !== undefined &&
      last.app === input.app &&
      last.customer === input.customer &&
      last.now === input.now &&
      last.signingKey === signingKey &&
      last.algorithm === algorithm &&
      last.storeHash === input.storeHash &&
      last.defaultTokenTtl === input.defaultTokenTtl
    )
      return last.token
    const token = sign(input, algorithm, signingKey)
    this.#last = {
      app: input.app,
      customer: input.customer,
      storeHash: input.storeHash,
      now: input.now,
      defaultTokenTtl: input.defaultTokenTtl,
      algorithm,
      signingKey,
      token,
    }
    return token
  }
}

/** A token and every input it was minted from, the overrides resolved. */
interface MintedToken {
  readonly app: RegisteredApp
  readonly customer: Customer
  readonly storeHash: string
  readonly now: number
  readonly defaultTokenTtl: number
  readonly algorithm: TokenAlgorithm
  readonly signingKey: HmacKey
  readonly token: string
}

/**
 * The secret a `wrong-secret` fault signs with: public on purpose, so a test can check that the
 * token verifies with it and so is wrong only in its key. It is never an app's secret (see
 * {@link wrongSecretFor}). At least 64 bytes, as RFC 7518 asks of an HS512 key, so that a library
 * that warns about short keys (PyJWT 2.10 and later) does not when a test verifies with it.
 */
export const WRONG_SECRET = 'bcmock-wrong-secret-not-the-apps-at-least-64-bytes-as-rfc-7518-asks'

/** The key a `wrong-secret` token for this app is signed with: {@link WRONG_SECRET}, or it twice should an app use that very secret. */
export function wrongSecretFor(app: RegisteredApp): string {
  return app.clientSecret === WRONG_SECRET ? WRONG_SECRET + WRONG_SECRET : WRONG_SECRET
}

/**
 * The algorithm a `wrong-algorithm` token for an app of this algorithm is signed with: HS384,
 * which few allow-lists name (node-bigcommerce allows HS256, bigcommerce-api-python HS256 and
 * HS512), or HS512 for an app that itself signs HS384.
 */
export function wrongAlgorithmFor(algorithm: TokenAlgorithm): TokenAlgorithm {
  return algorithm === 'HS384' ? 'HS512' : 'HS384'
}

/** The hash each HMAC algorithm signs with. */
const HMAC_HASHES: Record<TokenAlgorithm, HmacHash> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }

// `typ` before `alg`, no `kid`: the header production tokens carry.
const ENCODED_HEADERS: Record<TokenAlgorithm, string> = {
  HS256: base64urlFromText(JSON.stringify({ typ: 'JWT', alg: 'HS256' })),
  HS384: base64urlFromText(JSON.stringify({ typ: 'JWT', alg: 'HS384' })),
  HS512: base64urlFromText(JSON.stringify({ typ: 'JWT', alg: 'HS512' })),
}
