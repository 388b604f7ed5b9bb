import type {
  AttributeValue,
  Channel,
  CustomerAddress,
  CustomerAttribute,
  CustomerGroup,
  Order,
  OrderProduct,
} from '../domain/record-types.js'
import { ORDER_STATUSES } from '../domain/record-types.js'
import { countryName } from '../domain/rules/record-rules.js'
import type { Store } from '../domain/store.js'
import type { Customer } from '../domain/types.js'

/**
 * The Management API's answers, field by field as BigCommerce's references name and type them
 * (`openapi/management-api.yaml` is the subset the mock serves, and tests check every answer
 * against it). A string field with no value is an empty string, as BigCommerce's own examples
 * show it; V3 dates are ISO 8601, V2 dates RFC 2822, V2 amounts strings with four decimals.
 * Each view is built field by field, never by spreading a record, so a password cannot slip in.
 */

/** The `include` values of `GET /v3/customers` the mock serves. */
export const CUSTOMER_INCLUDES = ['addresses', 'attributes', 'storecredit', 'formfields'] as const
export type CustomerInclude = (typeof CUSTOMER_INCLUDES)[number]

/** V3 date: ISO 8601 to the second, as BigCommerce writes it (`2018-11-13T21:42:06Z`). */
function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** V2 date: RFC 2822 (`Tue, 05 Mar 2019 21:40:11 +0000`). */
function rfc2822Date(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000')
}

/** A V2 amount: whole ten-thousandths as a string with four decimals (`"54.0000"`). */
function amount(tenThousandths: number): string {
  const whole = Math.floor(tenThousandths / 10_000)
  return `${whole}.${String(tenThousandths - whole * 10_000).padStart(4, '0')}`
}

/** A customer's group id as the API types it: an integer (the token carries the same value as a string). */
function groupIdNumber(customer: Customer): number {
  return Number(customer.groupId)
}

/** `customer_Full` of the V3 reference; the sub-resources only when `include` asks for them. */
export function customerV3(store: Store, customer: Customer, include: ReadonlySet<CustomerInclude>, channels: readonly Channel[]) {
  const profile = customer.profile
  return {
    id: customer.id,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    company: profile?.company ?? '',
    phone: profile?.phone ?? '',
    registration_ip_address: '',
    notes: '',
    tax_exempt_category: '',
    customer_group_id: groupIdNumber(customer),
    date_created: isoDate(store.customerTimeMs(customer, 'created')),
    date_modified: isoDate(store.customerTimeMs(customer, 'modified')),
    address_count: profile?.addresses.length ?? 0,
    attribute_count: profile?.attributes.length ?? 0,
    authentication: { force_password_reset: false },
    accepts_product_review_abandoned_cart_emails: false,
    origin_channel_id: channels[0]?.id ?? 1,
    channel_ids: channels.map((channel) => channel.id),
    ...(include.has('addresses') && { addresses: (profile?.addresses ?? []).map((address) => addressV3(customer.id, address)) }),
    ...(include.has('attributes') && {
      attributes: (profile?.attributes ?? []).map((value) => attributeValueV3(store, customer.id, value)),
    }),
    ...(include.has('storecredit') && { store_credit_amounts: [{ amount: 0 }] }),
    ...(include.has('formfields') && { form_fields: [] }),
  }
}

/** `address_Full` of the V3 reference. */
function addressV3(customerId: number, address: CustomerAddress) {
  return {
    id: address.id,
    customer_id: customerId,
    first_name: address.firstName,
    last_name: address.lastName,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    state_or_province: address.stateOrProvince,
    postal_code: address.postalCode,
    country_code: address.countryCode,
    country: countryName(address.countryCode),
    phone: address.phone,
    address_type: address.addressType,
  }
}

