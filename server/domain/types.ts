/** HMAC algorithms a Current Customer token can be signed with. Production issues HS512. */
export const TOKEN_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const

/** One of {@link TOKEN_ALGORITHMS}. */
export type TokenAlgorithm = (typeof TOKEN_ALGORITHMS)[number]

/** A storefront customer who can sign in. */
export interface Customer {
  id: number
  email: string
  password: string
  /** Customer group id; a string even when numeric, as BigCommerce's tokens carry it. */
  groupId: string
  firstName: string
  lastName: string
}

/** An app registered with the store: what its tokens are signed with and how. */
export interface App {
  clientId: string
  clientSecret: string
  /** Token lifetime in seconds; when absent the store's default applies. */
  tokenTtl?: number
  algorithm: TokenAlgorithm
  /** When set, forces `customer.group_id` in this app's tokens. */
  groupId?: string
  /** A display name for banners and pages. */
  name?: string
}

/** The store a fixture document describes. */
export interface StoreDefinition {
  storeHash: string
  apps: App[]
  customers: Customer[]
  /** Password shared by the customers generated with faker, when any were generated. */
  generatedPassword?: string
  /** How many of `customers` were generated with faker (they come last). */
  generatedCount: number
}
