import { randomBase64url, sameText, sha256Base64url } from './crypto-port.js'

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

// A session in the recency list: least recently used at the head, most recently used at the tail.
interface Entry {
  readonly session: Session
  newer: Entry | undefined
  older: Entry | undefined
}

/**
 * Storefront sessions, in memory. Bounded: a stream of sign-ins that never sign out holds at
 * most `maxSessions` entries, and past it the least recently used session ends, never the one
 * just started. Recency is an exact LRU list (a Map for look-up plus a doubly linked list for
 * order): using a session moves its entry to the tail by relinking two pointers, so no Map key
 * is re-inserted on every request (V8 makes repeated re-inserts of one key slow in a large Map).
 */
export class SessionStore {
  readonly #sessions = new Map<string, Entry>()
  #oldest: Entry | undefined
  #newest: Entry | undefined

  constructor(readonly limits: SessionStoreLimits) {}

  /** Number of live (not yet evicted) sessions. */
  get size(): number {
    return this.#sessions.size
  }

  /** Start a session for a customer; it is the most recently used one. */
  create(customerId: number, nowMs: number): Session {
    const session: Session = {
      id: randomToken(),
      shopToken: randomToken(),
      customerId,
      createdAtMs: nowMs,
      lastSeenAtMs: nowMs,
    }
    const entry: Entry = { session, newer: undefined, older: undefined }
    this.#sessions.set(session.id, entry)
    this.#append(entry)
    this.#evict(nowMs)
    return session
  }

  /**
   * The session these cookies name, if it exists, has not been idle too long and its
   * `SHOP_TOKEN` matches. A found session counts as used now (it becomes the most recently used).
   */
  resume(id: string | undefined, shopToken: string | undefined, nowMs: number): Session | undefined {
    if (!id || !shopToken) return undefined
    const entry = this.#sessions.get(id)
    if (!entry || !sameText(entry.session.shopToken, shopToken)) return undefined
    if (this.#idle(entry.session, nowMs)) {
      this.end(id)
      return undefined
    }
    if (entry !== this.#newest) {
      this.#unlink(entry)
      this.#append(entry)
    }
    entry.session.lastSeenAtMs = Math.max(entry.session.lastSeenAtMs, nowMs)
    return entry.session
  }

  /** Sessions not idle past the TTL at `nowMs` (idle ones linger until evicted), least recently used first. */
  *live(nowMs: number): IterableIterator<Session> {
    for (const session of this.all()) if (!this.#idle(session, nowMs)) yield session
  }

  /** When a session ends if it is not used again, epoch milliseconds. */
  expiresAtMs(session: Session): number {
    return session.lastSeenAtMs + this.limits.idleTtlSeconds * 1000
  }

  /** The held session with this public handle (see {@link sessionHandle}), if any. */
  findByHandle(handle: string): Session | undefined {
    for (const session of this.all()) if (sessionHandle(session) === handle) return session
    return undefined
  }

  /** End one session; answers whether it existed. */
  end(id: string): boolean {
    const entry = this.#sessions.get(id)
    if (!entry) return false
    this.#sessions.delete(id)
    this.#unlink(entry)
    return true
  }

  /** End every session of a customer; answers how many ended. */
  endForCustomer(customerId: number): number {
    let ended = 0
    for (const session of [...this.all()]) {
      if (session.customerId === customerId && this.end(session.id)) ended++
    }
    return ended
  }

  /** End every session. */
  clear(): void {
    this.#sessions.clear()
    this.#oldest = undefined
    this.#newest = undefined
  }

  /** All sessions, least recently used first. */
  *all(): IterableIterator<Session> {
    for (let entry = this.#oldest; entry; entry = entry.newer) yield entry.session
  }

  // From the least recently used end: drop sessions idle too long, and drop sessions while over
  // the bound. The newest entry is the one just created, so with maxSessions >= 1 it stays.
  #evict(nowMs: number): void {
    while (this.#oldest && this.#oldest !== this.#newest) {
      const oldest = this.#oldest
      if (this.#sessions.size <= this.limits.maxSessions && !this.#idle(oldest.session, nowMs)) return
      this.end(oldest.session.id)
    }
  }

  #append(entry: Entry): void {
    entry.older = this.#newest
    entry.newer = undefined
    if (this.#newest) this.#newest.newer = entry
    else this.#oldest = entry
    this.#newest = entry
  }

  #unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer
    else if (this.#oldest === entry) this.#oldest = entry.newer
    if (entry.newer) entry.newer.older = entry.older
    else if (this.#newest === entry) this.#newest = entry.older
    entry.newer = undefined
    entry.older = undefined
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
  return sha256Base64url(session.id).slice(0, 16)
}

function randomToken(): string {
  return randomBase64url(32)
}
