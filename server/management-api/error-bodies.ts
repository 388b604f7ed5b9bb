import type { MockError } from '../errors.js'
import type { ApiVersion } from './query.js'

/** Where BigCommerce's error bodies point their `type`: its list of status codes. */
const STATUS_CODES_TYPE = 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes'

/**
 * A V3 error body, BigCommerce's `ErrorResponse`: `status`, `title`, `type`, and `errors` keyed
 * by the field at fault; plus the mock's stable `code` (the catalogue's).
 */
function v3ErrorBody(error: MockError, status = error.statusCode) {
  return { status, title: error.message, type: STATUS_CODES_TYPE, errors: { [error.field ?? 'request']: error.message }, code: error.code }
}

/** A V2 error body: an array of `{status, message}`, as V2 answers errors; plus the mock's `code`. */
function v2ErrorBody(error: MockError, status = error.statusCode) {
  return [{ status, message: error.message, code: error.code }]
}

/** The error body of `version`. */
export function apiErrorBody(version: ApiVersion, error: MockError, status = error.statusCode) {
  return version === 'v2' ? v2ErrorBody(error, status) : v3ErrorBody(error, status)
}

/** The API version a Management API path names (`/stores/abc123/v2/...`); V3's shape for anything else. */
export function versionOfUrl(url: string): ApiVersion {
  return /^\/stores\/[^/?#]*\/v2(\/|\?|$)/.test(url) ? 'v2' : 'v3'
}
