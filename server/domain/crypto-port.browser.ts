/**
 * The browser side of the crypto port (see `crypto-port.ts`, whose exports this file matches one
 * for one): HMAC and SHA-256 from `@noble/hashes` (audited, synchronous, no dependency), random
 * bytes from Web Crypto's `getRandomValues`. No `node:` module and no `Buffer`. `@noble/hashes`
 * accepts byte arrays from another realm (jsdom's `Uint8Array`), where jose refuses them.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'
import { base64urlFromBytes, base64urlFromText as encodeText } from '../encoding.js'

// The port's types are the Node side's (a type import: nothing of node:crypto comes along).
import type { HmacHash, HmacKey } from './crypto-port.js'

export type { HmacHash, HmacKey }

const encoder = new TextEncoder()
const HASHES = { sha256, sha384, sha512 } as const

/** A secret as an HMAC key: its UTF-8 bytes. */
export function hmacKey(secret: string): HmacKey {
  return encoder.encode(secret) as unknown as HmacKey
}

/** The HMAC of `data` (UTF-8) with `key`, base64url without padding: a JWS signature. */
export function hmacBase64url(hash: HmacHash, key: HmacKey, data: string): string {
  return base64urlFromBytes(hmac(HASHES[hash], key as unknown as Uint8Array, encoder.encode(data)))
}

/** UTF-8 text as base64url without padding (a JWS header or payload). */
export function base64urlFromText(text: string): string {
  return encodeText(text)
}

/** The SHA-256 of UTF-8 text, base64url without padding. */
export function sha256Base64url(text: string): string {
  return base64urlFromBytes(sha256(encoder.encode(text)))
}

/** `bytes` random bytes from the platform's secure generator, base64url without padding. */
export function randomBase64url(bytes: number): string {
  return base64urlFromBytes(randomBytes(bytes))
}

/** A random (version 4) UUID: `crypto.randomUUID` exists only in secure contexts, so it is made from random bytes. */
export function randomUuid(): string {
  const bytes = randomBytes(16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Whether two texts are equal, in a time that does not depend on where they differ (only on their lengths). */
export function sameText(expected: string, given: string): boolean {
  const a = encoder.encode(expected)
  const b = encoder.encode(given)
  if (a.length !== b.length) return false
  let difference = 0
  for (let index = 0; index < a.length; index++) difference |= (a[index] ?? 0) ^ (b[index] ?? 0)
  return difference === 0
}

function randomBytes(count: number): Uint8Array {
  const bytes = new Uint8Array(count)
  globalThis.crypto.getRandomValues(bytes)
  return bytes
}
