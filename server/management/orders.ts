import { paginate, ORDER_SORT_FIELDS, type OrderSortField } from '../domain/management-queries.js'
import { ERRORS } from '../errors.js'
import { apiBase, pathId, singleId } from './customers.js'
import type { ManagementResource } from './management-plugin.js'
import { noQuery, QueryReader } from './query.js'
import { noteHint } from './request-state.js'
import { orderProductV2, orderV2 } from './views.js'

const ORDER_PARAMETERS = ['customer_id', 'email', 'status_id', 'channel_id', 'min_id', 'max_id', 'sort', 'page', 'limit'] as const

/** `sort` of `GET /v2/orders`: a field, and `:asc` or `:desc` (`date_created:desc`). */
const SORTS = ORDER_SORT_FIELDS.flatMap((field) => [field, `${field}:asc`, `${field}:desc`])

/**
 * `GET /v2/orders`, `GET /v2/orders/{order_id}` and `GET /v2/orders/{order_id}/products` (fault
 * route `api-orders`), from the fixtures' orders: bare arrays and objects, as V2 answers; an
 * empty page is V2's `204 No Content`, an unknown order its `404`.
 */
export const orderRoutes: ManagementResource = (app, store) => {
  const config = { managementFaultRoute: 'api-orders' as const }
  const orderIn = (raw: string | undefined) => {
    const id = pathId(raw)
    const order = id === undefined ? undefined : store.order(id)
    if (!order) throw ERRORS.apiNotFound(`No order has id ${JSON.stringify(raw)}.`, 'order_id')
    return order
  }
  const orderCustomer = (raw: string | undefined) => {
    const id = pathId(raw)
    return id === undefined ? undefined : store.order(id)?.customerId
  }

  app.get(
    '/:store_hash/v2/orders',
    { config: { ...config, managementCustomer: (request) => singleId(request, 'customer_id') } },
    async (request, reply) => {
      const query = new QueryReader(request.query, 'v2', ORDER_PARAMETERS)
      const page = query.page()
      const customerId = query.int('customer_id', 0)
      const email = query.string('email')
      const statusId = query.int('status_id', 0)
      const channelId = query.int('channel_id', 1)
      const minId = query.int('min_id', 0)
      const maxId = query.int('max_id', 0)
      const sort = query.oneOf('sort', SORTS)
      const [field, direction] = (sort ?? 'id').split(':') as [OrderSortField, string | undefined]
      const { items } = store.queryOrders({
        ...page,
        ...(customerId !== undefined && { customerId }),
        ...(email !== undefined && { email }),
        ...(statusId !== undefined && { statusId }),
        ...(channelId !== undefined && { channelId }),
        ...(minId !== undefined && { minId }),
        ...(maxId !== undefined && { maxId }),
        sort: { field, descending: direction === 'desc' },
      })
      if (items.length === 0) {
        noteHint(request, 'No order matches: V2 answers an empty list with 204 No Content.')
        return reply.code(204).send()
      }
      const base = apiBase(request, store.storeHash)
      return items.map((order) => orderV2(store, order, base))
    },
  )

  app.get<{ Params: { store_hash: string; order_id: string } }>(
    '/:store_hash/v2/orders/:order_id',
    { config: { ...config, managementCustomer: (request) => orderCustomer((request.params as { order_id?: string }).order_id) } },
    async (request) => {
      noQuery(request.query, 'v2')
      return orderV2(store, orderIn(request.params.order_id), apiBase(request, store.storeHash))
    },
  )

  app.get<{ Params: { store_hash: string; order_id: string } }>(
    '/:store_hash/v2/orders/:order_id/products',
    { config: { ...config, managementCustomer: (request) => orderCustomer((request.params as { order_id?: string }).order_id) } },
    async (request, reply) => {
      const query = new QueryReader(request.query, 'v2', ['page', 'limit'])
      const page = query.page()
      const order = orderIn(request.params.order_id)
      const { items } = paginate(order.products, page)
      if (items.length === 0) {
        noteHint(request, 'No product on this page: V2 answers an empty list with 204 No Content.')
        return reply.code(204).send()
      }
      return items.map((product) => orderProductV2(order, product))
    },
  )
}
