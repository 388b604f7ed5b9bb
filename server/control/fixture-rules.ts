import type { App, Customer } from '../domain/types.js'
import { FixtureError, MockError } from '../errors.js'
import type { FixtureApp, FixtureCustomer } from '../fixtures/document.js'
import { parseStore } from '../fixtures/parse-store.js'

/**
 * Customers and apps created or changed through the control API pass the fixture file's own
 * checks (`parseStore`), after the OpenAPI schema has: one set of rules and defaults whether a
 * store is described in a file or built at run time. A problem becomes a 400 naming the field.
 */

/** A fixture-format customer entry, checked and turned into a {@link Customer}. */
export function checkedCustomer(storeHash: string, entry: FixtureCustomer): Customer {
  return parseOne(() => parseStore({ store_hash: storeHash, apps: [], customers: [entry] }, 'request body').customers[0], 'customers[0].')
}

/** A fixture-format app entry, checked and turned into an {@link App}. */
export function checkedApp(storeHash: string, entry: FixtureApp): App {
  return parseOne(() => parseStore({ store_hash: storeHash, apps: [entry] }, 'request body').apps[0], 'apps[0].')
}

/** A customer as a fixture entry (for merging a PATCH into it). */
export function fixtureCustomer(customer: Customer): FixtureCustomer {
  return { id: customer.id, email: customer.email, password: customer.password, group_id: customer.groupId, first_name: customer.firstName, last_name: customer.lastName }
}

/** An app as a fixture entry (for merging a PATCH into it). */
export function fixtureApp(app: App): FixtureApp {
  return {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    algorithm: app.algorithm,
    ...(app.tokenTtl !== undefined && { token_ttl: app.tokenTtl }),
    ...(app.groupId !== undefined && { group_id: app.groupId }),
    ...(app.name !== undefined && { name: app.name }),
  }
}

function parseOne<T>(parse: () => T | undefined, prefix: string): T {
  let parsed: T | undefined
  try {
    parsed = parse()
  } catch (error) {
    if (!(error instanceof FixtureError)) throw error
    // Secrets are never echoed by the fixture reader, so its messages are safe to answer with.
    const problem = error.problems[0]
    const field = problem?.path.startsWith(prefix) ? problem.path.slice(prefix.length) : 'body'
    throw new MockError('BCMOCK_INVALID_REQUEST', `body field '${field}' ${problem?.message ?? 'is invalid'}`, 400, field)
  }
  if (parsed === undefined) throw new MockError('BCMOCK_INVALID_REQUEST', 'the request body describes nothing', 400, 'body')
  return parsed
}
