import { timingSafeEqual, createHash } from 'node:crypto'
import type { MockState } from '../state.js'
import type { Session } from './session-store.js'
import type { Customer } from './types.js'

/** Check an email and password; answers the customer, or undefined when either is wrong. */
export function authenticate(state: MockState, email: string, password: string): Customer | undefined {
  const customer = state.customers.findByEmail(email.trim())
  // Compare digests so the comparison takes the same time whatever the lengths.
  const expected = digest(customer?.password ?? '')
  const matches = timingSafeEqual(expected, digest(password))
  return customer && matches ? customer : undefined
}

/** The two session cookie values a request carried (either may be missing). */
export interface SessionCookieValues {
  sessionId: string | undefined
  shopToken: string | undefined
}

/** Start a storefront session for a customer, ending the one the browser held (see {@link signOut}), if any. */
export function signIn(state: MockState, customer: Customer, previous?: SessionCookieValues): Session {
  if (previous) signOut(state, previous)
  return state.sessions.create(customer.id, state.clock.nowMs())
}

/**
 * End the session these cookies hold; answers the session that ended, if any. Both cookies must match, as for
 * any other use of the session: a session id without its own `SHOP_TOKEN` is a guest's cookie
 * and ends nothing, so knowing someone's session id alone cannot sign them out.
 */
export function signOut(state: MockState, cookies: SessionCookieValues): Session | undefined {
  const session = state.sessions.resume(cookies.sessionId, cookies.shopToken, state.clock.nowMs())
  if (session) state.sessions.end(session.id)
  return session
}

/** The customer these session cookies belong to, if the session is live and the customer exists. */
export function resumeSession(state: MockState, sessionId: string | undefined, shopToken: string | undefined): { session: Session; customer: Customer } | undefined {
  const session = state.sessions.resume(sessionId, shopToken, state.clock.nowMs())
  if (!session) return undefined
  const customer = state.customers.get(session.customerId)
  if (!customer) {
    state.sessions.end(session.id)
    return undefined
  }
  return { session, customer }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}
