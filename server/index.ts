/**
 * A mock BigCommerce storefront: signed Current Customer JWTs, storefront sessions and a
 * clock you control.
 *
 * @example
 * ```ts
 * import { startMockStorefront } from 'bigcommerce-mock-storefront'
 * const storefront = await startMockStorefront()
 * console.log(storefront.url)
 * await storefront.close()
 * ```
 * @packageDocumentation
 */

// --- Starting a mock ------------------------------------------------------------------------

/**
 * `buildApp` makes the Fastify app without listening (for `inject()`), `startMockStorefront`
 * listens and answers the test handle. Their options, with the defaults and the accepted log
 * levels, and the largest request body and `latency` they take.
 */
export { buildApp, BODY_LIMIT_BYTES } from './build-app.js'
export { startMockStorefront } from './start-mock-storefront.js'
export { DEFAULTS, type MockStorefrontOptions } from './options/mock-storefront-options.js'
export { LOG_LEVELS, type LogLevel } from './http/logger.js'
export { MAX_LATENCY_MS, type LatencyRange } from './storefront/latency.js'

// --- The test handle ------------------------------------------------------------------------

/**
 * What `startMockStorefront` resolves to: URL, `login`, `mintToken`, `customerLoginUrl`, the
 * clock, faults, `reset`, and the request log (entries of type `RecordedRequest`).
 */
export type { RunningMockStorefront, ServedCertificate, ClockControl, FaultControl, FaultHandle } from './storefront-handle.js'
export type { RecordedRequest } from './domain/request-log.js'

// --- The store (`app.mock`) -----------------------------------------------------------------

/**
 * The running state behind a mock, `app.mock`: customers, apps, sessions, spent `jti`s, the
 * clock and the request log, each changed only through its methods (which keep the rules the
 * control API keeps), and read through them and `stats()`.
 */
export {
  Store,
  type StoreSettings,
  type StoreStats,
  type ClockReading,
  type NewCustomer,
  type CustomerChanges,
  type AppChanges,
  type SessionCookieValues,
  type SignedIn,
} from './domain/store.js'
export type { App, Customer, StoreDefinition } from './domain/types.js'
/** The clock's rules: the latest instant it may show, and a change as `PUT /__mock/clock` takes it. */
export { MAX_EPOCH_SECONDS, type ClockChange } from './domain/rules/clock-rules.js'

// --- Fixtures ---------------------------------------------------------------------------------

/** Reading a fixture file (or object) into a store definition, and the file's format. */
export { DEFAULT_FIXTURES_PATH, loadFixtures } from './fixture-loader/load-fixtures.js'
export type {
  FixtureAddress,
  FixtureApp,
  FixtureAttributeValue,
  FixtureChannel,
  FixtureCustomer,
  FixtureCustomerAttribute,
  FixtureCustomerGroup,
  FixtureDocument,
  FixtureGenerate,
  FixtureOrder,
  FixtureOrderProduct,
} from './domain/fixture-document.js'

// --- Tokens and Customer Login ----------------------------------------------------------------

/**
 * The algorithms a Current Customer token may be signed with and its claims; the reasons a
 * token fails `POST /__mock/apps/{client_id}/verify`; a Customer Login token's claims, the rule
 * a refused one broke (the request log's `outcome`), its time window and default landing page.
 */
export { TOKEN_ALGORITHMS, type TokenAlgorithm } from './domain/rules/app-rules.js'
export type { CurrentCustomerClaims } from './domain/current-customer-token.js'
export { TOKEN_FAILURE_REASONS, type TokenVerification, type TokenFailureReason } from './domain/verify-current-customer-token.js'
export { DEFAULT_CUSTOMER_LOGIN_REDIRECT, type CustomerLoginClaims, type CustomerLoginRule } from './domain/customer-login.js'
export { CUSTOMER_LOGIN_MAX_AGE_SECONDS, CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS } from './domain/customer-login-window.js'

// --- Faults -----------------------------------------------------------------------------------

/**
 * Failure scenarios (`POST /__mock/faults`, `storefront.faults.add`, `--fault`): the routes and
 * effects, which effect fits which route, how many may be active, the header an answer a fault
 * changed carries, and the public secret a `wrong-secret` token is signed with.
 */
export {
  FAULT_ROUTES,
  FAULT_EFFECTS,
  EFFECTS_BY_ROUTE,
  MAX_ACTIVE_FAULTS,
  type Fault,
  type FaultSpec,
  type FaultRoute,
  type FaultEffect,
} from './domain/rules/fault-rules.js'
export { FAULT_HEADER } from './storefront/faults.js'
export { WRONG_SECRET } from './domain/current-customer-token.js'

// --- Cookies ----------------------------------------------------------------------------------

/**
 * The session cookies a real store sets, the one-time cookie that carries a refused sign-in's
 * message and its value, and why a browser may drop a cookie (the warnings' `cause`).
 */
export { SESSION_COOKIE, SHOP_TOKEN_COOKIE } from './http/session-cookies.js'
export { INVALID_LOGIN, LOGIN_FLASH_COOKIE } from './storefront/login-flash.js'
export type { CookieWarningCause } from './storefront/cookie-warnings.js'

// --- Errors -----------------------------------------------------------------------------------

/** Every error the mock reports: the catalogue (match on `ERRORS.<entry>.code`) and its classes. */
export { MockError, FixtureError, ERRORS, type FixtureProblem, type ErrorFactory, type ErrorName } from './errors.js'
