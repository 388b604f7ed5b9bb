import { paginate, ORDER_SORT_FIELDS, type OrderSortField } from '../domain/management-queries.js'
import type { Store } from '../domain/store.js'
import { ERRORS } from '../errors.js'
import { pathId, singleId } from './customers.js'
import { NO_CONTENT, ok, type Operation } from './operation.js'
import { noQuery, QueryReader } from './query.js'
import { orderProductV2, orderV2 } from './views.js'

const ORDER_PARAMETERS = ['customer_id', 'email', 'status_id', 'channel_id', 'min_id', 'max_id', 'sort', 'page', 'limit'] as const

/** `sort` of `GET /v2/orders`: a field, and `:asc` or `:desc` (`date_created:desc`). */
const SORTS = ORDER_SORT_FIELDS.flatMap((field) => [field, `${field}:asc`, `${field}:desc`])

function orderIn(store: Store, raw: string | undefined) {
  const id = pathId(raw)
  const order = id === undefined ? undefined : store.order(id)
  if (!order) throw ERRORS.apiNotFound(`No order has id ${JSON.stringify(raw)}.`, 'order_id')
  return order
}

function orderCustomer(store: Store, raw: string | undefined): number | undefined {
  const id = pathId(raw)
  return id === undefined ? undefined : store.order(id)?.customerId
}

/**
 * `GET /v2/orders`, `GET /v2/orders/{order_id}` and `GET /v2/orders/{order_id}/products` (fault
 * route `api-orders`), from the fixtures' orders: bare arrays and objects, as V2 answers; an
 * empty page is V2's `204 No Content`, an unknown order its `404`.
 */
export const orderOperations: readonly Operation[] = [
  {
    method: 'GET',
    path: '/v2/orders',
    faultRoute: 'api-orders',
    customer: (request) => singleId(request, 'customer_id'),
    answer: (store, request, notes) => {
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
        notes.hint('No order matches: V2 answers an empty list with 204 No Content.')
        return NO_CONTENT
      }
      return ok(items.map((order) => orderV2(store, order, request.base)))
    },
  },
  {
    method: 'GET',
    path: '/v2/orders/:order_id',
    faultRoute: 'api-orders',
    customer: (request, store) => orderCustomer(store, request.params.order_id),
    answer: (store, request) => {
      noQuery(request.query, 'v2')
      return ok(orderV2(store, orderIn(store, request.params.order_id), request.base))
    },
  },
  {
    method: 'GET',
    path: '/v2/orders/:order_id/products',
    faultRoute: 'api-orders',
    customer: (request, store) => orderCustomer(store, request.params.order_id),
    answer: (store, request, notes) => {
      const query = new QueryReader(request.query, 'v2', ['page', 'limit'])
      const page = query.page()
      const order = orderIn(store, request.params.order_id)
      const { items } = paginate(order.products, page)
      if (items.length === 0) {
        notes.hint('No product on this page: V2 answers an empty list with 204 No Content.')
        return NO_CONTENT
      }
      return ok(items.map((product) => orderProductV2(order, product)))
    },
  },
]
