import { join, type FieldReader } from '../field-reader.js'
import { showValue } from '../describe-value.js'
import {
  DEFAULT_CHANNELS,
  ORDER_STATUSES,
  type AttributeType,
  type Channel,
  type CustomerAttribute,
  type CustomerGroup,
  type Order,
  type OrderProduct,
} from '../record-types.js'
import type { Customer } from '../types.js'
import { optionalText } from './profile-rules.js'

/**
 * The rules of the Management API's records a fixture document lists beside its customers:
 * `customer_groups`, `customer_attributes`, `channels` and `orders`. Each entry is checked field
 * by field and every problem is named with its path; ids are unique within their list, and an
 * order names a listed customer and channel. The Management API's own writes
 * (`POST /v3/customers/attributes`) use the same attribute rules.
 */

const CUSTOMER_GROUP_FIELDS = ['id', 'name'] as const
const CUSTOMER_ATTRIBUTE_FIELDS = ['id', 'name', 'type'] as const
const CHANNEL_FIELDS = ['id', 'name'] as const
const ORDER_FIELDS = [
  'id',
  'customer_id',
  'status_id',
  'channel_id',
  'date_created',
  'payment_method',
  'currency_code',
  'products',
] as const
const ORDER_PRODUCT_FIELDS = ['product_id', 'variant_id', 'name', 'sku', 'quantity', 'price'] as const

/** The types a customer attribute may have (BigCommerce's `attribute_Post.type`). */
export const ATTRIBUTE_TYPES = ['string', 'number', 'date'] as const satisfies readonly AttributeType[]

/** Most customer attributes a store has: BigCommerce's documented limit. */
export const MAX_CUSTOMER_ATTRIBUTES_PER_STORE = 50

/** Longest attribute or group name (BigCommerce's `maxLength`). */
const MAX_NAME_LENGTH = 255

/** Most products one order lists; the bound keeps a fixture's orders small. */
const MAX_ORDER_PRODUCTS = 100

/** Largest unit price, in the fixture's units (a mock's prices are demo values). */
const MAX_PRICE = 1_000_000_000

/** Status an order without `status_id` has: Completed. */
const DEFAULT_ORDER_STATUS = 10

const CURRENCY_CODE = { test: /^[A-Z]{3}$/, expected: 'a three-letter currency code in capitals (ISO 4217, e.g. "USD")' }
const PRICE_TEXT = /^\d{1,10}(\.\d{1,4})?$/

/** The reader of an `{id, name}` entry (a customer group, a channel); `idIs` says what its id is. */
function idAndName(reader: FieldReader, idIs: string) {
  return (fields: Record<string, unknown>, path: string): { id: number; name: string } | undefined => {
    const id = reader.integer(fields.id, join(path, 'id'), 1, `${idIs} (a positive whole number)`)
    const name = readName(reader, fields.name, join(path, 'name'))
    return id === undefined || name === undefined ? undefined : { id, name }
  }
}

/** `customer_groups`: `{id, name}` each, ids unique (0 means "no group" and is no group's). */
export function readCustomerGroups(reader: FieldReader, value: unknown): CustomerGroup[] {
  return readIdList(reader, value, 'customer_groups', 'customer group', idAndName(reader, 'a customer group id'), CUSTOMER_GROUP_FIELDS)
}

/** `customer_attributes`: `{id, name, type}` each, ids and names unique, at most {@link MAX_CUSTOMER_ATTRIBUTES_PER_STORE}. */
export function readCustomerAttributes(reader: FieldReader, value: unknown): CustomerAttribute[] {
  // Names are unique without regard to case, as BigCommerce keeps them: the first entry with a name, by its path.
  const names = new Map<string, string>()
  const attributes = readIdList(
    reader,
    value,
    'customer_attributes',
    'customer attribute',
    (fields, path) => {
      const id = reader.integer(fields.id, join(path, 'id'), 1, 'a customer attribute id (a positive whole number)')
      const attribute = readAttributeFields(reader, fields, path)
      if (attribute) {
        const first = names.get(attribute.name.toLowerCase())
        if (first !== undefined) {
          reader.problem(join(path, 'name'), `duplicate attribute name ${showValue(attribute.name)} (also ${first})`)
          return undefined
        }
        names.set(attribute.name.toLowerCase(), path)
      }
      return id === undefined || attribute === undefined ? undefined : { id, ...attribute }
    },
    CUSTOMER_ATTRIBUTE_FIELDS,
  )
  if (attributes.length > MAX_CUSTOMER_ATTRIBUTES_PER_STORE)
    reader.problem(
      'customer_attributes',
      `expected at most ${MAX_CUSTOMER_ATTRIBUTES_PER_STORE} attributes (BigCommerce's limit), got ${attributes.length}`,
    )
  return attributes
}

