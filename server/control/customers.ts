import type { CustomerChanges, NewCustomer } from '../domain/store.js'
import type { Customer } from '../domain/types.js'
import { controlRoute, type ControlResource } from './context.js'

/** A customer as the control API shows it: the password is write-only. */
export interface CustomerView {
  id: number
  email: string
  group_id: string
  first_name: string
  last_name: string
}

/** {@link CustomerView} of a customer. */
function customerView(customer: Customer): CustomerView {
  return {
    id: customer.id,
    email: customer.email,
    group_id: customer.groupId,
    first_name: customer.firstName,
    last_name: customer.lastName,
  }
}

/**
 * `GET|POST /__mock/customers`, `GET|PATCH|DELETE /__mock/customers/{id}`. The store keeps ids
 * and emails unique (409 otherwise) and ends the sessions of a deleted or renumbered customer.
 */
export const customerRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute<{ Querystring: { limit: number; offset: number; email?: string } }>(
    app,
    spec,
    'GET',
    '/__mock/customers',
    async (request) => {
      const { customers, total } = store.listCustomers(request.query)
      return { customers: customers.map(customerView), total, offset: request.query.offset, limit: request.query.limit }
    },
  )

  controlRoute<{ Body: NewCustomer }>(app, spec, 'POST', '/__mock/customers', async (request, reply) => {
    const customer = store.addCustomer(request.body)
    request.log.info({ customerId: customer.id }, 'control: customer added')
    return reply.code(201).header('location', `/__mock/customers/${customer.id}`).send(customerView(customer))
  })

  controlRoute<{ Params: { id: number } }>(app, spec, 'GET', '/__mock/customers/{id}', async (request) =>
    customerView(store.requireCustomer(request.params.id, 'id')),
  )

  controlRoute<{ Params: { id: number }; Body: CustomerChanges }>(app, spec, 'PATCH', '/__mock/customers/{id}', async (request) => {
    const { customer, sessionsEnded } = store.updateCustomer(request.params.id, request.body)
    request.log.info({ customerId: customer.id, sessionsEnded }, 'control: customer changed')
    return customerView(customer)
  })

  controlRoute<{ Params: { id: number } }>(app, spec, 'DELETE', '/__mock/customers/{id}', async (request) => {
    const { id, sessionsEnded } = store.removeCustomer(request.params.id)
    request.log.info({ customerId: id, sessionsEnded }, 'control: customer removed')
    return { id, sessions_ended: sessionsEnded }
  })
}
