import { AppRegistry } from './domain/app-registry.js'
import { Clock } from './clock.js'
import { CustomerDirectory } from './domain/customer-directory.js'
import { SessionStore } from './domain/session-store.js'
import type { StoreDefinition } from './domain/types.js'
import type { ResolvedOptions } from './options.js'

/** Everything the mock storefront knows and changes while it runs. */
export interface MockState {
  readonly storeHash: string
  readonly clock: Clock
  readonly customers: CustomerDirectory
  readonly apps: AppRegistry
  readonly sessions: SessionStore
  /** Lifetime of tokens for apps that set none. */
  readonly defaultTokenTtl: number
  /** The store as the fixtures described it, for banners and pages. */
  readonly fixture: StoreDefinition
}

/** Build the running state from a loaded store and the resolved options. */
export function createState(fixture: StoreDefinition, options: ResolvedOptions): MockState {
  return {
    storeHash: fixture.storeHash,
    clock: new Clock(options.now),
    customers: new CustomerDirectory(fixture.customers),
    apps: new AppRegistry(fixture.apps),
    sessions: new SessionStore({ idleTtlSeconds: options.sessionTtl, maxSessions: options.maxSessions }),
    defaultTokenTtl: options.tokenTtl,
    fixture,
  }
}
