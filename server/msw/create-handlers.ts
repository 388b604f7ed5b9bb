import type { HttpHandler } from 'msw'
import type { FixtureDocument } from '../domain/fixture-document.js'
import { parseFixtureText } from '../domain/fixture-text.js'
import { parseStore } from '../domain/parse-store.js'
import type { FaultSpec } from '../domain/rules/fault-rules.js'
import { HANDLE_INPUT_NAMES, storeControls, type StoreControls } from '../domain/store-controls.js'
import { Store } from '../domain/store.js'
import type { StoreDefinition } from '../domain/types.js'
import { loadCurrentCustomerSpec } from '../http/current-customer-spec.js'
import { cookieHeader } from '../http/session-cookies.js'
import { rejectUnknownOptions, resolveStoreOptions } from '../options/store-options.js'
import { invalid, valueChecks } from '../options/value-checks.js'
import { storefrontHandlers } from './handlers.js'
import { managementHandlers } from './management-handlers.js'
import { PageSession } from './page-session.js'
import { fixturesFromFile } from './platform.js'

/**
 * Options of {@link createMockStorefrontHandlers}: those of `buildApp` that make sense without a
 * server, checked by the same code with the same errors, and `origin`.
 */
export interface MockStorefrontHandlersOptions {
  /**
   * The store: a fixture document as an object, or as YAML or JSON text (a string with a line
   * break, or starting with `{`); in Node also a fixture file's path. Default: the bundled
   * `fixtures/store.yaml` (built into the browser bundle).
   */
  fixtures?: string | FixtureDocument
  /** Freeze the clock at these epoch seconds. Default: real time. */
  now?: number
  /** Token lifetime in seconds for apps that set no `token_ttl`. Default 900 (BigCommerce's 15 minutes). */
  tokenTtl?: number
  /** Idle seconds after which a storefront session ends. Default 86400 (one day). */
  sessionTtl?: number
  /** Most sessions held at once; the least recently used one ends past it. Default 10000. */
  maxSessions?: number
  /** Faults active from the start, as `storefront.faults.add` takes them (at most 100); `reset()` ends them too. Default none. */
  faults?: FaultSpec[]
  /**
   * Answer on this origin only (`http://localhost:5173`, written as a browser sends it in
   * `Origin`). Default: any origin, as the Buyer Portal's `*\/customer/current.jwt` matches.
   * The Management API answers on `https://api.bigcommerce.com` too, whatever this says.
   */
  origin?: string
}

/**
 * The test handle of MSW handlers: `startMockStorefront()`'s, without what needs a socket. The
 * page's session is held here (a page cannot keep the `HttpOnly` session cookies): `login()`
 * signs a customer in as the page's shopper, and every request without a session pair of its
 * own is answered for that shopper.
 */
export interface PageStorefront extends Omit<StoreControls, 'startSession'> {
  /**
   * Sign a customer in (by id or email) as the shopper of the page under test, without a
   * password, ending the page's previous session. Answers the `Cookie` header value too, for
   * a client that sends its own.
   *
   * @example
   * ```ts
   * storefront.login('john.doe@example.com')
   * const jwt = await (await fetch('/customer/current.jwt?app_client_id=6sv16tfx3j5gsopm42ss5dd67g2srvq')).text()
   * ```
   */
  login(customer: number | string): string
  /** Sign the page's shopper out (as `GET /login.php?action=logout`): the next token request is a guest's. */
  logout(): void
  /**
   * A Customer Login URL (`/login/token/{jwt}`), signed as an app backend signs it: absolute on
   * `origin`, or on the page's own origin in a browser, else the path alone.
   */
  customerLoginUrl(clientId: string, customerId: number, redirectTo?: string): Promise<string>
  /** The store behind the handlers (`app.mock` of a server): customers, apps, sessions, faults, clock. */
  store: Store
}

