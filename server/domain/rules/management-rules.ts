import { ERRORS } from '../../errors.js'
import { FieldReader, join } from '../field-reader.js'
import type { AttributeValue, CustomerAddress, CustomerAttribute } from '../record-types.js'
import { EMAIL_PATTERN, isCustomerId, MAX_CUSTOMER_ID } from './customer-rules.js'
import {
  MAX_CUSTOMER_ADDRESSES,
  MAX_CUSTOMER_ATTRIBUTES,
  oneValuePerAttribute,
  optionalText,
  readAddress,
  readAttributeText,
} from './profile-rules.js'
import { readAttributeFields } from './record-rules.js'

/** Where an API body's list entry is: `addresses.0`, as BigCommerce's error fields name it. */
const API_ENTRY_PATH = (path: string, index: number) => `${path}.${index}`

/**
 * The rules of what an app writes through the Management API: the bodies of
 * `POST`/`PUT /v3/customers`, `POST /v3/customers/attributes`,
 * `PUT /v3/customers/attribute-values` and `POST /v3/customers/validate-credentials`, by the V3
 * reference's schemas (`customer_Post`, `customer_Put`, `attribute_Post`, `attributeValue_Base`,
 * `ValidateCustomerCredentialsObject`). A field the reference defines but the mock does not keep
 * (`notes`, `channel_ids`, ...) is accepted and named in `ignored`; any other is refused. A body
 * that breaks a rule is BigCommerce's `422` naming the first field at fault (`0.email`), a batch
 * longer than BigCommerce takes its `413`. The field rules are the customer and profile rules'.
 */

/** Most items one `POST`/`PUT /v3/customers` takes, and customers one `PUT .../attribute-values` names (BigCommerce's limit). */
export const MAX_BATCH = 10

/** Fields of `customer_Post` the mock keeps. */
const CREATE_FIELDS = [
  'email',
  'first_name',
  'last_name',
  'company',
  'phone',
  'customer_group_id',
  'addresses',
  'attributes',
  'authentication',
] as const
/** Fields of `customer_Put` the mock keeps (sub-resources are not updated here, as on BigCommerce). */
const UPDATE_FIELDS = ['id', 'email', 'first_name', 'last_name', 'company', 'phone', 'customer_group_id', 'authentication'] as const
/** Fields the reference defines for customers that the mock accepts and does not keep. */
export const IGNORED_CUSTOMER_FIELDS = [
  'notes',
  'tax_exempt_category',
  'registration_ip_address',
  'accepts_product_review_abandoned_cart_emails',
  'store_credit_amounts',
  'origin_channel_id',
  'channel_ids',
  'form_fields',
  'trigger_account_created_notification',
] as const
const AUTHENTICATION_FIELDS = ['new_password', 'force_password_reset'] as const
const ADDRESS_REQUIRED = ['first_name', 'last_name', 'address1', 'city', 'country_code'] as const

/** Longest email and name (the reference's `maxLength`). */
const MAX_EMAIL_LENGTH = 255
const MAX_PERSON_NAME_LENGTH = 100

/** A customer to create, read from one `POST /v3/customers` item. */
export interface CustomerCreate {
  email: string
  firstName: string
  lastName: string
  company: string
  phone: string
  groupId: string
  /** Empty: none (the customer cannot sign in until one is set). */
  password: string
  /** Ids 0: the store numbers them. */
  addresses: CustomerAddress[]
  attributes: AttributeValue[]
  /** Fields accepted and not kept. */
  ignored: string[]
}

/** Changes to a customer, read from one `PUT /v3/customers` item; absent fields stay. */
export interface CustomerUpdate {
  id: number
  email?: string
  firstName?: string
  lastName?: string
  company?: string
  phone?: string
  groupId?: string
  password?: string
  ignored: string[]
}

/** One item of `PUT /v3/customers/attribute-values`. */
export interface AttributeValueUpsert {
  customerId: number
  attributeId: number
  value: string
}

/** The body of `POST /v3/customers/validate-credentials`. */
export interface Credentials {
  email: string
  password: string
  /** Channel 1 when the body names none. */
  channelId: number
}

/**
 * Read a batch body: a JSON array of 1 to `max` items, each read by `read` under its index. The
 * first problem is a 422 naming its field (`1.email`); more than `max` items a 413.
 */
export function readBatch<T>(
  body: unknown,
  what: string,
  max: number,
  read: (reader: FieldReader, item: unknown, path: string) => T | undefined,
): T[] {
  if (!Array.isArray(body)) throw ERRORS.apiInvalid('body', `The request body must be a JSON array of ${what}, got ${describe(body)}.`)
  if (body.length === 0) throw ERRORS.apiInvalid('body', `The request body must list at least one ${what.replace(/s$/, '')}.`)
  if (body.length > max) throw ERRORS.apiBatchTooLarge(max, body.length)
  const reader = new FieldReader('request body')
  const items = (body as unknown[]).map((item, index) => read(reader, item, String(index)))
  throwFirst(reader)
  return items.map((item) => {
    if (item === undefined) throw ERRORS.apiInvalid('body', 'The request body describes nothing.')
    return item
  })
}

