import { sha256Base64url } from './crypto-port.js'
import { CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS, CUSTOMER_LOGIN_MAX_AGE_SECONDS } from './customer-login-window.js'

/** Limits of a {@link UsedJtiStore}. */
export interface UsedJtiStoreLimits {
  /**
   * Seconds after its `iat` during which a token can still pass the Customer Login time check
   * (the 30 s window plus the allowed future skew). Once the store is full, a `jti` this old may be forgotten.
   */
  retainSeconds: number
  /** Most `jti`s remembered at once. */
  maxEntries: number
}

/** Answer of {@link UsedJtiStore.use}. */
export type JtiUse = 'fresh' | 'reused' | 'full' | 'forgotten'

/**
 * The `jti`s of Customer Login tokens already spent, so a token works once, whatever is done
 * to the mock's clock.
 *
 * Bounded by count: at most `maxEntries` entries. Nothing is forgotten below that bound, so
 * moving the clock ahead and back again (a test suite does it all the time) can never reopen a
 * used URL. At the bound, entries whose token could no longer pass the `iat` check at the
 * current time (`iat` more than `retainSeconds` old) are forgotten; since the clock may later be
 * moved back, the store remembers the latest window it forgot (one number) and answers
 * `forgotten` (refused) for any token whose window ends by then: a forgotten `jti` can never
 * pass again. An entry that could still matter is never evicted, because that would reopen a
 * replay; when full with nothing to forget it answers `full` and the caller refuses the login
 * (fail closed).
 *
 * Keys are SHA-256 digests of client id and `jti`, so every entry has the same small size
 * whatever the token carries (about 150 bytes; 100 000 entries stay under 20 MB).
 */
export class UsedJtiStore {
  /** Digest of client id and jti -> epoch seconds after which the entry can go. */
  readonly #forgetAfter = new Map<string, number>()
  /** The latest `forgetAfter` of any entry forgotten so far: tokens whose window ends by then are refused. */
  #forgottenThrough = Number.NEGATIVE_INFINITY

  constructor(readonly limits: UsedJtiStoreLimits = DEFAULT_USED_JTI_LIMITS) {}

  /** Number of remembered `jti`s. */
  get size(): number {
    return this.#forgetAfter.size
  }

  /**
   * Spend a `jti`: `fresh` when it was not seen before (it is remembered from now on),
   * `reused` when it was, `full` when the store is at its bound with nothing it may forget,
   * `forgotten` when its window ended no later than one the store has already forgotten (the
   * clock was moved back: the `jti` may have been used and forgotten, so it cannot pass).
   *
   * @param clientId - the app that issued the token; `jti`s are unique per issuer.
   * @param jti - the token's `jti` claim.
   * @param iat - the token's `iat`, epoch seconds; it decides when the entry can be forgotten.
   * @param nowSeconds - the mock clock's time.
   */
  use(clientId: string, jti: string, iat: number, nowSeconds: number): JtiUse {
    const key = digest(clientId, jti)
    if (this.#forgetAfter.has(key)) return 'reused'
    if (iat + this.limits.retainSeconds <= this.#forgottenThrough) return 'forgotten'
    if (this.#forgetAfter.size >= this.limits.maxEntries) {
      // Insertion order is only roughly iat order, so sweep everything before giving up.
      this.#sweep(nowSeconds)
      if (iat + this.limits.retainSeconds <= this.#forgottenThrough) return 'forgotten'
      if (this.#forgetAfter.size >= this.limits.maxEntries) return 'full'
    }
    this.#forgetAfter.set(key, iat + this.limits.retainSeconds)
    return 'fresh'
  }

  /** Forget everything (the mock's reset, which documents that used `jti`s are forgotten). */
  clear(): void {
    this.#forgetAfter.clear()
    this.#forgottenThrough = Number.NEGATIVE_INFINITY
  }

  #forget(key: string, forgetAfter: number): void {
    this.#forgetAfter.delete(key)
    if (forgetAfter > this.#forgottenThrough) this.#forgottenThrough = forgetAfter
  }

  #sweep(nowSeconds: number): void {
    for (const [key, forgetAfter] of this.#forgetAfter) {
      if (forgetAfter < nowSeconds) this.#forget(key, forgetAfter)
    }
  }
}

/** The default bounds: remember each `jti` through the window plus skew, at most 100 000 of them. */
const DEFAULT_USED_JTI_LIMITS: UsedJtiStoreLimits = {
  retainSeconds: CUSTOMER_LOGIN_MAX_AGE_SECONDS + CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS,
  maxEntries: 100_000,
}

function digest(clientId: string, jti: string): string {
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  return sha256Base64url(`${clientId}\0${jti}`)
}
