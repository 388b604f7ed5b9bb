/** Seconds a Customer Login token's `iat` stays valid: BigCommerce documents 30. */
export const CUSTOMER_LOGIN_MAX_AGE_SECONDS = 30

/**
 * How far in the future a Customer Login `iat` may be, by the mock's clock, and still pass.
 * BigCommerce refuses a future `iat`; 5 seconds absorbs the rounding of `iat` to whole seconds
 * (`Math.round(Date.now() / 1000)` in BigCommerce's own sample) and small drift between the app
 * backend's clock and the mock's, without letting pre-dated tokens live noticeably longer.
 */
export const CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS = 5