/** A customer's attribute value: `attribute_Full` (a customer's `attributes`) and the attribute-values list name the same fields. */
export function attributeValueV3(store: Store, customerId: number, value: AttributeValue) {
  const created = value.createdAtMs ?? store.fixtureTimeMs
  return {
    id: value.id,
    customer_id: customerId,
    attribute_id: value.attributeId,
    attribute_value: value.value,
    date_created: isoDate(created),
    date_modified: isoDate(value.modifiedAtMs ?? created),
  }
}

/** A customer attribute (`CustomerAttributesResponse` items). */
export function attributeV3(store: Store, attribute: CustomerAttribute) {
  const created = isoDate(attribute.createdAtMs ?? store.fixtureTimeMs)
  return { id: attribute.id, name: attribute.name, type: attribute.type, date_created: created, date_modified: created }
}

/** `customer_Full` of the V2 reference: a bare object. */
export function customerV2(store: Store, customer: Customer, base: string) {
  const profile = customer.profile
  return {
    id: customer.id,
    company: profile?.company ?? '',
    first_name: customer.firstName,
    last_name: customer.lastName,
    email: customer.email,
    phone: profile?.phone ?? '',
    form_fields: [],
    date_created: rfc2822Date(store.customerTimeMs(customer, 'created')),
    date_modified: rfc2822Date(store.customerTimeMs(customer, 'modified')),
    store_credit: '0.0000',
    registration_ip_address: '',
    customer_group_id: groupIdNumber(customer),
    notes: '',
    tax_exempt_category: '',
    reset_pass_on_login: false,
    accepts_marketing: false,
    addresses: { url: `${base}/v2/customers/${customer.id}/addresses`, resource: `/customers/${customer.id}/addresses` },
  }
}

/** `customerGroup_Full` of the V2 reference; its dates as the reference's example writes them (`2023-07-17 06:30:41`). */
export function customerGroupV2(store: Store, group: CustomerGroup) {
  const created = new Date(store.fixtureTimeMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '')
  return {
    id: group.id,
    name: group.name,
    is_default: false,
    date_created: created,
    date_modified: created,
    category_access: { type: 'all' },
    discount_rules: [],
    is_group_for_guests: false,
  }
}

