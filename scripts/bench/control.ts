import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'

/** The fields of `GET /__mock/health` the benchmark reads. */
export interface MockHealth {
  /** Customers the store holds. */
  customers: number
  /** Sessions that would still let their customer in. */
  sessions: number
}

/** A customer as `GET /__mock/customers` lists it (the fields the benchmark reads). */
export interface ListedCustomer {
  id: number
  email: string
}

/** `GET /__mock/health`; throws unless it answers 200 with numeric counts. */
export async function readHealth(baseUrl: string): Promise<MockHealth> {
  const body = await getJson(`${baseUrl}/__mock/health`)
  const { customers, sessions } = body as Partial<Record<string, unknown>>
  if (typeof customers !== 'number' || typeof sessions !== 'number') throw new Error(`GET /__mock/health: no numeric customers/sessions counts in ${JSON.stringify(body).slice(0, 200)}`)
  return { customers, sessions }
}

/** One page of `GET /__mock/customers?offset=&limit=` (limit at most 10,000), and the total. */
export async function listCustomers(baseUrl: string, offset: number, limit: number): Promise<{ customers: ListedCustomer[]; total: number }> {
  const body = (await getJson(`${baseUrl}/__mock/customers?offset=${offset}&limit=${limit}`)) as { customers?: unknown; total?: unknown }
  if (!Array.isArray(body.customers) || typeof body.total !== 'number') throw new Error(`GET /__mock/customers: unexpected answer ${JSON.stringify(body).slice(0, 200)}`)
  const customers = body.customers.map((entry: unknown): ListedCustomer => {
    const { id, email } = entry as { id?: unknown; email?: unknown }
    if (typeof id !== 'number' || typeof email !== 'string') throw new Error(`GET /__mock/customers: entry without id and email: ${JSON.stringify(entry)}`)
    return { id, email }
  })
  return { customers, total: body.total }
}

/** The customer listed last (the store's last added): for look-ups at the far end of a large store. */
export async function lastCustomer(baseUrl: string): Promise<ListedCustomer> {
  const { total } = await listCustomers(baseUrl, 0, 1)
  const { customers } = await listCustomers(baseUrl, Math.max(0, total - 1), 1)
  const last = customers[0]
  if (!last) throw new Error('GET /__mock/customers: the store has no customers')
  return last
}

/**
 * The sign-in passwords a fixture file gives: each hand-written customer's own, and the
 * `generate.password` (default `storefront`) of every generated one.
 */
export class FixturePasswords {
  readonly #handWritten: ReadonlyMap<string, string>
  /** The password of every generated customer. */
  readonly generatedPassword: string

  private constructor(handWritten: ReadonlyMap<string, string>, generatedPassword: string) {
    this.#handWritten = handWritten
    this.generatedPassword = generatedPassword
  }

  /** Read a (small) YAML or JSON fixture file. */
  static async fromFile(path: string): Promise<FixturePasswords> {
    const document = parseYaml(await readFile(path, 'utf8')) as { customers?: { email?: unknown; password?: unknown }[]; generate?: { password?: unknown } }
    const handWritten = new Map<string, string>()
    for (const customer of document.customers ?? []) {
      if (typeof customer.email === 'string' && typeof customer.password === 'string') handWritten.set(customer.email.toLowerCase(), customer.password)
    }
    const generated = document.generate?.password
    return new FixturePasswords(handWritten, typeof generated === 'string' ? generated : 'storefront')
  }

  /** The password of the customer with this email. */
  passwordOf(email: string): string {
    return this.#handWritten.get(email.toLowerCase()) ?? this.generatedPassword
  }
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: 'application/json' } })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 200)}`)
  return JSON.parse(text) as unknown
}
