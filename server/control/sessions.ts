import { createHash } from 'node:crypto'
import type { Session } from '../domain/session-store.js'
import { signIn } from '../domain/sign-in.js'
import { MockError } from '../errors.js'
import { cookieHeader, setSessionCookies } from '../http/session-cookies.js'
import type { MockState } from '../state.js'
import { controlRoute, isoTime, requireCustomer, type ControlResource } from './context.js'

/** A session as the control API lists it: by handle, never by its cookie values. */
export interface SessionView {
  /** See {@link sessionHandle}. */
  id: string
  customer_id: number
  email: string | null
  created_at: string
  last_seen_at: string
  expires_at: string
}

/**
 * A session's public name: the first 16 characters (96 bits) of the base64url SHA-256 of its
 * id. Enough to tell sessions apart and to end one; useless as a cookie, and it cannot be
 * turned back into one, so listing it leaks nothing a log should not hold.
 */
export function sessionHandle(session: Pick<Session, 'id'>): string {
  return createHash('sha256').update(session.id, 'utf8').digest('base64url').slice(0, 16)
}

/** {@link SessionView} of a session. */
export function sessionView(state: MockState, session: Session): SessionView {
  return {
    id: sessionHandle(session),
    customer_id: session.customerId,
    email: state.customers.get(session.customerId)?.email ?? null,
    created_at: isoTime(session.createdAtMs),
    last_seen_at: isoTime(session.lastSeenAtMs),
    expires_at: isoTime(session.lastSeenAtMs + state.sessions.limits.idleTtlSeconds * 1000),
  }
}

/** Sessions that would still let their customer in now (idle ones linger in the store until evicted). */
export function liveSessions(state: MockState): Session[] {
  const nowMs = state.clock.nowMs()
  const idleMs = state.sessions.limits.idleTtlSeconds * 1000
  return [...state.sessions.all()].filter((session) => nowMs - session.lastSeenAtMs <= idleMs && state.customers.get(session.customerId))
}

/**
 * `POST /__mock/sessions` (sign a customer in without a password), `GET /__mock/sessions`,
 * `DELETE /__mock/sessions` (everyone out), `DELETE /__mock/sessions/{id}` (by handle).
 */
export const sessionRoutes: ControlResource = (app, { state, spec }) => {
  controlRoute(app, spec, 'GET', '/__mock/sessions', async () => ({ sessions: liveSessions(state).map((session) => sessionView(state, session)) }))

  controlRoute<{ Body: { customer_id?: number; email?: string } }>(app, spec, 'POST', '/__mock/sessions', async (request, reply) => {
    const { customer_id: customerId, email } = request.body
    if ((customerId === undefined) === (email === undefined)) {
      const field = customerId === undefined ? 'customer_id' : 'email'
      throw new MockError('BCMOCK_INVALID_REQUEST', `body field '${field}': give exactly one of customer_id or email`, 400, field)
    }
    const customer = customerId !== undefined ? requireCustomer(state, customerId, 'customer_id') : state.customers.findByEmail(email ?? '')
    if (!customer) throw new MockError('BCMOCK_UNKNOWN_CUSTOMER', `No customer with email ${JSON.stringify(email)} (GET /__mock/customers lists them).`, 404, 'email')
    const session = signIn(state, customer)
    request.log.info({ customerId: customer.id }, 'control: customer signed in')
    setSessionCookies(reply, session)
    return reply.code(201).send({ ...sessionView(state, session), cookie: cookieHeader(session) })
  })

  controlRoute(app, spec, 'DELETE', '/__mock/sessions', async (request) => {
    const ended = liveSessions(state).length
    state.sessions.clear()
    request.log.info({ ended }, 'control: every session ended')
    return { ended }
  })

  controlRoute<{ Params: { id: string } }>(app, spec, 'DELETE', '/__mock/sessions/{id}', async (request) => {
    const session = [...state.sessions.all()].find((candidate) => sessionHandle(candidate) === request.params.id)
    if (!session) throw new MockError('BCMOCK_UNKNOWN_SESSION', `No session ${request.params.id} (GET /__mock/sessions lists them).`, 404, 'id')
    state.sessions.end(session.id)
    return { id: request.params.id, customer_id: session.customerId }
  })
}