/** `order_Resp` of the V2 reference: the fields the mock keeps, the rest as an order without them shows them. */
export function orderV2(store: Store, order: Order, base: string) {
  const subtotal = order.products.reduce((sum, product) => sum + product.price * product.quantity, 0)
  const items = order.products.reduce((sum, product) => sum + product.quantity, 0)
  const created = rfc2822Date(store.orderTimeMs(order))
  const status = ORDER_STATUSES[order.statusId] ?? ''
  const zero = amount(0)
  const billing = order.billingAddress
  return {
    id: order.id,
    customer_id: order.customerId,
    date_created: created,
    date_modified: created,
    date_shipped: order.statusId === 2 ? created : '',
    status_id: order.statusId,
    status,
    custom_status: status,
    subtotal_ex_tax: amount(subtotal),
    subtotal_inc_tax: amount(subtotal),
    subtotal_tax: zero,
    base_shipping_cost: zero,
    shipping_cost_ex_tax: zero,
    shipping_cost_inc_tax: zero,
    shipping_cost_tax: zero,
    shipping_cost_tax_class_id: 0,
    base_handling_cost: zero,
    handling_cost_ex_tax: zero,
    handling_cost_inc_tax: zero,
    handling_cost_tax: zero,
    handling_cost_tax_class_id: 0,
    base_wrapping_cost: zero,
    wrapping_cost_ex_tax: zero,
    wrapping_cost_inc_tax: zero,
    wrapping_cost_tax: zero,
    wrapping_cost_tax_class_id: 0,
    total_ex_tax: amount(subtotal),
    total_inc_tax: amount(subtotal),
    total_tax: zero,
    is_tax_inclusive_pricing: false,
    items_total: items,
    items_shipped: order.statusId === 2 ? items : 0,
    payment_method: order.paymentMethod,
    payment_provider_id: '',
    payment_status: order.statusId === 0 || order.statusId === 7 ? 'pending' : 'captured',
    refunded_amount: zero,
    order_is_digital: false,
    store_credit_amount: zero,
    gift_certificate_amount: zero,
    ip_address: '',
    geoip_country: '',
    geoip_country_iso2: '',
    currency_id: 1,
    currency_code: order.currencyCode,
    currency_exchange_rate: '1.0000000000',
    default_currency_id: 1,
    default_currency_code: order.currencyCode,
    store_default_currency_code: order.currencyCode,
    store_default_to_transactional_exchange_rate: '1.0000000000',
    staff_notes: '',
    customer_message: '',
    discount_amount: zero,
    coupon_discount: zero,
    shipping_address_count: 0,
    is_deleted: false,
    is_email_opt_in: false,
    order_source: 'www',
    channel_id: order.channelId,
    external_source: null,
    external_id: null,
    external_merchant_id: null,
    tax_provider_id: '',
    customer_locale: 'en',
    external_order_id: '',
    ebay_order_id: '0',
    cart_id: '',
    billing_address: {
      first_name: billing.firstName,
      last_name: billing.lastName,
      company: billing.company,
      street_1: billing.street1,
      street_2: billing.street2,
      city: billing.city,
      state: billing.state,
      zip: billing.zip,
      country: billing.countryIso2 === '' ? '' : countryName(billing.countryIso2),
      country_iso2: billing.countryIso2,
      phone: billing.phone,
      email: billing.email,
      form_fields: [],
    },
    products: { url: `${base}/v2/orders/${order.id}/products`, resource: `/orders/${order.id}/products` },
    shipping_addresses: { url: `${base}/v2/orders/${order.id}/shipping_addresses`, resource: `/orders/${order.id}/shipping_addresses` },
    coupons: { url: `${base}/v2/orders/${order.id}/coupons`, resource: `/orders/${order.id}/coupons` },
  }
}

/** `orderProducts` of the V2 reference: one line of an order. */
export function orderProductV2(order: Order, product: OrderProduct) {
  const price = amount(product.price)
  const total = amount(product.price * product.quantity)
  const zero = amount(0)
  return {
    id: product.id,
    order_id: order.id,
    product_id: product.productId,
    variant_id: product.variantId,
    order_pickup_method_id: 0,
    order_address_id: 0,
    name: product.name,
    name_customer: product.name,
    name_merchant: product.name,
    sku: product.sku,
    upc: '',
    type: 'physical',
    base_price: price,
    price_ex_tax: price,
    price_inc_tax: price,
    price_tax: zero,
    base_total: total,
    total_ex_tax: total,
    total_inc_tax: total,
    total_tax: zero,
    discounted_total_inc_tax: total,
    weight: 0,
    width: zero,
    height: zero,
    depth: zero,
    quantity: product.quantity,
    base_cost_price: zero,
    cost_price_inc_tax: zero,
    cost_price_ex_tax: zero,
    cost_price_tax: zero,
    is_refunded: false,
    quantity_refunded: 0,
    refund_amount: zero,
    return_id: 0,
    wrapping_id: 0,
    wrapping_name: null,
    base_wrapping_cost: zero,
    wrapping_cost_ex_tax: zero,
    wrapping_cost_inc_tax: zero,
    wrapping_cost_tax: zero,
    wrapping_message: '',
    quantity_shipped: order.statusId === 2 ? product.quantity : 0,
    event_name: null,
    event_date: null,
    fixed_shipping_cost: zero,
    ebay_item_id: '',
    ebay_transaction_id: '',
    option_set_id: null,
    parent_order_product_id: null,
    is_bundled_product: false,
    bin_picking_number: '',
    external_id: null,
    brand: '',
    gift_certificate_id: null,
    applied_discounts: [],
    product_options: [],
    configurable_fields: [],
  }
}