/** What {@link createMockStorefrontHandlers} answers. */
export interface MockStorefrontHandlers {
  /** Give them to `setupServer(...handlers)` (`msw/node`) or `setupWorker(...handlers)` (`msw/browser`). */
  handlers: HttpHandler[]
  /** The test handle. */
  storefront: PageStorefront
}

/** Every option {@link MockStorefrontHandlersOptions} has. */
const HANDLER_OPTION_NAMES = ['fixtures', 'now', 'tokenTtl', 'sessionTtl', 'maxSessions', 'faults', 'origin'] as const

/**
 * MSW handlers for the mock storefront, backed by a fresh `Store` with the server's rules:
 * `GET /customer/current.jwt`, `GET /login/token/{jwt}` (Customer Login), `POST
 * /login.php?action=check_login` and `GET /login.php?action=logout`, with sessions, signed
 * tokens, faults, the clock and the request log, and no server to start. They also answer the
 * Management API slice the server serves, on `https://api.bigcommerce.com/stores/{store_hash}/`
 * (what app backends call) and on the storefront's origin, from the same store: the customer a
 * token names is the one `GET /v3/customers?id:in=` answers.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node'
 * import { createMockStorefrontHandlers } from 'bigcommerce-mock-storefront/msw'
 *
 * const { handlers, storefront } = createMockStorefrontHandlers({ now: 1480831863 })
 * const server = setupServer(...handlers)
 * server.listen()
 * storefront.login('john.doe@example.com')
 * const jwt = await (await fetch('http://localhost/customer/current.jwt?app_client_id=6sv16tfx3j5gsopm42ss5dd67g2srvq')).text()
 * ```
 */
export function createMockStorefrontHandlers(options: MockStorefrontHandlersOptions = {}): MockStorefrontHandlers {
  rejectUnknownOptions(options, HANDLER_OPTION_NAMES)
  const settings = resolveStoreOptions(options)
  const origin = options.origin === undefined ? undefined : valueChecks.corsOrigin(options.origin, 'origin')
  const store = new Store(storeDefinition(options.fixtures), settings)
  for (const fault of settings.faults) store.addFault(fault)
  const page = new PageSession()
  const { startSession, ...controls } = storeControls(store)
  const handlers = [
    ...storefrontHandlers({ store, page, currentCustomerQuery: loadCurrentCustomerSpec().querystring, origin }),
    ...managementHandlers(store, origin),
  ]
  const storefront: PageStorefront = {
    ...controls,
    store,
    login: (customer) => {
      store.signOut(page.cookies)
      const session = startSession(customer)
      page.use(session, false)
      return cookieHeader(session)
    },
    logout: () => {
      store.signOut(page.cookies)
      page.forget()
    },
    customerLoginUrl: async (clientId, customerId, redirectTo) =>
      (origin ?? pageOrigin()) + (await store.customerLoginPath(clientId, customerId, redirectTo, HANDLE_INPUT_NAMES)),
    reset: () => {
      controls.reset()
      page.forget()
    },
  }
  return { handlers, storefront }
}

/**
 * The store `fixtures` describes: an object as the server takes it; a string with a line break or
 * starting with `{` as a document's text (a path has neither); any other string as a file path.
 */
function storeDefinition(fixtures: unknown): StoreDefinition {
  if (fixtures === undefined) return fixturesFromFile(undefined)
  if (typeof fixtures !== 'string') return parseStore(fixtures, '<fixtures object>')
  const text = fixtures.trim()
  if (text === '') throw invalid('fixtures', 'a fixture document (an object, or YAML or JSON text) or a file path', fixtures)
  if (text.includes('\n') || text.startsWith('{')) return parseFixtureText(fixtures, '<fixtures text>', text.startsWith('{'))
  return fixturesFromFile(fixtures)
}

/** The page's own origin in a browser (or jsdom), for an absolute URL; none elsewhere. */
function pageOrigin(): string {
  const location = (globalThis as { location?: { origin?: unknown } }).location
  const origin = location?.origin
  return typeof origin === 'string' && /^https?:\/\//.test(origin) ? origin : ''
}
