import { paginate } from '../domain/management-queries.js'
import { ERRORS } from '../errors.js'
import { pathId } from './customers.js'
import { NO_CONTENT, ok, type Operation } from './operation.js'
import { noQuery, QueryReader } from './query.js'
import { customerGroupV2 } from './views.js'

/**
 * `GET /v2/customer_groups` and `GET /v2/customer_groups/{customer_group_id}` (fault route
 * `api-customer-groups`): bare arrays and objects, as V2 answers. A page with no groups is V2's
 * `204 No Content`. A customer's `customer_group_id` names one of these; 0 is no group.
 */
export const customerGroupOperations: readonly Operation[] = [
  {
    method: 'GET',
    path: '/v2/customer_groups',
    faultRoute: 'api-customer-groups',
    answer: (store, request, notes) => {
      const query = new QueryReader(request.query, 'v2', ['name', 'name:like', 'page', 'limit'])
      const page = query.page()
      const name = query.string('name')
      const part = query.string('name:like')?.toLowerCase()
      const matches = store
        .customerGroups()
        .filter((group) => (name === undefined || group.name === name) && (part === undefined || group.name.toLowerCase().includes(part)))
      const { items } = paginate(matches, page)
      if (items.length === 0) {
        notes.hint('No customer group matches: V2 answers an empty list with 204 No Content.')
        return NO_CONTENT
      }
      return ok(items.map((group) => customerGroupV2(store, group)))
    },
  },
  {
    method: 'GET',
    path: '/v2/customer_groups/:customer_group_id',
    faultRoute: 'api-customer-groups',
    answer: (store, request) => {
      noQuery(request.query, 'v2')
      const id = pathId(request.params.customer_group_id)
      const group = id === undefined ? undefined : store.customerGroup(id)
      if (!group)
        throw ERRORS.apiNotFound(
          `No customer group has id ${JSON.stringify(request.params.customer_group_id)} (0 is no group; customer_groups in the fixtures lists them).`,
          'customer_group_id',
        )
      return ok(customerGroupV2(store, group))
    },
  },
]
