import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A signed-in storefront session. */
export interface Session {
  /** The `SHOP_SESSION_TOKEN` cookie: 256 random bits, base64url. */
  readonly id: string
  /** The `SHOP_TOKEN` cookie: another 256 random bits that must come back with the id. */
  readonly shopToken: string
  readonly customerId: number
  readonly createdAtMs: number
  lastSeenAtMs: number
}

/** Limits of a {@link SessionStore}. */
export interface SessionStoreLimits {
  /** Idle time in seconds after which a session ends. */
  idleTtlSeconds: number
  /** Most sessions held at once; signing in past it ends the least recently used one. */
  maxSessions: number
}

// A session and its "used since it last moved" bit, for second-chance eviction.
interface Entry {
  readonly session: Session
  used: boolean
}

/**
 * Storefront sessions, in memory. Bounded: a stream of sign-ins that never sign out holds at
 * most `maxSessions` entries. The Map is in insertion order; a session used since it was placed
 * gets a second chance (moved to the back) instead of eviction, which gives least-recently-used
 * eviction without re-inserting on every request: V8 makes repeated re-inserts of one key slow
 * in a large Map.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Entry>()

  constructor(readonly limits: SessionStoreLimits) {}

  /** Number of live (not yet evicted) sessions. */
  get size(): number {
    return this.#sessions.size
  }

  /** Start a session for a customer. */
  create(customerId: number, nowMs: number): Session {
    const session: Session = {
      id: randomToken(),
      shopToken: randomToken(),
      customerId,
      createdAtMs: nowMs,
      lastSeenAtMs: nowMs,
    }
    this.#sessions.set(session.id, { session, used: false })
    this.#evict(nowMs)
    return session
  }

  /**
   * The session these cookies name, if it exists, has not been idle too long and its
   * `SHOP_TOKEN` matches. A found session counts as used now.
   */
  resume(id: string | undefined, shopToken: string | undefined, nowMs: number): Session | undefined {
    if (!id || !shopToken) return undefined
    const entry = this.#sessions.get(id)
    if (!entry || !sameSecret(entry.session.shopToken, shopToken)) return undefined
    if (this.#idle(entry.session, nowMs)) {
      this.#sessions.delete(id)
      return undefined
    }
    entry.used = true
    entry.session.lastSeenAtMs = Math.max(entry.session.lastSeenAtMs, nowMs)
    return entry.session
  }

  /** The live session with this id, read without counting as use (for labels, never access). */
  peek(id: string, nowMs: number): Session | undefined {
    const session = this.#sessions.get(id)?.session
    if (!session || this.#idle(session, nowMs)) return undefined
    return session
  }

  /** Sessions not idle past the TTL at `nowMs` (idle ones linger until evicted), roughly least recently used first. */
  *live(nowMs: number): IterableIterator<Session> {
    for (const { session } of this.#sessions.values()) if (!this.#idle(session, nowMs)) yield session
  }

  /** When a session ends if it is not used again, epoch milliseconds. */
  expiresAtMs(session: Session): number {
    return session.lastSeenAtMs + this.limits.idleTtlSeconds * 1000
  }

  /** The held session with this public handle (see {@link sessionHandle}), if any. */
  findByHandle(handle: string): Session | undefined {
    for (const { session } of this.#sessions.values()) if (sessionHandle(session) === handle) return session
    return undefined
  }

  /** End one session; answers whether it existed. */
  end(id: string): boolean {
    return this.#sessions.delete(id)
  }

  /** End every session of a customer; answers how many ended. */
  endForCustomer(customerId: number): number {
    let ended = 0
    for (const [id, { session }] of this.#sessions) {
      if (session.customerId === customerId && this.#sessions.delete(id)) ended++
    }
    return ended
  }

  /** End every session. */
  clear(): void {
    this.#sessions.clear()
  }

  /** All sessions, roughly least recently used first. */
  *all(): IterableIterator<Session> {
    for (const entry of this.#sessions.values()) yield entry.session
  }

  // From the head: drop sessions idle too long; while over the bound, move a used session to
  // the back (clearing its bit) and drop an unused one. Each entry moves at most once, so the
  // loop ends; re-inserted entries are visited again by the Map iterator.
  #evict(nowMs: number): void {
    for (const [id, entry] of this.#sessions) {
      const idle = this.#idle(entry.session, nowMs)
      if (!idle && this.#sessions.size <= this.limits.maxSessions) return
      this.#sessions.delete(id)
      if (!idle && entry.used) {
        entry.used = false
        this.#sessions.set(id, entry)
      }
    }
  }

  // The one idle rule: unused for longer than the TTL.
  #idle(session: Session, nowMs: number): boolean {
    return nowMs - session.lastSeenAtMs > this.limits.idleTtlSeconds * 1000
  }
}

/**
 * A session's public name: the first 16 characters (96 bits) of the base64url SHA-256 of its
 * id. Enough to tell sessions apart and to end one; useless as a cookie, and it cannot be
 * turned back into one, so listing it leaks nothing a log should not hold.
 */
export function sessionHandle(session: Pick<Session, 'id'>): string {
  return createHash('sha256').update(session.id, 'utf8').digest('base64url').slice(0, 16)
}

function randomToken(): string {
  return randomBytes(32).toString('base64url')
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
