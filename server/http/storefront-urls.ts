import { unverifiedJwtClaims } from '../encoding.js'
import type { UrlRedaction } from './safe-url.js'

/** How a Customer Login URL is written in logs. */
export const CUSTOMER_LOGIN_REDACTED = '/login/token/[redacted]'

/**
 * What logs and the request log keep of the storefront's URLs: of the query only `app_client_id`
 * and `action` with their values, and of a Customer Login URL (`/login/token/<jwt>`) only
 * {@link CUSTOMER_LOGIN_REDACTED}, whatever route matched it. The app a request was for is its
 * `app_client_id`, or a Customer Login token's `iss`.
 */
export const STOREFRONT_URL_REDACTION: UrlRedaction = {
  keptQueryParameters: new Set(['app_client_id', 'action']),
  clientIdParameter: 'app_client_id',
  secretPaths: [{ pattern: /^\/login\/token(\/|$)/i, redacted: CUSTOMER_LOGIN_REDACTED, clientId: loginTokenIssuer }],
}

// The `iss` of `/login/token/<jwt>`, read without verifying: it only labels the log entry.
function loginTokenIssuer(pathname: string): string | undefined {
  const iss = unverifiedJwtClaims(pathname.replace(/^\/login\/token\//i, ''))?.iss
  return typeof iss === 'string' ? iss : undefined
}
