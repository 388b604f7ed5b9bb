/**
 * What the domain needs of cryptography, as one small port with two implementations: this one
 * on Node's `node:crypto`, and `crypto-port.browser.ts` on `@noble/hashes` and Web Crypto's
 * `getRandomValues`, which the browser bundle of the MSW handlers takes in its place
 * (`scripts/build.mjs`: a module with a `.browser.ts` sibling is swapped for it). Both are
 * synchronous, so the storefront's rules run unchanged on either, and
 * `test/domain/crypto-port.test.ts` checks that they make byte-identical tokens.
 *
 * Node's side is what the server ran before the port: `createHmac` with a `KeyObject` made once
 * per app, and `Buffer`'s base64url, the token route's hot path.
 */
import { createHash, createHmac, createSecretKey, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto'

declare const hmacKeyBrand: unique symbol

/** A client secret made ready for HMAC once (a `KeyObject` in Node, bytes in browsers); opaque to the rest of the domain. */
export type HmacKey = { readonly [hmacKeyBrand]: true }

/** The hash functions tokens are signed with: HS256, HS384 and HS512 are HMAC with these. */
export type HmacHash = 'sha256' | 'sha384' | 'sha512'

/** A secret as an HMAC key. */
export function hmacKey(secret: string): HmacKey {
  return createSecretKey(Buffer.from(secret, 'utf8')) as unknown as HmacKey
}

/** The HMAC of `data` (UTF-8) with `key`, base64url without padding: a JWS signature. */
export function hmacBase64url(hash: HmacHash, key: HmacKey, data: string): string {
  return createHmac(hash, key as unknown as KeyObject)
    .update(data)
    .digest('base64url')
}

/** UTF-8 text as base64url without padding (a JWS header or payload). */
export function base64urlFromText(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

/** The SHA-256 of UTF-8 text, base64url without padding. */
export function sha256Base64url(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url')
}

/** `bytes` random bytes from the platform's secure generator, base64url without padding. */
export function randomBase64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}

/** A random (version 4) UUID. */
export function randomUuid(): string {
  return randomUUID()
}

/** Whether two texts are equal, in a time that does not depend on where they differ (only on their lengths). */
export function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(given, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
