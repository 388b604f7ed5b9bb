import type { Store } from '../domain/store.js'
import { sessionHandle, type Session } from '../domain/session-store.js'
import { ERRORS } from '../errors.js'
import { cookieHeader } from '../http/session-cookies.js'
import { controlRoute, isoTime, type ControlResource } from './context.js'

/** A session as the control API lists it: by handle, never by its cookie values. */
export interface SessionView {
  /** See `sessionHandle`. */
  id: string
  customer_id: number
  email: string | null
  created_at: string
  last_seen_at: string
  expires_at: string
}

/** {@link SessionView} of a session. */
function sessionView(store: Store, session: Session): SessionView {
  return {
    id: sessionHandle(session),
    customer_id: session.customerId,
    email: store.lookupCustomer(session.customerId)?.email ?? null,
    created_at: isoTime(session.createdAtMs),
    last_seen_at: isoTime(session.lastSeenAtMs),
    expires_at: isoTime(store.sessionExpiresAtMs(session)),
  }
}

/**
 * `POST /__mock/sessions` (sign a customer in without a password), `GET /__mock/sessions`,
 * `DELETE /__mock/sessions` (everyone out), `DELETE /__mock/sessions/{id}` (by handle).
 */
export const sessionRoutes: ControlResource = (app, { store, spec, cookies }) => {
  controlRoute(app, spec, 'GET', '/__mock/sessions', async () => ({
    sessions: store.liveSessions().map((session) => sessionView(store, session)),
  }))

  controlRoute<{ Body: { customer_id?: number; email?: string } }>(app, spec, 'POST', '/__mock/sessions', async (request, reply) => {
    const { customer_id: customerId, email } = request.body
    if ((customerId === undefined) === (email === undefined)) {
      const field = customerId === undefined ? 'customer_id' : 'email'
      throw ERRORS.invalidRequest(field, `body field '${field}': give exactly one of customer_id or email`)
    }
    const customer = customerId !== undefined ? store.findCustomer(customerId, 'customer_id') : store.findCustomer(email ?? '', 'email')
    const { session } = store.startSession(customer)
    request.log.info({ customerId: customer.id }, 'control: customer signed in')
    cookies.setSession(reply, session)
    return reply.code(201).send({ ...sessionView(store, session), cookie: cookieHeader(session) })
  })

  controlRoute(app, spec, 'DELETE', '/__mock/sessions', async (request) => {
    const ended = store.endAllSessions()
    request.log.info({ ended }, 'control: every session ended')
    return { ended }
  })

  controlRoute<{ Params: { id: string } }>(app, spec, 'DELETE', '/__mock/sessions/{id}', async (request) => {
    const session = store.endSession(request.params.id)
    return { id: request.params.id, customer_id: session.customerId }
  })
}
