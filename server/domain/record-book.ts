import { emptyRecords, type Channel, type CustomerAttribute, type CustomerGroup, type Order, type StoreRecords } from './record-types.js'
import type { Customer } from './types.js'

/**
 * The Management API's records of one store, indexed: customer groups and attributes by id,
 * channels, and orders by id and by customer. Attributes can be added at run time
 * (`POST /v3/customers/attributes`); everything goes back to the fixtures' with the store's
 * reset. Also the next free ids of the records customers carry (addresses, attribute values),
 * so a new one never takes an id in use.
 */
export class RecordBook {
  #groups = new Map<number, CustomerGroup>()
  #attributes = new Map<number, CustomerAttribute>()
  #channels: readonly Channel[] = []
  #orders = new Map<number, Order>()
  #ordersByCustomer = new Map<number, Order[]>()
  #nextAddressId = 1
  #nextAttributeValueId = 1

  /** Replace every record at once; the customers are read for the ids their addresses and values use. */
  replaceAll(records: StoreRecords | undefined, customers: Iterable<Customer>): void {
    const { customerGroups, customerAttributes, channels, orders } = records ?? emptyRecords()
    this.#groups = new Map([...customerGroups].sort((a, b) => a.id - b.id).map((group) => [group.id, group]))
    this.#attributes = new Map([...customerAttributes].sort((a, b) => a.id - b.id).map((attribute) => [attribute.id, attribute]))
    this.#channels = [...channels].sort((a, b) => a.id - b.id)
    this.#orders = new Map([...orders].sort((a, b) => a.id - b.id).map((order) => [order.id, order]))
    this.#ordersByCustomer = new Map()
    for (const order of this.#orders.values()) {
      const list = this.#ordersByCustomer.get(order.customerId)
      if (list) list.push(order)
      else this.#ordersByCustomer.set(order.customerId, [order])
    }
    let address = 0
    let value = 0
    for (const customer of customers) {
      for (const entry of customer.profile?.addresses ?? []) address = Math.max(address, entry.id)
      for (const entry of customer.profile?.attributes ?? []) value = Math.max(value, entry.id)
    }
    this.#nextAddressId = address + 1
    this.#nextAttributeValueId = value + 1
  }

  /** Every customer group, by id. */
  groups(): CustomerGroup[] {
    return [...this.#groups.values()]
  }

  group(id: number): CustomerGroup | undefined {
    return this.#groups.get(id)
  }

  /** Every customer attribute, by id. */
  attributes(): CustomerAttribute[] {
    return [...this.#attributes.values()]
  }

  attribute(id: number): CustomerAttribute | undefined {
    return this.#attributes.get(id)
  }

  get attributeCount(): number {
    return this.#attributes.size
  }

  /** Add attributes (already checked); ids follow the highest. */
  addAttributes(attributes: readonly Omit<CustomerAttribute, 'id'>[]): CustomerAttribute[] {
    let next = Math.max(0, ...this.#attributes.keys()) + 1
    return attributes.map((attribute) => {
      const added = { id: next++, ...attribute }
      this.#attributes.set(added.id, added)
      return added
    })
  }

  /** The store's channels, by id. */
  channels(): readonly Channel[] {
    return this.#channels
  }

  /** Every order, by id. */
  orders(): IterableIterator<Order> {
    return this.#orders.values()
  }

  order(id: number): Order | undefined {
    return this.#orders.get(id)
  }

  /** A customer's orders, by id. */
  ordersOf(customerId: number): readonly Order[] {
    return this.#ordersByCustomer.get(customerId) ?? []
  }

  /** A new address id, never one in use. */
  nextAddressId(): number {
    return this.#nextAddressId++
  }

  /** A new attribute value id, never one in use. */
  nextAttributeValueId(): number {
    return this.#nextAttributeValueId++
  }
}
