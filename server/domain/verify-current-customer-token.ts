import type { JWTPayload, ProtectedHeaderParameters } from 'jose'
import { errorMessage, showValue } from './describe-value.js'
import { loadJose, type Jose } from './jose.js'
import type { RegisteredApp } from './app-registry.js'
import { TOKEN_ALGORITHMS, type TokenAlgorithm } from './rules/app-rules.js'

/**
 * Why a Current Customer token does not verify for an app, one word per check:
 *
 * - `malformed`: not a compact JWS (`header.payload.signature`) with JSON header and claims;
 * - `algorithm`: header `alg` is not the app's configured algorithm (or not HS256/HS384/HS512);
 * - `audience`: `aud` is missing or not the app's client id (a token made for another app);
 * - `signature`: the signature does not verify with the app's client secret (tampered, or
 *   signed with another secret);
 * - `expired`: `exp` is at or before the mock's clock;
 * - `claims`: another time claim is unusable: `exp` missing or not a number, `nbf` in the future.
 */
export type TokenFailureReason = 'malformed' | 'algorithm' | 'audience' | 'signature' | 'expired' | 'claims'

/** Every {@link TokenFailureReason}, in the order the checks run. */
export const TOKEN_FAILURE_REASONS: readonly TokenFailureReason[] = ['malformed', 'algorithm', 'audience', 'signature', 'expired', 'claims']

/** What {@link verifyCurrentCustomerToken} found. Never contains the app's secret. */
export interface TokenVerification {
  valid: boolean
  /** The first check that failed; null when the token is valid. */
  reason: TokenFailureReason | null
  /** One sentence saying what was checked, or what failed and how to fix it. */
  detail: string
  /** The decoded (unverified) header, or null when it cannot be read. */
  header: ProtectedHeaderParameters | null
  /** The decoded (unverified) claims, or null when they cannot be read. */
  claims: JWTPayload | null
  /** The mock's clock when checked, epoch seconds. */
  checkedAt: number
  /** Seconds from `checkedAt` to `exp` (negative once expired); null without a numeric `exp`. */
  expiresIn: number | null
}

/**
 * Verify a Current Customer token as the app's backend should: signature with the app's client
 * secret (jose `jwtVerify`), the app's configured algorithm only, `aud` = its client id, and
 * `exp` by the mock's clock (`now`, passed to jose as `currentDate`, with no leeway, as PyJWT
 * checks it). The mock, the demo page and the tests share this one implementation.
 *
 * Checks run in the order of {@link TOKEN_FAILURE_REASONS}, and the first failure is answered.
 * The audience is compared before the signature so that another app's token is reported as
 * `audience` (what to fix) rather than `signature` (what a backend library would say first):
 * it fails either way.
 *
 * @param app - the registered app the token claims to be for.
 * @param token - the compact JWT, as `GET /customer/current.jwt` answered it.
 * @param nowMs - the mock's clock, epoch milliseconds.
 */
export async function verifyCurrentCustomerToken(app: RegisteredApp, token: string, nowMs: number): Promise<TokenVerification> {
  const jose = await loadJose()
  const checkedAt = Math.floor(nowMs / 1000)
  let header: ProtectedHeaderParameters | null = null
  let claims: JWTPayload | null = null
  try {
    header = jose.decodeProtectedHeader(token)
    claims = jose.decodeJwt(token)
  } catch (error) {
    return failure(
      'malformed',
      `the token is not a compact JWT (header.payload.signature with JSON header and claims): ${errorMessage(error)}`,
    )
  }
  const expiresIn = typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? Math.floor(claims.exp - checkedAt) : null
  const result = (reason: TokenFailureReason | null, detail: string): TokenVerification => ({
    valid: reason === null,
    reason,
    detail,
    header,
    claims,
    checkedAt,
    expiresIn,
  })

  if (!isTokenAlgorithm(header.alg)) {
    return result(
      'algorithm',
      `header alg is ${showValue(header.alg)}; Current Customer tokens are signed with HMAC (${TOKEN_ALGORITHMS.join(', ')}), and this app with ${app.algorithm}`,
    )
  }
  if (header.alg !== app.algorithm) {
    return result(
      'algorithm',
      `header alg is ${header.alg} but app ${showValue(app.clientId)} signs with ${app.algorithm}; a backend allowing only ${app.algorithm} refuses it`,
    )
  }
  if (claims.aud !== app.clientId) {
    const other = claims.aud === undefined ? 'has no aud claim' : `is for ${showValue(claims.aud)} (aud)`
    return result('audience', `the token ${other}, not app ${showValue(app.clientId)}: fetch it with app_client_id=${app.clientId}`)
  }

  try {
    await jose.jwtVerify(token, new TextEncoder().encode(app.clientSecret), {
      algorithms: [app.algorithm],
      audience: app.clientId,
      requiredClaims: ['exp'],
      currentDate: new Date(nowMs),
    })
  } catch (error) {
    const [reason, detail] = explain(jose.errors, error, app, checkedAt)
    return result(reason, detail)
  }
  return result(
    null,
    `signature verifies with the client secret of app ${showValue(app.clientId)} (${app.algorithm}), aud matches, and exp is ${expiresIn ?? 0} s away by the mock's clock`,
  )

  function failure(reason: TokenFailureReason, detail: string): TokenVerification {
    return { valid: false, reason, detail, header, claims, checkedAt, expiresIn: null }
  }
}

/** Whether `alg` is one of the HMAC algorithms a Current Customer token may carry. */
function isTokenAlgorithm(alg: unknown): alg is TokenAlgorithm {
  return typeof alg === 'string' && (TOKEN_ALGORITHMS as readonly string[]).includes(alg)
}

// Map jose's error classes to a reason; jose's messages never contain the token or the key.
function explain(errors: Jose['errors'], error: unknown, app: RegisteredApp, now: number): [TokenFailureReason, string] {
  if (error instanceof errors.JOSEAlgNotAllowed) return ['algorithm', `app ${showValue(app.clientId)} accepts ${app.algorithm} only`]
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return [
      'signature',
      `the signature does not verify with the client secret of app ${showValue(app.clientId)}: the token was changed, or signed with another secret`,
    ]
  }
  if (error instanceof errors.JWTExpired) {
    const exp = error.payload.exp
    return [
      'expired',
      `exp ${showValue(exp)} has passed by the mock's clock (now ${now}${typeof exp === 'number' ? `, ${now - exp} s ago` : ''}): fetch a new token`,
    ]
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return ['audience', `aud ${showValue(error.payload.aud)} is not app ${showValue(app.clientId)}`]
    if (error.claim === 'exp')
      return [
        'claims',
        error.reason === 'missing'
          ? 'required claim exp is missing'
          : `claim exp must be epoch seconds, got ${showValue(error.payload.exp)}`,
      ]
    if (error.claim === 'nbf') return ['claims', `nbf ${showValue(error.payload.nbf)} is in the future by the mock's clock (now ${now})`]
    return ['claims', `claim ${error.claim}: ${error.message}`]
  }
  if (error instanceof errors.JOSEError) return ['malformed', `the token is not a valid JWS: ${error.message}`]
  throw error
}
