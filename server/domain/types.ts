import type { CustomerProfile, StoreRecords } from './record-types.js'

/** A storefront customer who can sign in. Immutable: an edit replaces the object. */
export interface Customer {
  readonly id: number
  readonly email: string
  /** Empty when the customer has none (one the Management API made without one): they cannot sign in until one is set. */
  readonly password: string
  /** Customer group id; a string even when numeric, as BigCommerce's tokens carry it. */
  readonly groupId: string
  readonly firstName: string
  readonly lastName: string
  /** Company, phone, addresses and attribute values (the Management API's); absent: none. */
  readonly profile?: CustomerProfile
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
  /** What the app was given when installed on the store: the Management API's `X-Auth-Token`. */
  readonly accessToken?: string
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
  /** Customer groups, attributes, channels and orders (the Management API's); absent: none, and channel 1. */
  records?: StoreRecords
}

/** How an app's tokens are signed; the list lives with the app rules (`TOKEN_ALGORITHMS`). */
export type TokenAlgorithm = 'HS256' | 'HS384' | 'HS512'
