import { emailKey } from './rules/customer-rules.js'
import type { Customer } from './types.js'

/** The store's customers, indexed by id and by email (by `emailKey`: without case) for O(1) look-ups. */
export class CustomerDirectory {
  readonly #byId = new Map<number, Customer>()
  readonly #byEmail = new Map<string, Customer>()

  constructor(customers: Iterable<Customer> = []) {
    this.replaceAll(customers)
  }

  /** Replace every customer at once. */
  replaceAll(customers: Iterable<Customer>): void {
    this.#byId.clear()
    this.#byEmail.clear()
    for (const customer of customers) this.add(customer)
  }

  /** Number of customers. */
  get size(): number {
    return this.#byId.size
  }

  /** The customer with this id, if any. */
  get(id: number): Customer | undefined {
    return this.#byId.get(id)
  }

  /** The customer with this email, compared without regard to case. */
  findByEmail(email: string): Customer | undefined {
    return this.#byEmail.get(emailKey(email))
  }

  /** All customers, in insertion order. */
  all(): IterableIterator<Customer> {
    return this.#byId.values()
  }

  /** Add a customer; the caller has checked that id and email are free. */
  add(customer: Customer): void {
    this.#byId.set(customer.id, customer)
    this.#byEmail.set(emailKey(customer.email), customer)
  }

  /** Put `customer` in the place of the one with its id (same place in {@link all}), re-indexing its email; the caller has checked that the email is free. */
  replace(customer: Customer): void {
    const existing = this.#byId.get(customer.id)
    if (existing) this.#byEmail.delete(emailKey(existing.email))
    this.add(customer)
  }

  /** Remove a customer; answers whether one was removed. */
  remove(id: number): boolean {
    const customer = this.#byId.get(id)
    if (!customer) return false
    this.#byId.delete(id)
    this.#byEmail.delete(emailKey(customer.email))
    return true
  }
}
