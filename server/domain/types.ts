/** A storefront customer who can sign in. Immutable: an edit replaces the object. */
export interface Customer {
  readonly id: number
  readonly email: string
  readonly password: string
  /** Customer group id; a string even when numeric, as BigCommerce's tokens carry it. */
  readonly groupId: string
  readonly firstName: string
  readonly lastName: string
}

/** An app registered with the store: what its tokens are signed with and how. Immutable: an edit replaces the object. */
export interface App {
  readonly clientId: string
  readonly clientSecret: string
  /** Token lifetime in seconds; when absent the store's default applies. */
  readonly tokenTtl?: number
  readonly algorithm: TokenAlgorithm
  /** When set, forces `customer.group_id` in this app's tokens. */
  readonly groupId?: string
  /** A display name for banners and pages. */
  readonly name?: string
}

/** A storefront (channel) of the store, one a Customer Login token's `channel_id` may name. */
export interface Channel {
  readonly id: number
  readonly name: string
}

/** The store a fixture document describes. */
export interface StoreDefinition {
  storeHash: string
  apps: App[]
  customers: Customer[]
  /** The store's channels; absent means only {@link DEFAULT_CHANNEL}, as on a store with one storefront. */
  channels?: Channel[]
  /** Password shared by the customers generated with faker, when any were generated. */
  generatedPassword?: string
  /** How many of `customers` were generated with faker (they come last). */
  generatedCount: number
}

/** How an app's tokens are signed; the list lives with the app rules (`TOKEN_ALGORITHMS`). */
export type TokenAlgorithm = 'HS256' | 'HS384' | 'HS512'

/** Channel 1, the default storefront every BigCommerce store has (a token's `channel_id` defaults to it). */
export const DEFAULT_CHANNEL: Channel = { id: 1, name: 'Default storefront' }
