import { createHash } from 'node:crypto'
import { CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS, CUSTOMER_LOGIN_MAX_AGE_SECONDS } from './customer-login-window.js'

/** Limits of a {@link UsedJtiStore}. */
export interface UsedJtiStoreLimits {
  /**
   * Seconds after its `iat` during which a token can still pass the Customer Login time check
   * (the 30 s window plus the allowed future skew). A `jti` is remembered this long, no longer.
   */
  retainSeconds: number
  /** Most `jti`s remembered at once. */
  maxEntries: number
}

/** Answer of {@link UsedJtiStore.use}. */
export type JtiUse = 'fresh' | 'reused' | 'full'

/**
 * The `jti`s of Customer Login tokens already spent, so a token works once.
 *
 * Bounded two ways:
 * - By time: an entry is forgotten once its token's `iat` is more than `retainSeconds` old by
 *   the mock's clock. Such a token fails the `iat` check anyway, so forgetting its `jti` never
 *   lets a replay through (unless the clock is moved back past it on purpose).
 * - By count: at most `maxEntries` entries. The store never evicts an entry that could still
 *   matter, because that would reopen a replay; when full it answers `full` and the caller
 *   refuses the login instead (fail closed). Only tokens with a valid signature and a fresh
 *   `iat` reach the store, so filling it takes the app's secret and more than `maxEntries`
 *   logins within one window: a load a developer's mock never sees by accident.
 *
 * Keys are SHA-256 digests of client id and `jti`, so every entry has the same small size
 * whatever the token carries (about 150 bytes; 100 000 entries stay under 20 MB).
 */
export class UsedJtiStore {
  /** Digest of client id and jti -> epoch seconds after which the entry can go. */
  readonly #forgetAfter = new Map<string, number>()

  constructor(readonly limits: UsedJtiStoreLimits = DEFAULT_USED_JTI_LIMITS) {}

  /** Number of remembered `jti`s (entries past their window may linger until the next call). */
  get size(): number {
    return this.#forgetAfter.size
  }

  /**
   * Spend a `jti`: `fresh` when it was not seen before (it is remembered from now on),
   * `reused` when it was, `full` when the store is at its bound with nothing it may forget.
   *
   * @param clientId - the app that issued the token; `jti`s are unique per issuer.
   * @param jti - the token's `jti` claim.
   * @param iat - the token's `iat`, epoch seconds; it decides when the entry can be forgotten.
   * @param nowSeconds - the mock clock's time.
   */
  use(clientId: string, jti: string, iat: number, nowSeconds: number): JtiUse {
    this.prune(nowSeconds)
    const key = digest(clientId, jti)
    if (this.#forgetAfter.has(key)) return 'reused'
    if (this.#forgetAfter.size >= this.limits.maxEntries) {
      // Insertion order is only roughly iat order, so sweep everything before giving up.
      this.#sweep(nowSeconds)
      if (this.#forgetAfter.size >= this.limits.maxEntries) return 'full'
    }
    this.#forgetAfter.set(key, iat + this.limits.retainSeconds)
    return 'fresh'
  }

  /**
   * Forget entries whose window has passed, oldest first, stopping at the first live one.
   * Entries arrive in near-`iat` order, so this is O(forgotten) and leaves at most a few
   * stragglers, which {@link UsedJtiStore.use} sweeps when the bound is reached.
   */
  prune(nowSeconds: number): void {
    for (const [key, forgetAfter] of this.#forgetAfter) {
      if (forgetAfter >= nowSeconds) return
      this.#forgetAfter.delete(key)
    }
  }

  /** Forget everything (the mock's reset). */
  clear(): void {
    this.#forgetAfter.clear()
  }

  #sweep(nowSeconds: number): void {
    for (const [key, forgetAfter] of this.#forgetAfter) {
      if (forgetAfter < nowSeconds) this.#forgetAfter.delete(key)
    }
  }
}

/** The default bounds: remember each `jti` through the window plus skew, at most 100 000 of them. */
export const DEFAULT_USED_JTI_LIMITS: UsedJtiStoreLimits = {
  retainSeconds: CUSTOMER_LOGIN_MAX_AGE_SECONDS + CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS,
  maxEntries: 100_000,
}

function digest(clientId: string, jti: string): string {
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  return createHash('sha256').update(clientId).update('\0').update(jti).digest('base64url')
}
