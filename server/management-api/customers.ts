import type { FieldReader } from '../domain/field-reader.js'
import { CUSTOMER_SORTS } from '../domain/management-queries.js'
import {
  MAX_BATCH,
  readBatch,
  readCredentials,
  readCustomerCreate,
  readCustomerUpdate,
  readObjectBody,
} from '../domain/rules/management-rules.js'
import type { Store } from '../domain/store.js'
import type { Customer } from '../domain/types.js'
import { ERRORS } from '../errors.js'
import { NO_CONTENT, ok, type ApiNotes, type ApiRequest, type Operation } from './operation.js'
import { collection, noQuery, QueryReader } from './query.js'
import { customerV2, customerV3, CUSTOMER_INCLUDES, type CustomerInclude } from './views.js'

const V3 = '/v3/customers'

/** The query parameters of `GET /v3/customers` the mock serves. */
const LIST_PARAMETERS = [
  'id:in',
  'email:in',
  'customer_group_id:in',
  'name:in',
  'name:like',
  'company:in',
  'phone:in',
  'include',
  'sort',
  'page',
  'limit',
] as const

/** What a write answers with: the customers as `include=addresses,attributes` shows them. */
const WRITE_INCLUDES: ReadonlySet<CustomerInclude> = new Set(['addresses', 'attributes'])

/** The one id a query's `name` lists, if it lists exactly one (`id:in=4927`): who the request is about. */
export function singleId(request: ApiRequest, name: string): number | undefined {
  const value = request.query[name]
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined
}

/** A whole number from 1 in a path segment; undefined when it is none. */
export function pathId(segment: string | undefined): number | undefined {
  return segment !== undefined && /^\d{1,15}$/.test(segment) && Number(segment) >= 1 ? Number(segment) : undefined
}

const view = (store: Store, customer: Customer, include: ReadonlySet<CustomerInclude>) =>
  customerV3(store, customer, include, store.channels())

// Name the fields a write accepted and did not keep in the request log's hint.
function noteIgnored(notes: ApiNotes, batch: readonly { ignored: string[] }[]): void {
  const ignored = [...new Set(batch.flatMap((item) => item.ignored))]
  if (ignored.length > 0) notes.hint(`Accepted and not kept by the mock: ${ignored.join(', ')}.`)
}

/**
 * `POST` or `PUT /v3/customers`: a batch read by `read`, written all or none by `write`; answers
 * the customers as `include=addresses,attributes` shows them.
 */
function customerWrite<T extends { ignored: string[] }>(
  method: 'POST' | 'PUT',
  read: (reader: FieldReader, item: unknown, path: string) => T | undefined,
  write: (store: Store, batch: T[]) => Customer[],
  logged: string,
): Operation {
  return {
    method,
    path: V3,
    faultRoute: 'api-customers',
    answer: (store, request, notes) => {
      noQuery(request.query, 'v3')
      const batch = readBatch(request.body, 'customers', MAX_BATCH, read)
      noteIgnored(notes, batch)
      const written = write(store, batch)
      notes.log({ customers: written.map((customer) => customer.id) }, logged)
      if (written.length === 1) notes.customerId = written[0]?.id
      return ok({ data: written.map((customer) => view(store, customer, WRITE_INCLUDES)), meta: {} })
    },
  }
}

/**
 * `GET`, `POST`, `PUT`, `DELETE /v3/customers`, `POST /v3/customers/validate-credentials` and
 * `GET /v2/customers/{customer_id}` (fault route `api-customers`). Writes keep the customer
 * rules the control API keeps (emails unique without regard to case; ids the store's), and a
 * deleted customer's storefront sessions end.
 */
export const customerOperations: readonly Operation[] = [
  {
    method: 'GET',
    path: V3,
    faultRoute: 'api-customers',
    customer: (request) => singleId(request, 'id:in'),
    answer: (store, request) => {
      const query = new QueryReader(request.query, 'v3', LIST_PARAMETERS)
      const page = query.page()
      const include = query.someOf('include', CUSTOMER_INCLUDES)
      const ids = query.ints('id:in')
      const emails = query.strings('email:in')
      const groupIds = query.ints('customer_group_id:in', 0)?.map(String)
      const names = query.strings('name:in')
      const nameParts = query.strings('name:like')
      const companies = query.strings('company:in')
      const phones = query.strings('phone:in')
      const sort = query.oneOf('sort', CUSTOMER_SORTS)
      const found = store.queryCustomers({
        ...page,
        ...(ids && { ids }),
        ...(emails && { emails }),
        ...(groupIds && { groupIds }),
        ...(names && { names }),
        ...(nameParts && { nameParts }),
        ...(companies && { companies }),
        ...(phones && { phones }),
        ...(sort && { sort }),
      })
      return ok(collection(request.query, page, found, (customer) => view(store, customer, include)))
    },
  },
  customerWrite('POST', readCustomerCreate, (store, batch) => store.createCustomers(batch), 'api: customers created'),
  customerWrite('PUT', readCustomerUpdate, (store, batch) => store.updateCustomers(batch), 'api: customers changed'),
  {
    method: 'DELETE',
    path: V3,
    faultRoute: 'api-customers',
    customer: (request) => singleId(request, 'id:in'),
    answer: (store, request, notes) => {
      const ids = new QueryReader(request.query, 'v3', ['id:in']).ints('id:in')
      // As BigCommerce documents: without `id:in`, a 204 and nothing changes.
      if (ids === undefined) notes.hint('No id:in was given, so nothing was deleted (as on BigCommerce).')
      else {
        const { deleted, sessionsEnded } = store.deleteCustomers(ids)
        notes.log({ customers: deleted, sessionsEnded }, 'api: customers deleted')
        const missing = ids.filter((id) => !deleted.includes(id))
        if (missing.length > 0)
          notes.hint(`No customer had id ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}: nothing to delete there.`)
      }
      return NO_CONTENT
    },
  },
  {
    method: 'POST',
    path: `${V3}/validate-credentials`,
    faultRoute: 'api-customers',
    answer: (store, request, notes) => {
      noQuery(request.query, 'v3')
      const credentials = readObjectBody(request.body, readCredentials)
      const customer = store.validateCredentials(credentials)
      if (customer) notes.customerId = customer.id
      else notes.hint('The email or password is wrong (or the customer has no password yet): is_valid is false.')
      return ok({ is_valid: customer !== undefined, customer_id: customer?.id ?? null })
    },
  },
  {
    method: 'GET',
    path: '/v2/customers/:customer_id',
    faultRoute: 'api-customers',
    customer: (request) => pathId(request.params.customer_id),
    answer: (store, request) => {
      noQuery(request.query, 'v2')
      const id = pathId(request.params.customer_id)
      const customer = id === undefined ? undefined : store.lookupCustomer(id)
      if (!customer) throw ERRORS.apiNotFound(`No customer has id ${JSON.stringify(request.params.customer_id)}.`, 'customer_id')
      return ok(customerV2(store, customer, request.base))
    },
  },
]
