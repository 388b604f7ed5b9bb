import type { JWTPayload, ProtectedHeaderParameters } from 'jose'
import type { TokenFailureReason } from '../domain/verify-current-customer-token.js'
import { controlRoute, type ControlResource } from './context.js'

/** What `POST /__mock/apps/{client_id}/verify` answers (the document's `TokenVerification`). */
interface TokenVerificationView {
  valid: boolean
  reason: TokenFailureReason | null
  detail: string
  header: ProtectedHeaderParameters | null
  claims: JWTPayload | null
  algorithm: string
  checked_at: number
  expires_in: number | null
}

/**
 * `POST /__mock/apps/{client_id}/verify` `{token}`: does this token verify for the app, as its
 * backend would check it (signature with its secret, its algorithm, `aud`, `exp` by the mock's
 * clock)? Always 200 for a token that was checked, `valid: false` with the `reason` when it
 * does not verify; 404 for an unknown app, 400 without a token. The demo page's "verifies?"
 * comes from here.
 */
export const verifyRoutes: ControlResource = (app, { store, spec }) => {
  controlRoute<{ Params: { client_id: string }; Body: { token: string } }>(
    app,
    spec,
    'POST',
    '/__mock/apps/{client_id}/verify',
    async (request) => {
      // A surrounding space or newline is a copy-paste slip, not a different token.
      const checked = await store.verifyToken(request.params.client_id, request.body.token.trim())
      const registered = checked.app
      // Logged without the token: it stands for a signed-in customer.
      request.log.info({ clientId: registered.clientId, valid: checked.valid, reason: checked.reason }, 'control: token verified')
      const view: TokenVerificationView = {
        valid: checked.valid,
        reason: checked.reason,
        detail: checked.detail,
        header: checked.header,
        claims: checked.claims,
        algorithm: registered.algorithm,
        checked_at: checked.checkedAt,
        expires_in: checked.expiresIn,
      }
      return view
    },
  )
}
