import type { Session } from '../domain/session-store.js'
import type { SessionCookieValues } from '../domain/store.js'
import { readCookieHeader, sessionPair } from './cookies.js'

/** Most session ids remembered as set by the handlers' own answers (see {@link PageSession.cookiesOf}). */
const REMEMBERED_ANSWERS = 256

/**
 * The session of the page under test. A jsdom or browser page cannot keep the `HttpOnly` session
 * cookies the handlers answer with (a script cannot set them, and a service worker's answer
 * cannot either), so the handlers hold the page's session here: a sign-in through them (the form,
 * Customer Login) or the handle's `login()` makes it the page's, a sign-out ends it.
 *
 * A request that carries a whole session pair of its own (`SHOP_SESSION_TOKEN` and `SHOP_TOKEN`,
 * say from `storefront.login()` in a `Cookie` header) is answered for that pair, as the server
 * would. A lone `SHOP_SESSION_TOKEN`, or a pair the handlers' own answers set (msw 2 keeps
 * answered cookies and sends them again, not always whole and not always current), is not the
 * test's choice: such a request is the page's.
 */
export class PageSession {
  #current: SessionCookieValues = { sessionId: undefined, shopToken: undefined }
  readonly #answered = new Set<string>()

  /** The page's session cookies now (both undefined for a guest). */
  get cookies(): SessionCookieValues {
    return this.#current
  }

  /** Make this session the page's. `answered`: its cookies go out in an answer too. */
  use(session: Session, answered: boolean): void {
    this.#current = { sessionId: session.id, shopToken: session.shopToken }
    if (!answered) return
    this.#answered.add(session.id)
    if (this.#answered.size > REMEMBERED_ANSWERS) this.#answered.delete(this.#answered.values().next().value as string)
  }

  /** The page signs out (its session, if any, is ended by the store). */
  forget(): void {
    this.#current = { sessionId: undefined, shopToken: undefined }
  }

  /** The session cookies a request is answered for: its own pair when it carries one the test chose, else the page's. */
  cookiesOf(request: Request): SessionCookieValues {
    const own = sessionPair(readCookieHeader(request.headers.get('cookie')))
    return own && !this.#answered.has(own.sessionId ?? '') ? own : this.#current
  }
}
