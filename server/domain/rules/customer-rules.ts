import { join, readEntry, type FieldReader } from '../field-reader.js'
import type { FixtureCustomer } from '../fixture-document.js'
import type { Customer } from '../types.js'
import { PROFILE_FIELDS, readCustomerProfile } from './profile-rules.js'

/**
 * The rules of customers, for every way one comes in: the fixture file (and `--watch`), and
 * customers added or changed at run time (`POST`/`PATCH /__mock/customers`, `app.mock`). The
 * fixture parser and the {@link Store} both call these, so a new customer rule written here
 * holds for all of them. `openapi/mock-control.yaml` restates them (`Email`, `GroupId`,
 * `CustomerIdValue`), and test/control/rules-sync.test.ts keeps it equal to these.
 */

/** The fields a customer entry may have (the control API's); a fixture's may also have the profile's (`PROFILE_FIELDS`). */
export const CUSTOMER_FIELDS = ['id', 'email', 'password', 'group_id', 'first_name', 'last_name'] as const

const ENTRY_FIELDS: readonly string[] = [...CUSTOMER_FIELDS, ...PROFILE_FIELDS]

/** Largest customer id (and group id): 2^53-1, the largest whole number a JSON number holds exactly. */
export const MAX_CUSTOMER_ID = Number.MAX_SAFE_INTEGER

/** What an email must look like: something, `@`, something, no white space. Loose on purpose: a mock takes any address a test makes up. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/

/** A customer group id given as a string: digits only (a number must be a whole number from 0). */
export const GROUP_ID_PATTERN = /^\d+$/

/** What a customer entry that leaves a field out gets. */
export const CUSTOMER_DEFAULTS = { groupId: '0', firstName: 'Demo', lastName: 'Customer' } as const

const EMAIL = { test: EMAIL_PATTERN, expected: 'an email address' }

/** Is `value` a customer id: a whole number from 1 to {@link MAX_CUSTOMER_ID}? */
export function isCustomerId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1
}

/** The key two emails are compared by: they are the same address whatever their case. */
export function emailKey(email: string): string {
  return email.toLowerCase()
}

/** A customer group id (customers' and apps' `group_id`): digits, or a whole number kept as a string, as tokens carry it. */
export function readGroupId(reader: FieldReader, value: unknown, path: string): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value)
  if (typeof value === 'string' && GROUP_ID_PATTERN.test(value)) return value
  reader.problem(path, `expected a customer group id (digits, e.g. "6"), got ${reader.describe(value)}`)
  return undefined
}

/** What {@link readCustomerEntry} read: the customer, and its id and email even when another field is wrong (to check them for clashes all the same). */
export interface CustomerRead {
  customer: Customer | undefined
  id: number | undefined
  email: string | undefined
}

/**
 * One customer entry checked field by field, each problem noted in `reader` under `path` (e.g.
 * `customers[3]`); the customer is undefined when a field is wrong. Defaults:
 * {@link CUSTOMER_DEFAULTS}; no password (absent) is an empty one: the customer cannot sign in
 * until one is set. The profile fields (`PROFILE_FIELDS`) are read by the profile rules.
 */
export function readCustomerEntry(reader: FieldReader, entry: unknown, path: string): CustomerRead {
  const fields = reader.object(entry, path, ENTRY_FIELDS)
  if (!fields) return { customer: undefined, id: undefined, email: undefined }
  const id = reader.integer(fields.id, join(path, 'id'), 1, 'a positive whole number')
  const email = reader.string(fields.email, join(path, 'email'), EMAIL)
  const password = fields.password === undefined ? '' : reader.string(fields.password, join(path, 'password'), undefined, true)
  const groupId = fields.group_id === undefined ? CUSTOMER_DEFAULTS.groupId : readGroupId(reader, fields.group_id, join(path, 'group_id'))
  const firstName =
    fields.first_name === undefined ? CUSTOMER_DEFAULTS.firstName : reader.string(fields.first_name, join(path, 'first_name'))
  const lastName = fields.last_name === undefined ? CUSTOMER_DEFAULTS.lastName : reader.string(fields.last_name, join(path, 'last_name'))
  const problems = reader.problems.length
  const profile = readCustomerProfile(reader, fields, path, { firstName, lastName })
  const complete =
    reader.problems.length === problems &&
    id !== undefined &&
    email !== undefined &&
    password !== undefined &&
    groupId !== undefined &&
    firstName !== undefined &&
    lastName !== undefined
  const customer: Customer | undefined = complete
    ? { id, email, password, groupId, firstName, lastName, ...(profile !== undefined && { profile }) }
    : undefined
  return { customer, id, email }
}

/** Where the ids and emails already in use are looked up: the entries read so far, or the store's customers. */
export interface TakenCustomers<Owner> {
  withId(id: number): Owner | undefined
  /** By {@link emailKey}. */
  withEmail(email: string): Owner | undefined
}

/** A field of a customer that another already has, and who has it. */
export interface CustomerClash<Owner> {
  field: 'id' | 'email'
  owner: Owner
}

/**
 * The uniqueness rule: no two customers share an id, nor an email (compared by
 * {@link emailKey}). The clashes of `customer` (either field may be missing, when it was
 * invalid) with those `taken`, id first.
 */
export function customerClashes<Owner>(
  customer: { id?: number | undefined; email?: string | undefined },
  taken: TakenCustomers<Owner>,
): CustomerClash<Owner>[] {
  const clashes: CustomerClash<Owner>[] = []
  const byId = customer.id === undefined ? undefined : taken.withId(customer.id)
  if (byId !== undefined) clashes.push({ field: 'id', owner: byId })
  const byEmail = customer.email === undefined ? undefined : taken.withEmail(customer.email)
  if (byEmail !== undefined) clashes.push({ field: 'email', owner: byEmail })
  return clashes
}

/** One customer entry checked by {@link readCustomerEntry}, for a customer added or changed at run time: a 400 naming the field. */
export function checkCustomerEntry(entry: FixtureCustomer): Customer {
  return readEntry((reader, path) => readCustomerEntry(reader, entry, path).customer)
}

/** A customer as a fixture entry of its sign-in fields (for merging changes into it; the profile is kept apart). */
export function customerEntry(customer: Customer): FixtureCustomer {
  return {
    id: customer.id,
    email: customer.email,
    ...(customer.password !== '' && { password: customer.password }),
    group_id: customer.groupId,
    first_name: customer.firstName,
    last_name: customer.lastName,
  }
}
