/**
 * MSW handlers for the mock BigCommerce storefront: the same store, rules, signed tokens,
 * sessions, Customer Login, faults and clock as the server, inside Vitest, Jest, Storybook or a
 * browser page, with no server to start.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node'
 * import { createMockStorefrontHandlers } from 'bigcommerce-mock-storefront/msw'
 *
 * const { handlers, storefront } = createMockStorefrontHandlers()
 * setupServer(...handlers).listen()
 * storefront.login('john.doe@example.com')
 * ```
 * @packageDocumentation
 */

/** The handlers, their options and their test handle. */
export {
  createMockStorefrontHandlers,
  type MockStorefrontHandlers,
  type MockStorefrontHandlersOptions,
  type PageStorefront,
} from './create-handlers.js'
/** The address a Customer Login token's `request_ip` must name under MSW. */
export { MSW_REQUEST_IP } from './handlers.js'

/** The handle's clock and faults, and the request log's entries, as `startMockStorefront()`'s handle has them. */
export type { ClockControl, FaultControl, FaultHandle } from '../domain/store-controls.js'
export type { RecordedRequest } from '../domain/request-log.js'
export type { Store } from '../domain/store.js'
export type { FixtureDocument, FixtureApp, FixtureCustomer } from '../domain/fixture-document.js'
export type { CurrentCustomerClaims } from '../domain/current-customer-token.js'

/** Faults: their routes and effects, the header an answer a fault changed carries, the public secret of `wrong-secret`. */
export { FAULT_HEADER, type Fault, type FaultSpec, type FaultRoute, type FaultEffect } from '../domain/rules/fault-rules.js'
export { WRONG_SECRET } from '../domain/current-customer-token.js'

/** The session cookies' names. */
export { SESSION_COOKIE, SHOP_TOKEN_COOKIE } from '../http/session-cookies.js'

/** Every error the handlers and their handle throw: the catalogue (match on `ERRORS.<entry>.code`) and its classes. */
export { MockError, FixtureError, ERRORS } from '../errors.js'
