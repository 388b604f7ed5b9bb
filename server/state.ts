import { AppRegistry } from './domain/app-registry.js'
import { Clock } from './clock.js'
import { CustomerDirectory } from './domain/customer-directory.js'
import { RequestLog } from './domain/request-log.js'
import { SessionStore } from './domain/session-store.js'
import { UsedJtiStore } from './domain/used-jti-store.js'
import type { StoreDefinition } from './domain/types.js'
import type { ResolvedOptions } from './options.js'

/**
 * Everything the mock storefront knows and changes while it runs: the store's customers and
 * apps, the signed-in sessions and the clock. Routes read and change it through the domain
 * functions; `reset()` and `reload()` put it back to a fixture state in one step.
 */
export class MockState {
  readonly clock: Clock
  readonly customers = new CustomerDirectory()
  readonly apps = new AppRegistry()
  readonly sessions: SessionStore
  /** `jti`s of Customer Login tokens already spent, each until its `iat` window has passed. */
  readonly usedJtis = new UsedJtiStore()
  /** The latest storefront requests (never their cookies, tokens or secrets), for `GET /__mock/requests`. */
  readonly requests = new RequestLog()
  /** Lifetime of tokens for apps that set none. */
  readonly defaultTokenTtl: number
  #fixture: StoreDefinition

  constructor(fixture: StoreDefinition, options: ResolvedOptions) {
    this.clock = new Clock(options.now)
    this.sessions = new SessionStore({ idleTtlSeconds: options.sessionTtl, maxSessions: options.maxSessions })
    this.defaultTokenTtl = options.tokenTtl
    this.#fixture = fixture
    this.#loadStore(fixture)
  }

  /** The store hash every token carries. */
  get storeHash(): string {
    return this.#fixture.storeHash
  }

  /** The store as the fixtures last described it. */
  get fixture(): StoreDefinition {
    return this.#fixture
  }

  /** Back to exactly the fixture state: its customers and apps, no sessions, no used Customer Login `jti`s, an empty request log, the start clock. */
  reset(): void {
    this.#loadStore(this.#fixture)
    this.sessions.clear()
    this.usedJtis.clear()
    this.requests.clear()
    this.clock.reset()
  }

  /**
   * Apply a new fixture state (an edited fixture file). Sessions of customers that still exist
   * survive; the others end.
   */
  reload(fixture: StoreDefinition): void {
    this.#fixture = fixture
    this.#loadStore(fixture)
    for (const session of [...this.sessions.all()]) {
      if (!this.customers.get(session.customerId)) this.sessions.end(session.id)
    }
  }

  #loadStore(fixture: StoreDefinition): void {
    this.customers.replaceAll(fixture.customers)
    this.apps.replaceAll(fixture.apps)
  }
}
