import type { FastifyRequest } from 'fastify'
import { CUSTOMER_SORTS } from '../domain/management-queries.js'
import {
  MAX_BATCH,
  readBatch,
  readCredentials,
  readCustomerCreate,
  readCustomerUpdate,
  readObjectBody,
} from '../domain/rules/management-rules.js'
import type { Customer } from '../domain/types.js'
import { ERRORS } from '../errors.js'
import type { ManagementResource } from './management-plugin.js'
import { noQuery, pagination, QueryReader } from './query.js'
import { noteHint } from './request-state.js'
import { customerV2, customerV3, CUSTOMER_INCLUDES, type CustomerInclude } from './views.js'

const V3 = '/:store_hash/v3/customers'

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
export function singleId(request: FastifyRequest, name: string): number | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined
}

/** The base URL of the store's API on this origin, for the `url`s V2 answers carry. */
export function apiBase(request: FastifyRequest, storeHash: string): string {
  return `${request.protocol}://${request.host}/stores/${storeHash}`
}

/**
 * `GET`, `POST`, `PUT`, `DELETE /v3/customers`, `POST /v3/customers/validate-credentials` and
 * `GET /v2/customers/{customer_id}` (fault route `api-customers`). Writes keep the customer
 * rules the control API keeps (emails unique without regard to case; ids the store's), and a
 * deleted customer's storefront sessions end.
 */
export const customerRoutes: ManagementResource = (app, store) => {
  const config = { managementFaultRoute: 'api-customers' as const }
  const view = (customer: Customer, include: ReadonlySet<CustomerInclude>) => customerV3(store, customer, include, store.channels())

  app.get(V3, { config: { ...config, managementCustomer: (request) => singleId(request, 'id:in') } }, async (request) => {
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
    const { items, total } = store.queryCustomers({
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
    return {
      data: items.map((customer) => view(customer, include)),
      meta: { pagination: pagination(request.query, page, total, items.length) },
    }
  })

  app.post(V3, { config }, async (request) => {
    noQuery(request.query, 'v3')
    const batch = readBatch(request.body, 'customers', MAX_BATCH, readCustomerCreate)
    noteIgnored(request, batch)
    const created = store.createCustomers(batch)
    request.log.info({ customers: created.map((customer) => customer.id) }, 'api: customers created')
    if (created.length === 1) request.customerId = created[0]?.id
    return { data: created.map((customer) => view(customer, WRITE_INCLUDES)), meta: {} }
  })

  app.put(V3, { config }, async (request) => {
    noQuery(request.query, 'v3')
    const batch = readBatch(request.body, 'customers', MAX_BATCH, readCustomerUpdate)
    noteIgnored(request, batch)
    const updated = store.updateCustomers(batch)
    request.log.info({ customers: updated.map((customer) => customer.id) }, 'api: customers changed')
    if (updated.length === 1) request.customerId = updated[0]?.id
    return { data: updated.map((customer) => view(customer, WRITE_INCLUDES)), meta: {} }
  })

  app.delete(V3, { config: { ...config, managementCustomer: (request) => singleId(request, 'id:in') } }, async (request, reply) => {
    const ids = new QueryReader(request.query, 'v3', ['id:in']).ints('id:in')
    // As BigCommerce documents: without `id:in`, a 204 and nothing changes.
    if (ids === undefined) noteHint(request, 'No id:in was given, so nothing was deleted (as on BigCommerce).')
    else {
      const { deleted, sessionsEnded } = store.deleteCustomers(ids)
      request.log.info({ customers: deleted, sessionsEnded }, 'api: customers deleted')
      const missing = ids.filter((id) => !deleted.includes(id))
      if (missing.length > 0)
        noteHint(
          request,
          `No customer had id ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}: nothing to delete there.`,
        )
    }
    return reply.code(204).send()
  })

  app.post(`${V3}/validate-credentials`, { config }, async (request) => {
    noQuery(request.query, 'v3')
    const credentials = readObjectBody(request.body, readCredentials)
    const customer = store.validateCredentials(credentials)
    if (customer) request.customerId = customer.id
    else noteHint(request, 'The email or password is wrong (or the customer has no password yet): is_valid is false.')
    return { is_valid: customer !== undefined, customer_id: customer?.id ?? null }
  })

  app.get<{ Params: { store_hash: string; customer_id: string } }>(
    '/:store_hash/v2/customers/:customer_id',
    { config: { ...config, managementCustomer: (request) => pathId((request.params as { customer_id?: string }).customer_id) } },
    async (request) => {
      noQuery(request.query, 'v2')
      const id = pathId(request.params.customer_id)
      const customer = id === undefined ? undefined : store.lookupCustomer(id)
      if (!customer) throw ERRORS.apiNotFound(`No customer has id ${JSON.stringify(request.params.customer_id)}.`, 'customer_id')
      return customerV2(store, customer, apiBase(request, store.storeHash))
    },
  )
}

/** A whole number from 1 in a path segment; undefined when it is none. */
export function pathId(segment: string | undefined): number | undefined {
  return segment !== undefined && /^\d{1,15}$/.test(segment) && Number(segment) >= 1 ? Number(segment) : undefined
}

// Name the fields a write accepted and did not keep in the request log's hint.
function noteIgnored(request: FastifyRequest, batch: readonly { ignored: string[] }[]): void {
  const ignored = [...new Set(batch.flatMap((item) => item.ignored))]
  if (ignored.length > 0) noteHint(request, `Accepted and not kept by the mock: ${ignored.join(', ')}.`)
}
