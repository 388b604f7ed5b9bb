import { emailKey } from './rules/customer-rules.js'
import type { Order } from './record-types.js'
import type { Customer } from './types.js'

/**
 * The Management API's reads as plain functions over the store's records: filters, sorts and
 * pages, by the references' query parameters. The store calls them (see the `Store` methods
 * under "the Management API"); routes only turn query strings into these shapes.
 */

/** A page of a list: 1-based `page`, `limit` items each. */
export interface PageRequest {
  page: number
  limit: number
}

/** One page of a list, and how many match in all. */
export interface Page<T> {
  items: T[]
  total: number
}

/** The sorts `GET /v3/customers` takes (`sort=last_name:asc`). */
export const CUSTOMER_SORTS = [
  'date_created:asc',
  'date_created:desc',
  'last_name:asc',
  'last_name:desc',
  'date_modified:asc',
  'date_modified:desc',
] as const
type CustomerSort = (typeof CUSTOMER_SORTS)[number]

/** The filters of `GET /v3/customers` the mock serves; each list matches any of its values. */
export interface CustomerQuery extends PageRequest {
  ids?: readonly number[]
  emails?: readonly string[]
  groupIds?: readonly string[]
  /** `name:in`: "first last", whole, without regard to case. */
  names?: readonly string[]
  /** `name:like`: a part of "first last", without regard to case. */
  nameParts?: readonly string[]
  companies?: readonly string[]
  phones?: readonly string[]
  sort?: CustomerSort
}

/** The filters of `GET /v2/orders` the mock serves. */
export interface OrderQuery extends PageRequest {
  customerId?: number
  email?: string
  statusId?: number
  channelId?: number
  minId?: number
  maxId?: number
  sort?: { field: OrderSortField; descending: boolean }
}

/** The fields `GET /v2/orders` sorts by. */
export const ORDER_SORT_FIELDS = ['id', 'customer_id', 'date_created', 'date_modified', 'status_id', 'channel_id'] as const
export type OrderSortField = (typeof ORDER_SORT_FIELDS)[number]

/** Where customers are looked up: by id and email in O(1), or all of them in id order. */
export interface CustomerSource {
  get(id: number): Customer | undefined
  findByEmail(email: string): Customer | undefined
  all(): Iterable<Customer>
}

/**
 * The customers a query matches, one page of them, in id order unless `sort` says otherwise.
 * `id:in` and `email:in` look each value up (so a query over 100,000 customers that names a few
 * costs a few look-ups); the other filters scan.
 */
export function queryCustomers(
  source: CustomerSource,
  query: CustomerQuery,
  timeOf: (customer: Customer, which: 'created' | 'modified') => number,
): Page<Customer> {
  let candidates: Iterable<Customer>
  if (query.ids) candidates = unique(query.ids.map((id) => source.get(id)))
  else if (query.emails) candidates = unique(query.emails.map((email) => source.findByEmail(email)))
  else candidates = source.all()
  const emailKeys = query.emails && new Set(query.emails.map(emailKey))
  const groupIds = query.groupIds && new Set(query.groupIds)
  const names = query.names?.map((name) => name.toLowerCase())
  const parts = query.nameParts?.map((part) => part.toLowerCase())
  const matches: Customer[] = []
  for (const customer of candidates) {
    if (emailKeys && !emailKeys.has(emailKey(customer.email))) continue
    if (groupIds && !groupIds.has(customer.groupId)) continue
    if (names || parts) {
      const fullName = `${customer.firstName} ${customer.lastName}`.toLowerCase()
      if (names && !names.includes(fullName)) continue
      if (parts && !parts.some((part) => fullName.includes(part))) continue
    }
    if (query.companies && !query.companies.includes(customer.profile?.company ?? '')) continue
    if (query.phones && !query.phones.includes(customer.profile?.phone ?? '')) continue
    matches.push(customer)
  }
  matches.sort(customerOrder(query.sort, timeOf))
  return paginate(matches, query)
}

function customerOrder(
  sort: CustomerSort | undefined,
  timeOf: (customer: Customer, which: 'created' | 'modified') => number,
): (a: Customer, b: Customer) => number {
  const byId = (a: Customer, b: Customer) => a.id - b.id
  if (!sort) return byId
  const [field, direction] = sort.split(':') as [string, 'asc' | 'desc']
  const sign = direction === 'desc' ? -1 : 1
  if (field === 'last_name') return (a, b) => sign * a.lastName.localeCompare(b.lastName) || byId(a, b)
  const which = field === 'date_created' ? 'created' : 'modified'
  return (a, b) => sign * (timeOf(a, which) - timeOf(b, which)) || byId(a, b)
}

/** The orders a query matches, one page of them, by id unless `sort` says otherwise. */
export function queryOrders(orders: Iterable<Order>, query: OrderQuery, createdOf: (order: Order) => number): Page<Order> {
  const email = query.email === undefined ? undefined : emailKey(query.email)
  const matches: Order[] = []
  for (const order of orders) {
    if (query.customerId !== undefined && order.customerId !== query.customerId) continue
    if (email !== undefined && emailKey(order.billingAddress.email) !== email) continue
    if (query.statusId !== undefined && order.statusId !== query.statusId) continue
    if (query.channelId !== undefined && order.channelId !== query.channelId) continue
    if (query.minId !== undefined && order.id < query.minId) continue
    if (query.maxId !== undefined && order.id > query.maxId) continue
    matches.push(order)
  }
  const sort = query.sort
  if (sort) {
    const key = (order: Order): number => {
      switch (sort.field) {
        case 'customer_id':
          return order.customerId
        case 'date_created':
        case 'date_modified':
          return createdOf(order)
        case 'status_id':
          return order.statusId
        case 'channel_id':
          return order.channelId
        default:
          return order.id
      }
    }
    const sign = sort.descending ? -1 : 1
    matches.sort((a, b) => sign * (key(a) - key(b)) || a.id - b.id)
  } else matches.sort((a, b) => a.id - b.id)
  return paginate(matches, query)
}

/** One page of `items`. */
export function paginate<T>(items: readonly T[], page: PageRequest): Page<T> {
  const start = (page.page - 1) * page.limit
  return { items: items.slice(start, start + page.limit), total: items.length }
}

function unique(customers: (Customer | undefined)[]): Customer[] {
  const seen = new Set<number>()
  return customers.filter((customer): customer is Customer => {
    if (!customer || seen.has(customer.id)) return false
    seen.add(customer.id)
    return true
  })
}