/** An attribute's `name` and `type` (a fixture entry, or a `POST /v3/customers/attributes` item). */
export function readAttributeFields(
  reader: FieldReader,
  fields: Record<string, unknown>,
  path: string,
): Omit<CustomerAttribute, 'id'> | undefined {
  const name = readName(reader, fields.name, join(path, 'name'))
  const type = reader.oneOf(fields.type, join(path, 'type'), ATTRIBUTE_TYPES)
  return name === undefined || type === undefined ? undefined : { name, type }
}

/** `channels`: `{id, name}` each, ids unique; none listed: the default storefront, channel 1, alone. */
export function readChannels(reader: FieldReader, value: unknown): Channel[] {
  if (value === undefined) return [...DEFAULT_CHANNELS]
  const channels = readIdList(reader, value, 'channels', 'channel', idAndName(reader, 'a channel id'), CHANNEL_FIELDS)
  if (Array.isArray(value) && value.length === 0)
    reader.problem('channels', 'expected at least one channel (leave the key out for channel 1 alone)')
  return channels
}

/**
 * `orders`: each names a customer listed or generated (`customer_id`) and one of the channels;
 * its lines are numbered across the store in fixture order. The billing address is the
 * customer's at load time: their name, email, company, phone and first address.
 */
export function readOrders(
  reader: FieldReader,
  value: unknown,
  lookup: { customer: (id: number) => Customer | undefined; channel: (id: number) => boolean },
): Order[] {
  let nextLineId = 1
  return readIdList(
    reader,
    value,
    'orders',
    'order',
    (fields, path) => {
      const id = reader.integer(fields.id, join(path, 'id'), 1, 'an order id (a positive whole number)')
      const customerId = reader.integer(fields.customer_id, join(path, 'customer_id'), 1, 'a customer id (a positive whole number)')
      const customer = customerId === undefined ? undefined : lookup.customer(customerId)
      if (customerId !== undefined && !customer)
        reader.problem(join(path, 'customer_id'), `no customer has id ${customerId} (orders name a customer of the fixtures)`)
      const statusId =
        fields.status_id === undefined
          ? DEFAULT_ORDER_STATUS
          : reader.integer(fields.status_id, join(path, 'status_id'), 0, 'a status id from 0 to 14')
      if (statusId !== undefined && ORDER_STATUSES[statusId] === undefined)
        reader.problem(join(path, 'status_id'), `expected a status id from 0 to 14 (BigCommerce's order statuses), got ${statusId}`)
      const channelId = fields.channel_id === undefined ? 1 : reader.integer(fields.channel_id, join(path, 'channel_id'), 1, 'a channel id')
      if (channelId !== undefined && !lookup.channel(channelId))
        reader.problem(join(path, 'channel_id'), `no channel has id ${channelId} (see channels; channel 1 when none are listed)`)
      const createdAtMs = fields.date_created === undefined ? undefined : readDate(reader, fields.date_created, join(path, 'date_created'))
      const paymentMethod =
        fields.payment_method === undefined ? 'Manual' : reader.string(fields.payment_method, join(path, 'payment_method'))
      const currencyCode =
        fields.currency_code === undefined ? 'USD' : reader.string(fields.currency_code, join(path, 'currency_code'), CURRENCY_CODE)
      const lines = reader.list(fields.products, join(path, 'products')) ?? []
      if (lines.length === 0 && Array.isArray(fields.products)) reader.problem(join(path, 'products'), 'expected at least one product')
      if (lines.length > MAX_ORDER_PRODUCTS)
        reader.problem(join(path, 'products'), `expected at most ${MAX_ORDER_PRODUCTS} products, got ${lines.length}`)
      const products = lines.slice(0, MAX_ORDER_PRODUCTS).flatMap((line, index) => {
        const product = readOrderProduct(reader, line, `${join(path, 'products')}[${index}]`, nextLineId)
        if (product) nextLineId++
        return product ? [product] : []
      })
      if (
        id === undefined ||
        customer === undefined ||
        statusId === undefined ||
        channelId === undefined ||
        paymentMethod === undefined ||
        currencyCode === undefined
      )
        return undefined
      if (fields.date_created !== undefined && createdAtMs === undefined) return undefined
      const address = customer.profile?.addresses[0]
      return {
        id,
        customerId: customer.id,
        statusId,
        channelId,
        ...(createdAtMs !== undefined && { createdAtMs }),
        paymentMethod,
        currencyCode,
        billingAddress: {
          firstName: customer.firstName,
          lastName: customer.lastName,
          company: address?.company || customer.profile?.company || '',
          street1: address?.address1 ?? '',
          street2: address?.address2 ?? '',
          city: address?.city ?? '',
          state: address?.stateOrProvince ?? '',
          zip: address?.postalCode ?? '',
          countryIso2: address?.countryCode ?? '',
          phone: address?.phone || customer.profile?.phone || '',
          email: customer.email,
        },
        products,
      }
    },
    ORDER_FIELDS,
  )
}