/** Read a single-object body by `read`; the first problem is a 422 naming its field. */
export function readObjectBody<T>(body: unknown, read: (reader: FieldReader, body: unknown) => T | undefined): T {
  const reader = new FieldReader('request body')
  const value = read(reader, body)
  throwFirst(reader)
  if (value === undefined) throw ERRORS.apiInvalid('body', 'The request body describes nothing.')
  return value
}

/** One `customer_Post` item. */
export function readCustomerCreate(reader: FieldReader, item: unknown, path: string): CustomerCreate | undefined {
  const fields = reader.object(item, path, [...CREATE_FIELDS, ...IGNORED_CUSTOMER_FIELDS])
  if (!fields) return undefined
  const email = readEmail(reader, fields.email, join(path, 'email'))
  const firstName = readPersonName(reader, fields.first_name, join(path, 'first_name'))
  const lastName = readPersonName(reader, fields.last_name, join(path, 'last_name'))
  const company = optionalText(reader, fields.company, join(path, 'company'), 255)
  const phone = optionalText(reader, fields.phone, join(path, 'phone'), 50)
  const groupId =
    fields.customer_group_id === undefined ? '0' : readGroupIdNumber(reader, fields.customer_group_id, join(path, 'customer_group_id'))
  const password = readAuthentication(reader, fields.authentication, join(path, 'authentication')) ?? ''
  const addresses = reader.entries(
    fields.addresses,
    join(path, 'addresses'),
    MAX_CUSTOMER_ADDRESSES,
    (entry, at) => {
      if (typeof entry === 'object' && entry !== null && !Array.isArray(entry))
        for (const key of ADDRESS_REQUIRED)
          if ((entry as Record<string, unknown>)[key] === undefined) reader.problem(join(at, key), 'is required')
      return readAddress(reader, entry, at)
    },
    API_ENTRY_PATH,
  )
  const once = oneValuePerAttribute(reader)
  const attributes = reader.entries(
    fields.attributes,
    join(path, 'attributes'),
    MAX_CUSTOMER_ATTRIBUTES,
    (entry, at) => once(readCustomerAttributeValue(reader, entry, at), at),
    API_ENTRY_PATH,
  )
  if (email === undefined || firstName === undefined || lastName === undefined || groupId === undefined) return undefined
  return { email, firstName, lastName, company, phone, groupId, password, addresses, attributes, ignored: ignoredIn(fields) }
}

/** One `customer_Put` item: `id` and the fields to change. */
export function readCustomerUpdate(reader: FieldReader, item: unknown, path: string): CustomerUpdate | undefined {
  const fields = reader.object(item, path, [...UPDATE_FIELDS, ...IGNORED_CUSTOMER_FIELDS, 'addresses', 'attributes'])
  if (!fields) return undefined
  for (const key of ['addresses', 'attributes'] as const)
    if (fields[key] !== undefined)
      reader.problem(
        join(path, key),
        `is not updated by PUT /v3/customers (sub-resources are not, as on BigCommerce); use ${key === 'attributes' ? 'PUT /v3/customers/attribute-values' : 'the addresses endpoints'}`,
      )
  const id = readCustomerId(reader, fields.id, join(path, 'id'))
  const update: CustomerUpdate = { id: id ?? 0, ignored: ignoredIn(fields) }
  if (fields.email !== undefined) {
    const email = readEmail(reader, fields.email, join(path, 'email'))
    if (email !== undefined) update.email = email
  }
  for (const [key, name] of [
    ['first_name', 'firstName'],
    ['last_name', 'lastName'],
  ] as const) {
    if (fields[key] === undefined) continue
    const value = readPersonName(reader, fields[key], join(path, key))
    if (value !== undefined) update[name] = value
  }
  if (fields.company !== undefined) update.company = optionalText(reader, fields.company, join(path, 'company'), 255)
  if (fields.phone !== undefined) update.phone = optionalText(reader, fields.phone, join(path, 'phone'), 50)
  if (fields.customer_group_id !== undefined) {
    const groupId = readGroupIdNumber(reader, fields.customer_group_id, join(path, 'customer_group_id'))
    if (groupId !== undefined) update.groupId = groupId
  }
  const password = readAuthentication(reader, fields.authentication, join(path, 'authentication'))
  if (password !== undefined) update.password = password
  return id === undefined ? undefined : update
}

/** One `attribute_Post` item: `name` and `type`. */
export function readAttributeCreate(reader: FieldReader, item: unknown, path: string): Omit<CustomerAttribute, 'id'> | undefined {
  const fields = reader.object(item, path, ['name', 'type'])
  return fields ? readAttributeFields(reader, fields, path) : undefined
}

