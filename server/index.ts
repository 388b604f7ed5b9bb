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
export { buildApp, BODY_LIMIT_BYTES } from './build-app.js'
export { startMockStorefront } from './start-mock-storefront.js'
export type { RunningMockStorefront, ServedCertificate, ClockControl, FaultControl, FaultHandle } from './storefront-handle.js'
export { FAULT_ROUTES, FAULT_EFFECTS, EFFECTS_BY_ROUTE, MAX_ACTIVE_FAULTS, type Fault, type FaultSpec, type FaultRoute, type FaultEffect } from './domain/fault-registry.js'
export { WRONG_SECRET } from './domain/current-customer-token.js'
export { FAULT_HEADER } from './storefront/faults.js'
export type { RecordedRequest } from './domain/request-log.js'
export { DEFAULTS, type MockStorefrontOptions } from './options/mock-storefront-options.js'
export { LOG_LEVELS, type LogLevel } from './http/logger.js'
export { MockError, FixtureError, ERRORS, type FixtureProblem, type ErrorFactory, type ErrorName } from './errors.js'
export { DEFAULT_FIXTURES_PATH, loadFixtures } from './fixture-loader/load-fixtures.js'
export type { FixtureApp, FixtureCustomer, FixtureDocument, FixtureGenerate } from './domain/fixture-document.js'
export type { App, Customer, StoreDefinition, TokenAlgorithm } from './domain/types.js'
export { TOKEN_ALGORITHMS } from './domain/types.js'
export type { CurrentCustomerClaims } from './domain/current-customer-token.js'
export {
  verifyCustomerLogin,
  checkRedirectTo,
  DEFAULT_CUSTOMER_LOGIN_REDIRECT,
  type CustomerLoginClaims,
  type CustomerLoginContext,
  type CustomerLoginFailure,
  type CustomerLoginResult,
  type CustomerLoginRule,
  type CustomerLoginSuccess,
} from './domain/customer-login.js'
export { CUSTOMER_LOGIN_MAX_AGE_SECONDS, CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS } from './domain/customer-login-window.js'
export { UsedJtiStore, type UsedJtiStoreLimits, type JtiUse } from './domain/used-jti-store.js'
export { INVALID_LOGIN, LOGIN_FLASH_COOKIE } from './storefront/login-flash.js'
export { SESSION_COOKIE, SHOP_TOKEN_COOKIE } from './http/session-cookies.js'
export type { CookieWarningCause } from './storefront/cookie-warnings.js'
export { MAX_LATENCY_MS, type LatencyRange } from './storefront/latency.js'
export { Store, type StoreSettings, type SessionCookieValues, type SignedIn } from './domain/store.js'
/** @deprecated The store's former name; use {@link Store}. */
export type { Store as MockState } from './domain/store.js'
export type { Clock } from './clock.js'
export { verifyCurrentCustomerToken, TOKEN_FAILURE_REASONS, type TokenVerification, type TokenFailureReason } from './domain/verify-current-customer-token.js'
