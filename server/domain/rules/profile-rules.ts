import { join, type FieldReader } from '../field-reader.js'
import type { AddressType, AttributeValue, CustomerAddress, CustomerProfile } from '../record-types.js'

/** Where a fixture file's list entry is: `addresses[0]`. */
const FIXTURE_ENTRY_PATH = (path: string, index: number) => `${path}[${index}]`

/**
 * The rules of a customer's profile: what the Management API shows of a customer beyond a
 * sign-in (company, phone, addresses, attribute values). Read from a fixture's customer entry
 * and from the Management API's `POST /v3/customers` body alike, with BigCommerce's field names
 * and bounds (the V3 reference's `customer_Post` and `customerAddresses_CustomerPost`).
 */

/** The profile fields a customer entry may have beside the sign-in ones (`CUSTOMER_FIELDS`). */
export const PROFILE_FIELDS = ['company', 'phone', 'addresses', 'attributes'] as const

/** The fields of an address entry. */
const ADDRESS_FIELDS = [
  'id',
  'first_name',
  'last_name',
  'company',
  'address1',
  'address2',
  'city',
  'state_or_province',
  'postal_code',
  'country_code',
  'phone',
  'address_type',
] as const

/** The fields of an attribute value entry of a customer. */
const ATTRIBUTE_VALUE_FIELDS = ['attribute_id', 'value'] as const

/** Most addresses, and attribute values, one customer has (BigCommerce's `maxItems`). */
export const MAX_CUSTOMER_ADDRESSES = 10
export const MAX_CUSTOMER_ATTRIBUTES = 10

/** Longest attribute value (BigCommerce's `maxLength`). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 255

/** The address types there are. */
export const ADDRESS_TYPES = ['residential', 'commercial'] as const satisfies readonly AddressType[]

/** Longest value of each free-text field, as the V3 reference bounds it. */
const MAX_LENGTH: Record<string, number> = {
  company: 255,
  phone: 50,
  first_name: 255,
  last_name: 255,
  address1: 255,
  address2: 255,
  city: 100,
  state_or_province: 100,
  postal_code: 30,
}

const COUNTRY_CODE = /^[A-Za-z]{2}$/

/**
 * Read the profile fields of a customer entry (each problem noted under `path`); undefined when
 * the entry has none of them. Address and attribute value ids not given are 0: the caller
 * numbers them (see {@link numberProfile}).
 */
export function readCustomerProfile(
  reader: FieldReader,
  fields: Record<string, unknown>,
  path: string,
  names: { firstName?: string | undefined; lastName?: string | undefined } = {},
): CustomerProfile | undefined {
  if (PROFILE_FIELDS.every((field) => fields[field] === undefined)) return undefined
  const company = optionalText(reader, fields.company, join(path, 'company'), MAX_LENGTH.company ?? 255)
  const phone = optionalText(reader, fields.phone, join(path, 'phone'), MAX_LENGTH.phone ?? 50)
  const addresses = reader.entries(
    fields.addresses,
    join(path, 'addresses'),
    MAX_CUSTOMER_ADDRESSES,
    (entry, at) => readAddress(reader, entry, at, names),
    FIXTURE_ENTRY_PATH,
  )
  const once = oneValuePerAttribute(reader)
  const attributes = reader.entries(
    fields.attributes,
    join(path, 'attributes'),
    MAX_CUSTOMER_ATTRIBUTES,
    (entry, at) => once(readAttributeValue(reader, entry, at), at),
    FIXTURE_ENTRY_PATH,
  )
  return { company, phone, addresses, attributes }
}

