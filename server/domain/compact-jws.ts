import { jsonFromBase64url } from '../encoding.js'
import { base64urlFromText, hmacBase64url, sameText, type HmacHash, type HmacKey } from './crypto-port.js'

/**
 * A compact JWS signed with HMAC: the header already encoded, the claims as JSON. The one signer
 * of every token the mock makes (Current Customer tokens on the hot path, Customer Login URLs).
 */
export function signJws(encodedHeader: string, claims: object, hash: HmacHash, key: HmacKey): string {
  const signingInput = `${encodedHeader}.${base64urlFromText(JSON.stringify(claims))}`
  return `${signingInput}.${hmacBase64url(hash, key, signingInput)}`
}

/** A JWT's header as base64url, for {@link signJws}. */
export function encodeJwsHeader(header: Record<string, unknown>): string {
  return base64urlFromText(JSON.stringify(header))
}

/** A compact JWS read without checking its signature: its header and claims, each a JSON object. */
export interface UnverifiedJws {
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** `header.payload`, as signed. */
  signingInput: string
  /** The signature segment as sent. */
  signature: string
}

/**
 * Read a compact JWS (`header.payload.signature`, each base64url without padding, header and
 * payload JSON objects), or say what is wrong with it. Nothing is verified.
 */
export function readCompactJws(jwt: string): UnverifiedJws | { problem: string } {
  const segments = jwt.split('.')
  if (segments.length !== 3) return { problem: `it has ${segments.length} dot-separated segments, not 3` }
  const [encodedHeader = '', encodedClaims = '', signature = ''] = segments
  const header = jsonFromBase64url(encodedHeader)
  if (!isObject(header)) return { problem: 'the header is not a base64url-encoded JSON object' }
  const claims = jsonFromBase64url(encodedClaims)
  if (!isObject(claims)) return { problem: 'the payload is not a base64url-encoded JSON object (the claims)' }
  return { header, claims, signingInput: `${encodedHeader}.${encodedClaims}`, signature }
}

/**
 * Whether a JWS's signature is the HMAC of its signing input with `key`: compared as base64url
 * text in constant time, so only the exact encoding passes (as jsonwebtoken compares it).
 */
export function hmacSignatureMatches(jws: UnverifiedJws, hash: HmacHash, key: HmacKey): boolean {
  return sameText(hmacBase64url(hash, key, jws.signingInput), jws.signature)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
