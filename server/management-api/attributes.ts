import { paginate } from '../domain/management-queries.js'
import { ATTRIBUTE_TYPES } from '../domain/rules/record-rules.js'
import { readAttributeCreate, readAttributeValueUpsert, readBatch } from '../domain/rules/management-rules.js'
import { singleId } from './customers.js'
import { ok, type Operation } from './operation.js'
import { collection, noQuery, QueryReader } from './query.js'
import { attributeV3, attributeValueV3 } from './views.js'

const ATTRIBUTES = '/v3/customers/attributes'
const VALUES = '/v3/customers/attribute-values'

/** Most attributes one `POST` adds: a store holds at most 50 in all. */
const MAX_ATTRIBUTE_BATCH = 50

/** Most items one `PUT /v3/customers/attribute-values` lists: 10 customers' 10 values each. */
const MAX_VALUE_BATCH = 100

/**
 * `GET`, `POST /v3/customers/attributes` and `GET`, `PUT /v3/customers/attribute-values`
 * (fault route `api-attributes`). Values are strings whatever the attribute's type, as on
 * BigCommerce; an upsert is keyed by customer and attribute.
 */
export const attributeOperations: readonly Operation[] = [
  {
    method: 'GET',
    path: ATTRIBUTES,
    faultRoute: 'api-attributes',
    answer: (store, request) => {
      const query = new QueryReader(request.query, 'v3', ['name', 'name:like', 'type', 'page', 'limit'])
      const page = query.page()
      const name = query.string('name')
      const part = query.string('name:like')?.toLowerCase()
      const type = query.oneOf('type', ATTRIBUTE_TYPES)
      const matches = store
        .customerAttributes()
        .filter(
          (attribute) =>
            (name === undefined || attribute.name === name) &&
            (part === undefined || attribute.name.toLowerCase().includes(part)) &&
            (type === undefined || attribute.type === type),
        )
      return ok(collection(request.query, page, paginate(matches, page), (attribute) => attributeV3(store, attribute)))
    },
  },
  {
    method: 'POST',
    path: ATTRIBUTES,
    faultRoute: 'api-attributes',
    answer: (store, request, notes) => {
      noQuery(request.query, 'v3')
      const created = store.createCustomerAttributes(
        readBatch(request.body, 'customer attributes', MAX_ATTRIBUTE_BATCH, readAttributeCreate),
      )
      notes.log({ attributes: created.map((attribute) => attribute.id) }, 'api: customer attributes created')
      return ok({ data: created.map((attribute) => attributeV3(store, attribute)), meta: {} })
    },
  },
  {
    method: 'GET',
    path: VALUES,
    faultRoute: 'api-attributes',
    customer: (request) => singleId(request, 'customer_id:in'),
    answer: (store, request) => {
      const query = new QueryReader(request.query, 'v3', ['customer_id:in', 'attribute_id:in', 'name', 'page', 'limit'])
      const page = query.page()
      const customerIds = query.ints('customer_id:in')
      const attributeIds = query.ints('attribute_id:in')
      const name = query.string('name')
      const found = store.attributeValues({
        ...page,
        ...(customerIds && { customerIds }),
        ...(attributeIds && { attributeIds }),
        ...(name !== undefined && { name }),
      })
      return ok(collection(request.query, page, found, ({ customerId, value }) => attributeValueV3(store, customerId, value)))
    },
  },
  {
    method: 'PUT',
    path: VALUES,
    faultRoute: 'api-attributes',
    answer: (store, request, notes) => {
      noQuery(request.query, 'v3')
      const upserted = store.upsertAttributeValues(readBatch(request.body, 'attribute values', MAX_VALUE_BATCH, readAttributeValueUpsert))
      const customers = new Set(upserted.map(({ customerId }) => customerId))
      if (customers.size === 1) notes.customerId = upserted[0]?.customerId
      notes.log({ customers: [...customers], values: upserted.length }, 'api: attribute values set')
      return ok({ data: upserted.map(({ customerId, value }) => attributeValueV3(store, customerId, value)), meta: {} })
    },
  },
]