/** One address entry (V3 field names); `first_name` and `last_name` default to the customer's. */
export function readAddress(
  reader: FieldReader,
  entry: unknown,
  path: string,
  names: { firstName?: string | undefined; lastName?: string | undefined } = {},
): CustomerAddress | undefined {
  const fields = reader.object(entry, path, ADDRESS_FIELDS)
  if (!fields) return undefined
  const text = (key: (typeof ADDRESS_FIELDS)[number], fallback = '') =>
    fields[key] === undefined ? fallback : optionalText(reader, fields[key], join(path, key), MAX_LENGTH[key] ?? 255)
  const id = fields.id === undefined ? 0 : reader.integer(fields.id, join(path, 'id'), 1, 'a positive whole number')
  const address1 = requiredText(reader, fields.address1, path, 'address1')
  const city = requiredText(reader, fields.city, path, 'city')
  const countryCode = reader.string(fields.country_code, join(path, 'country_code'), {
    test: COUNTRY_CODE,
    expected: 'a two-letter country code (ISO 3166-1, e.g. "US")',
  })
  const addressType =
    fields.address_type === undefined ? 'residential' : reader.oneOf(fields.address_type, join(path, 'address_type'), ADDRESS_TYPES)
  if (id === undefined || address1 === undefined || city === undefined || countryCode === undefined || addressType === undefined)
    return undefined
  return {
    id,
    firstName: text('first_name', names.firstName ?? ''),
    lastName: text('last_name', names.lastName ?? ''),
    company: text('company'),
    address1,
    address2: text('address2'),
    city,
    stateOrProvince: text('state_or_province'),
    postalCode: text('postal_code'),
    countryCode: countryCode.toUpperCase(),
    phone: text('phone'),
    addressType,
  }
}

/** One attribute value of a customer: `attribute_id` and `value` (a string; a number is taken as its text). */
function readAttributeValue(reader: FieldReader, entry: unknown, path: string): AttributeValue | undefined {
  const fields = reader.object(entry, path, ATTRIBUTE_VALUE_FIELDS)
  if (!fields) return undefined
  const attributeId = reader.integer(
    fields.attribute_id,
    join(path, 'attribute_id'),
    1,
    'a customer attribute id (a positive whole number)',
  )
  const value = readAttributeText(reader, fields.value, join(path, 'value'))
  if (attributeId === undefined || value === undefined) return undefined
  return { id: 0, attributeId, value }
}

/** An attribute value: a string of at most {@link MAX_ATTRIBUTE_VALUE_LENGTH} characters (a finite number is taken as its text). */
export function readAttributeText(reader: FieldReader, value: unknown, path: string): string | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value
  if (typeof text !== 'string') {
    reader.problem(path, `expected a string (attribute values are strings, whatever the attribute's type), got ${reader.describe(value)}`)
    return undefined
  }
  if (text.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
    reader.problem(path, `expected at most ${MAX_ATTRIBUTE_VALUE_LENGTH} characters, got ${text.length}`)
    return undefined
  }
  return text
}

/**
 * Number a profile's addresses and attribute values that have no id yet (0), from the
 * allocators: ids are unique across the store, so `id` alone names an address or a value.
 */
export function numberProfile(profile: CustomerProfile, next: { address: () => number; attributeValue: () => number }): CustomerProfile {
  if (profile.addresses.every((address) => address.id !== 0) && profile.attributes.every((value) => value.id !== 0)) return profile
  return {
    ...profile,
    addresses: profile.addresses.map((address) => (address.id === 0 ? { ...address, id: next.address() } : address)),
    attributes: profile.attributes.map((value) => (value.id === 0 ? { ...value, id: next.attributeValue() } : value)),
  }
}

/** A string that may be empty (BigCommerce shows an empty string for a field with no value), at most `max` characters. */
export function optionalText(reader: FieldReader, value: unknown, path: string, max: number): string {
  if (value === undefined) return ''
  if (typeof value !== 'string') {
    reader.problem(path, `expected a string, got ${reader.describe(value)}`)
    return ''
  }
  if (value.length > max) reader.problem(path, `expected at most ${max} characters, got ${value.length}`)
  return value
}

function requiredText(reader: FieldReader, value: unknown, path: string, key: string): string | undefined {
  const text = reader.string(value, join(path, key))
  const max = MAX_LENGTH[key] ?? 255
  if (text !== undefined && text.length > max) {
    reader.problem(join(path, key), `expected at most ${max} characters, got ${text.length}`)
    return undefined
  }
  return text
}

/**
 * The rule "one value per attribute" of a customer's list: answers a check that passes a value
 * on, or refuses (naming the first entry's path) one whose attribute the list already had.
 */
export function oneValuePerAttribute(
  reader: FieldReader,
): <T extends { attributeId: number }>(value: T | undefined, at: string) => T | undefined {
  const seen = new Map<number, string>()
  return (value, at) => {
    if (!value) return undefined
    const first = seen.get(value.attributeId)
    if (first !== undefined) {
      reader.problem(join(at, 'attribute_id'), `duplicate attribute ${value.attributeId} (also ${first})`)
      return undefined
    }
    seen.set(value.attributeId, at)
    return value
  }
}
