import type { Customer } from '../domain/types.js'
import type { MockState } from '../state.js'
import { conflict, controlRoute, requireCustomer, type ControlResource } from './context.js'
import { checkedCustomer, fixtureCustomer } from './fixture-rules.js'

/** A customer as the control API shows it: the password is write-only. */
export interface CustomerView {
  id: number
  email: string
  group_id: string
  first_name: string
  last_name: string
}

/** The customer fields a POST or PATCH may carry (the document's `CustomerCreate`/`CustomerPatch`). */
interface CustomerFields {
  id?: number
  email?: string
  password?: string
  group_id?: string | number
  first_name?: string
  last_name?: string
}

/** A POST body: the schema requires these two. */
interface NewCustomerFields extends CustomerFields {
  email: string
  password: string
}

/** {@link CustomerView} of a customer. */
export function customerView(customer: Customer): CustomerView {
  return { id: customer.id, email: customer.email, group_id: customer.groupId, first_name: customer.firstName, last_name: customer.lastName }
}

/**
 * `GET|POST /__mock/customers`, `GET|PATCH|DELETE /__mock/customers/{id}`. Ids and emails stay
 * unique (409 otherwise); deleting a customer, or changing their id, ends their sessions.
 */
export const customerRoutes: ControlResource = (app, { state, spec }) => {
  controlRoute<{ Querystring: { limit: number; offset: number; email?: string } }>(app, spec, 'GET', '/__mock/customers', async (request) => {
    const { limit, offset, email } = request.query
    if (email !== undefined) {
      const match = state.customers.findByEmail(email)
      const page = match && offset === 0 ? [customerView(match)] : []
      return { customers: page, total: match ? 1 : 0, offset, limit }
    }
    const page: CustomerView[] = []
    let index = 0
    for (const customer of state.customers.all()) {
      if (index++ < offset) continue
      if (page.length >= limit) break
      page.push(customerView(customer))
    }
    return { customers: page, total: state.customers.size, offset, limit }
  })

  controlRoute<{ Body: NewCustomerFields }>(app, spec, 'POST', '/__mock/customers', async (request, reply) => {
    const customer = checkedCustomer(state.storeHash, { ...request.body, id: request.body.id ?? nextCustomerId(state) })
    if (state.customers.get(customer.id)) throw conflict('id', `A customer with id ${customer.id} already exists.`)
    assertEmailFree(state, customer.email)
    state.customers.add(customer)
    request.log.info({ customerId: customer.id }, 'control: customer added')
    return reply.code(201).header('location', `/__mock/customers/${customer.id}`).send(customerView(customer))
  })

  controlRoute<{ Params: { id: number } }>(app, spec, 'GET', '/__mock/customers/{id}', async (request) => customerView(requireCustomer(state, request.params.id, 'id')))

  controlRoute<{ Params: { id: number }; Body: CustomerFields }>(app, spec, 'PATCH', '/__mock/customers/{id}', async (request) => {
    const existing = requireCustomer(state, request.params.id, 'id')
    const updated = checkedCustomer(state.storeHash, { ...fixtureCustomer(existing), ...request.body })
    if (updated.id !== existing.id && state.customers.get(updated.id)) throw conflict('id', `A customer with id ${updated.id} already exists.`)
    assertEmailFree(state, updated.email, existing.id)
    replaceCustomer(state, existing, updated)
    // Sessions name the customer by id: after a new id they would name nobody.
    const sessionsEnded = updated.id === existing.id ? 0 : state.sessions.endForCustomer(existing.id)
    request.log.info({ customerId: updated.id, sessionsEnded }, 'control: customer changed')
    return customerView(updated)
  })

  controlRoute<{ Params: { id: number } }>(app, spec, 'DELETE', '/__mock/customers/{id}', async (request) => {
    const { id } = requireCustomer(state, request.params.id, 'id')
    state.customers.remove(id)
    const sessionsEnded = state.sessions.endForCustomer(id)
    request.log.info({ customerId: id, sessionsEnded }, 'control: customer removed')
    return { id, sessions_ended: sessionsEnded }
  })
}

// The next id after the highest in use, as generated fixture customers get theirs.
function nextCustomerId(state: MockState): number {
  let highest = 0
  for (const customer of state.customers.all()) highest = Math.max(highest, customer.id)
  return highest + 1
}

function assertEmailFree(state: MockState, email: string, exceptId?: number): void {
  const owner = state.customers.findByEmail(email)
  if (owner && owner.id !== exceptId) throw conflict('email', `The email ${JSON.stringify(email)} already belongs to customer ${owner.id}.`)
}

// Keep the customer's place in the listing: in place when the directory's keys stay the same,
// otherwise by rebuilding the directory in the same order.
function replaceCustomer(state: MockState, existing: Customer, updated: Customer): void {
  if (existing.id === updated.id && existing.email.toLowerCase() === updated.email.toLowerCase()) {
    state.customers.add(updated)
    return
  }
  state.customers.replaceAll([...state.customers.all()].map((customer) => (customer.id === existing.id ? updated : customer)))
}