function readOrderProduct(reader: FieldReader, entry: unknown, path: string, lineId: number): OrderProduct | undefined {
  const fields = reader.object(entry, path, ORDER_PRODUCT_FIELDS)
  if (!fields) return undefined
  const productId = reader.integer(fields.product_id, join(path, 'product_id'), 1, 'a product id (a positive whole number)')
  const variantId =
    fields.variant_id === undefined
      ? 0
      : reader.integer(fields.variant_id, join(path, 'variant_id'), 1, 'a variant id (a positive whole number)')
  const name = readName(reader, fields.name, join(path, 'name'))
  const sku = optionalText(reader, fields.sku, join(path, 'sku'), MAX_NAME_LENGTH)
  const quantity = fields.quantity === undefined ? 1 : reader.integer(fields.quantity, join(path, 'quantity'), 1, 'a positive whole number')
  const price = readPrice(reader, fields.price, join(path, 'price'))
  if (productId === undefined || variantId === undefined || name === undefined || quantity === undefined || price === undefined)
    return undefined
  if (quantity > 10_000) {
    reader.problem(join(path, 'quantity'), `expected at most 10000, got ${quantity}`)
    return undefined
  }
  return { id: lineId, productId, variantId, name, sku, quantity, price }
}

/** A price: a number, or a decimal string with up to four decimals (`"12.50"`), from 0; as whole ten-thousandths. */
function readPrice(reader: FieldReader, value: unknown, path: string): number | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value.toFixed(4) : value
  if (typeof text !== 'string' || !PRICE_TEXT.test(text) || Number(text) > MAX_PRICE) {
    reader.problem(
      path,
      `expected a price from 0 to ${MAX_PRICE} (a number, or a decimal string such as "12.50"), got ${reader.describe(value)}`,
    )
    return undefined
  }
  const [whole = '0', fraction = ''] = text.split('.')
  return Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'))
}

/** A date in ISO 8601 (`2024-05-01` or `2024-05-01T10:00:00Z`), as epoch milliseconds. */
function readDate(reader: FieldReader, value: unknown, path: string): number | undefined {
  const ms =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN
  if (!Number.isFinite(ms) || ms < 0) {
    reader.problem(path, `expected a date in ISO 8601 (e.g. "2024-05-01T10:00:00Z"), got ${reader.describe(value)}`)
    return undefined
  }
  return ms
}

function readName(reader: FieldReader, value: unknown, path: string): string | undefined {
  const name = reader.string(value, path)
  if (name !== undefined && name.length > MAX_NAME_LENGTH) {
    reader.problem(path, `expected at most ${MAX_NAME_LENGTH} characters, got ${name.length}`)
    return undefined
  }
  return name
}

// A list of entries with unique `id`s, each read by `read` under `key[index]`; absent: none.
function readIdList<T extends { id: number }>(
  reader: FieldReader,
  value: unknown,
  key: string,
  what: string,
  read: (fields: Record<string, unknown>, path: string) => T | undefined,
  allowed: readonly string[],
): T[] {
  if (value === undefined) return []
  const list = reader.list(value, key) ?? []
  const seen = new Map<number, number>()
  return list.flatMap((entry, index) => {
    const path = `${key}[${index}]`
    const fields = reader.object(entry, path, allowed)
    if (!fields) return []
    const item = read(fields, path)
    if (!item) return []
    const first = seen.get(item.id)
    if (first !== undefined) {
      reader.problem(join(path, 'id'), `duplicate ${what} id ${item.id} (also ${key}[${first}])`)
      return []
    }
    seen.set(item.id, index)
    return [item]
  })
}

/**
 * A country's English name from its ISO 3166-1 alpha-2 code (`US` -> `United States`); the code itself when the runtime knows no name.
 * Only the answers call it, and its names are made on first use: making them loads the runtime's region data (about 11 ms), which no start needs.
 */
export function countryName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' })
    return regionNames.of(code) ?? code
  } catch {
    return code
  }
}

let regionNames: Intl.DisplayNames | undefined
