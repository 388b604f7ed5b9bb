import { paginate } from '../domain/management-queries.js'
import { ERRORS } from '../errors.js'
import { pathId } from './customers.js'
import type { ManagementResource } from './management-plugin.js'
import { noQuery, QueryReader } from './query.js'
import { noteHint } from './request-state.js'
import { customerGroupV2 } from './views.js'

/**
 * `GET /v2/customer_groups` and `GET /v2/customer_groups/{customer_group_id}` (fault route
 * `api-customer-groups`): bare arrays and objects, as V2 answers. A page with no groups is V2's
 * `204 No Content`. A customer's `customer_group_id` names one of these; 0 is no group.
 */
export const customerGroupRoutes: ManagementResource = (app, store) => {
  const config = { managementFaultRoute: 'api-customer-groups' as const }

  app.get('/:store_hash/v2/customer_groups', { config }, async (request, reply) => {
    const query = new QueryReader(request.query, 'v2', ['name', 'name:like', 'page', 'limit'])
    const page = query.page()
    const name = query.string('name')
    const part = query.string('name:like')?.toLowerCase()
    const matches = store
      .customerGroups()
      .filter((group) => (name === undefined || group.name === name) && (part === undefined || group.name.toLowerCase().includes(part)))
    const { items } = paginate(matches, page)
    if (items.length === 0) {
      noteHint(request, 'No customer group matches: V2 answers an empty list with 204 No Content.')
      return reply.code(204).send()
    }
    return items.map((group) => customerGroupV2(store, group))
  })

  app.get<{ Params: { store_hash: string; customer_group_id: string } }>(
    '/:store_hash/v2/customer_groups/:customer_group_id',
    { config },
    async (request) => {
      noQuery(request.query, 'v2')
      const id = pathId(request.params.customer_group_id)
      const group = id === undefined ? undefined : store.customerGroup(id)
      if (!group)
        throw ERRORS.apiNotFound(
          `No customer group has id ${JSON.stringify(request.params.customer_group_id)} (0 is no group; customer_groups in the fixtures lists them).`,
          'customer_group_id',
        )
      return customerGroupV2(store, group)
    },
  )
}
