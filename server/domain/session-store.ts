import { randomBytes, timingSafeEqual } from 'node:crypto'

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

/**
 * Storefront sessions, in memory. Bounded: a Map kept in least-recently-used order, so a
 * stream of sign-ins that never sign out holds at most `maxSessions` entries.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>()

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
    this.#sessions.set(session.id, session)
    this.#evict(nowMs)
    return session
  }

  /**
   * The session these cookies name, if it exists, has not been idle too long and its
   * `SHOP_TOKEN` matches. A found session counts as used now.
   */
  resume(id: string | undefined, shopToken: string | undefined, nowMs: number): Session | undefined {
    if (!id || !shopToken) return undefined
    const session = this.#sessions.get(id)
    if (!session || !sameSecret(session.shopToken, shopToken)) return undefined
    if (nowMs - session.lastSeenAtMs > this.limits.idleTtlSeconds * 1000) {
      this.#sessions.delete(id)
      return undefined
    }
    session.lastSeenAtMs = Math.max(session.lastSeenAtMs, nowMs)
    this.#sessions.delete(id)
    this.#sessions.set(id, session)
    return session
  }

  /** The live session with this id, read without counting as use (for labels, never access). */
  peek(id: string, nowMs: number): Session | undefined {
    const session = this.#sessions.get(id)
    if (!session || nowMs - session.lastSeenAtMs > this.limits.idleTtlSeconds * 1000) return undefined
    return session
  }

  /** End one session; answers whether it existed. */
  end(id: string): boolean {
    return this.#sessions.delete(id)
  }

  /** End every session of a customer; answers how many ended. */
  endForCustomer(customerId: number): number {
    let ended = 0
    for (const [id, session] of this.#sessions) {
      if (session.customerId === customerId && this.#sessions.delete(id)) ended++
    }
    return ended
  }

  /** End every session. */
  clear(): void {
    this.#sessions.clear()
  }

  /** All sessions, least recently used first. */
  all(): IterableIterator<Session> {
    return this.#sessions.values()
  }

  // The Map's head is the least recently used session: drop from there while the store is
  // over its bound or the head has been idle too long.
  #evict(nowMs: number): void {
    const idleMs = this.limits.idleTtlSeconds * 1000
    for (const [id, session] of this.#sessions) {
      if (this.#sessions.size <= this.limits.maxSessions && nowMs - session.lastSeenAtMs <= idleMs) return
      this.#sessions.delete(id)
    }
  }
}

function randomToken(): string {
  return randomBytes(32).toString('base64url')
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