/** One `attributeValue_Base` item: `customer_id`, `attribute_id`, `value` (a string), and an `id` the upsert does not need. */
export function readAttributeValueUpsert(reader: FieldReader, item: unknown, path: string): AttributeValueUpsert | undefined {
  const fields = reader.object(item, path, ['id', 'attribute_id', 'value', 'customer_id'])
  if (!fields) return undefined
  if (fields.id !== undefined) reader.integer(fields.id, join(path, 'id'), 1, 'an attribute value id (a positive whole number)')
  const customerId = readCustomerId(reader, fields.customer_id, join(path, 'customer_id'))
  const attributeId = reader.integer(
    fields.attribute_id,
    join(path, 'attribute_id'),
    1,
    'a customer attribute id (a positive whole number)',
  )
  const value = readStrictString(reader, fields.value, join(path, 'value'))
  if (customerId === undefined || attributeId === undefined || value === undefined) return undefined
  return { customerId, attributeId, value }
}

/** The body of `POST /v3/customers/validate-credentials`: `email`, `password`, `channel_id` (default 1). */
export function readCredentials(reader: FieldReader, body: unknown): Credentials | undefined {
  const fields = reader.object(body, '', ['email', 'password', 'channel_id'])
  if (!fields) return undefined
  if (typeof fields.email !== 'string') reader.problem('email', `expected a string, got ${reader.describe(fields.email)}`)
  // The password is never echoed, whatever it is.
  if (typeof fields.password !== 'string')
    reader.problem('password', `expected a string, got ${fields.password === undefined ? 'nothing (the key is missing)' : 'another type'}`)
  const channelId =
    fields.channel_id === undefined || fields.channel_id === null
      ? 1
      : reader.integer(fields.channel_id, 'channel_id', 1, 'a channel id (a positive whole number)')
  if (typeof fields.email !== 'string' || typeof fields.password !== 'string' || channelId === undefined) return undefined
  return { email: fields.email, password: fields.password, channelId }
}

function readCustomerAttributeValue(reader: FieldReader, entry: unknown, path: string): AttributeValue | undefined {
  const fields = reader.object(entry, path, ['attribute_id', 'attribute_value'])
  if (!fields) return undefined
  const attributeId = reader.integer(
    fields.attribute_id,
    join(path, 'attribute_id'),
    1,
    'a customer attribute id (a positive whole number)',
  )
  const value = readStrictString(reader, fields.attribute_value, join(path, 'attribute_value'))
  return attributeId === undefined || value === undefined ? undefined : { id: 0, attributeId, value }
}

// An attribute value as the API takes it: a JSON string, as the reference says, of at most 255 characters.
function readStrictString(reader: FieldReader, value: unknown, path: string): string | undefined {
  if (typeof value !== 'string') {
    reader.problem(path, `expected a string (attribute values are strings, whatever the attribute's type), got ${reader.describe(value)}`)
    return undefined
  }
  return readAttributeText(reader, value, path)
}

function readEmail(reader: FieldReader, value: unknown, path: string): string | undefined {
  const email = reader.string(value, path, { test: EMAIL_PATTERN, expected: 'an email address', maxLength: MAX_EMAIL_LENGTH })
  return email?.trim()
}

function readPersonName(reader: FieldReader, value: unknown, path: string): string | undefined {
  const name = reader.string(value, path)
  if (name !== undefined && name.length > MAX_PERSON_NAME_LENGTH) {
    reader.problem(path, `expected at most ${MAX_PERSON_NAME_LENGTH} characters, got ${name.length}`)
    return undefined
  }
  return name
}

// `customer_group_id`: an integer here, kept as the string a token carries (the customer rules' group id).
function readGroupIdNumber(reader: FieldReader, value: unknown, path: string): string | undefined {
  const id = reader.integer(value, path, 0, 'a customer group id (a whole number from 0; 0 is no group)')
  if (id !== undefined && id > MAX_CUSTOMER_ID) {
    reader.problem(path, `expected a whole number up to ${MAX_CUSTOMER_ID}, got ${id}`)
    return undefined
  }
  return id === undefined ? undefined : String(id)
}

function readCustomerId(reader: FieldReader, value: unknown, path: string): number | undefined {
  if (isCustomerId(value)) return value
  reader.problem(path, `expected a customer id (a positive whole number), got ${reader.describe(value)}`)
  return undefined
}

// `authentication.new_password` (a secret: never echoed); undefined when none is given.
function readAuthentication(reader: FieldReader, value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined
  const fields = reader.object(value, path, AUTHENTICATION_FIELDS)
  if (!fields) return undefined
  if (fields.force_password_reset !== undefined && typeof fields.force_password_reset !== 'boolean')
    reader.problem(join(path, 'force_password_reset'), `expected true or false, got ${reader.describe(fields.force_password_reset)}`)
  if (fields.new_password === undefined) return undefined
  return reader.string(fields.new_password, join(path, 'new_password'), undefined, true)
}

function ignoredIn(fields: Record<string, unknown>): string[] {
  return IGNORED_CUSTOMER_FIELDS.filter((field) => fields[field] !== undefined)
}

function throwFirst(reader: FieldReader): void {
  const problem = reader.problems[0]
  if (problem) throw ERRORS.apiInvalid(problem.path || 'body', `${problem.path ? `${problem.path}: ` : ''}${problem.message}.`)
}

function describe(value: unknown): string {
  return new FieldReader('').describe(value)
}
