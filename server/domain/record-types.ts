/**
 * What the store keeps for the Management API (`/stores/{store_hash}/v2|v3/...`) beside the
 * customers and apps the storefront needs: a customer's profile, the customer groups, customer
 * attributes, channels and orders. Immutable: an edit replaces the object. Amounts are whole
 * ten-thousandths (BigCommerce's V2 shows four decimals, `"54.0000"`), so no sum drifts.
 */

/** A customer's address, as BigCommerce's V3 `address_Full` names its fields. */
export interface CustomerAddress {
  readonly id: number
  readonly firstName: string
  readonly lastName: string
  readonly company: string
  readonly address1: string
  readonly address2: string
  readonly city: string
  readonly stateOrProvince: string
  readonly postalCode: string
  /** ISO 3166-1 alpha-2, upper case. */
  readonly countryCode: string
  readonly phone: string
  readonly addressType: AddressType
}

/** The address types BigCommerce knows. */
export type AddressType = 'residential' | 'commercial'

/** One customer's value of a customer attribute: always a string, whatever the attribute's type. */
export interface AttributeValue {
  /** The attribute value's own id (`id` in `GET /v3/customers/attribute-values`). */
  readonly id: number
  readonly attributeId: number
  readonly value: string
  /** Epoch milliseconds; absent: when the store was made (a fixture value). */
  readonly createdAtMs?: number
  readonly modifiedAtMs?: number
}

/**
 * What the Management API shows of a customer beyond what a sign-in needs. Absent on a
 * customer: no company, phone, addresses nor attribute values, created when the store was made.
 */
export interface CustomerProfile {
  readonly company: string
  readonly phone: string
  readonly addresses: readonly CustomerAddress[]
  readonly attributes: readonly AttributeValue[]
  /** Epoch milliseconds; absent: when the store was made (a fixture customer). */
  readonly createdAtMs?: number
  readonly modifiedAtMs?: number
}

/** A customer group (`/v2/customer_groups`); a customer's `group_id` names one by its id. */
export interface CustomerGroup {
  readonly id: number
  readonly name: string
}

/** The types a customer attribute may have. */
export type AttributeType = 'string' | 'number' | 'date'

/** A customer attribute (`/v3/customers/attributes`): a name and a type; customers hold its values. */
export interface CustomerAttribute {
  readonly id: number
  readonly name: string
  readonly type: AttributeType
  /** Epoch milliseconds; absent: when the store was made (a fixture attribute). */
  readonly createdAtMs?: number
}

/** A sales channel (a storefront); channel 1 is the default storefront. */
export interface Channel {
  readonly id: number
  readonly name: string
}

/** One line of an order (`/v2/orders/{id}/products`). */
export interface OrderProduct {
  /** The line's id, unique across the store's orders. */
  readonly id: number
  readonly productId: number
  readonly variantId: number
  readonly name: string
  readonly sku: string
  readonly quantity: number
  /** Unit price, whole ten-thousandths (no tax: the mock's prices are tax-free). */
  readonly price: number
}

/** The billing address an order keeps, as V2 names its fields. */
interface BillingAddress {
  readonly firstName: string
  readonly lastName: string
  readonly company: string
  readonly street1: string
  readonly street2: string
  readonly city: string
  readonly state: string
  readonly zip: string
  /** ISO 3166-1 alpha-2; empty when the customer had no address. The answers name the country from it. */
  readonly countryIso2: string
  readonly phone: string
  readonly email: string
}

/** An order a customer placed (`/v2/orders`). */
export interface Order {
  readonly id: number
  readonly customerId: number
  readonly statusId: number
  readonly channelId: number
  /** Epoch milliseconds; absent: when the store was made. */
  readonly createdAtMs?: number
  readonly paymentMethod: string
  readonly currencyCode: string
  readonly billingAddress: BillingAddress
  readonly products: readonly OrderProduct[]
}

/** The Management API's records a fixture document describes (beside customers and apps). */
export interface StoreRecords {
  customerGroups: CustomerGroup[]
  customerAttributes: CustomerAttribute[]
  channels: Channel[]
  orders: Order[]
}

/** The channels of a store whose fixtures list none: the default storefront only. */
export const DEFAULT_CHANNELS: readonly Channel[] = [{ id: 1, name: 'Default storefront' }]

/** Records of a store whose fixtures describe none. */
export function emptyRecords(): StoreRecords {
  return { customerGroups: [], customerAttributes: [], channels: [...DEFAULT_CHANNELS], orders: [] }
}

/** BigCommerce's order statuses by id (`status_id` to `status`). */
export const ORDER_STATUSES: Readonly<Record<number, string>> = {
  0: 'Incomplete',
  1: 'Pending',
  2: 'Shipped',
  3: 'Partially Shipped',
  4: 'Refunded',
  5: 'Cancelled',
  6: 'Declined',
  7: 'Awaiting Payment',
  8: 'Awaiting Pickup',
  9: 'Awaiting Shipment',
  10: 'Completed',
  11: 'Awaiting Fulfillment',
  12: 'Manual Verification Required',
  13: 'Disputed',
  14: 'Partially Refunded',
}
