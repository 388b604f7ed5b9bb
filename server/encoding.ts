/**
 * base64url (RFC 4648 §5, no padding) in plain JavaScript, the same in Node and in browsers:
 * `TextEncoder`, `TextDecoder`, `btoa` and `atob` are globals in both. The storefront's hot path
 * encodes with Node's `Buffer` instead (see `domain/crypto.ts`); decoding serves only the
 * Customer Login check and log labels, where a few microseconds do not show.
 */

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Bytes as base64url without padding. */
export function base64urlFromBytes(bytes: Uint8Array): string {
  let binary = ''
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000))
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** UTF-8 text as base64url without padding. */
export function base64urlFromText(text: string): string {
  return base64urlFromBytes(encoder.encode(text))
}

/**
 * The bytes a base64url text (without padding) spells; undefined for anything else: another
 * alphabet, padding, white space, or a length no encoding has. Strict, as a JWS segment must be.
 */
function bytesFromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
  return bytes
}

/** The UTF-8 text a base64url text spells (malformed UTF-8 as U+FFFD); undefined when it is not base64url. */
function textFromBase64url(text: string): string | undefined {
  const bytes = bytesFromBase64url(text)
  return bytes && decoder.decode(bytes)
}

/** The JSON value a base64url segment (a JWT's header or claims) holds; undefined when it holds none. */
export function jsonFromBase64url(text: string): unknown {
  const json = textFromBase64url(text)
  if (json === undefined) return undefined
  try {
    return JSON.parse(json) as unknown
  } catch {
    return undefined
  }
}

/**
 * The claims of a JWT (`header.payload.signature`), read without verifying anything; undefined
 * when its payload is not a base64url JSON object. Only to label a log entry or match a fault.
 */
export function unverifiedJwtClaims(jwt: string): Record<string, unknown> | undefined {
  const payload = /^[^./]*\.([^./]+)\./.exec(jwt)?.[1]
  const claims = payload === undefined ? undefined : jsonFromBase64url(payload)
  return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined
}
