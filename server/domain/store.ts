import { Clock } from '../clock.js'
import { ERRORS } from '../errors.js'
import { showValue } from './describe-value.js'
import { AppRegistry, type RegisteredApp } from './app-registry.js'
import { hmacKey, sameText, sha256Base64url } from './crypto-port.js'
import {
  currentCustomerClaims,
  CurrentCustomerTokenMinter,
  mintCurrentCustomerToken,
  wrongAlgorithmFor,
  wrongSecretFor,
  type CurrentCustomerClaims,
  type CurrentCustomerTokenInput,
} from './current-customer-token.js'
import { CustomerDirectory } from './customer-directory.js'
import {
  customerLoginSubject,
  verifyCustomerLogin,
  type CustomerLoginContext,
  type CustomerLoginFailure,
  type CustomerLoginSuccess,
} from './customer-login.js'
import { FaultRegistry, type FaultSubject } from './fault-registry.js'
import type { FixtureApp, FixtureCustomer } from './fixture-document.js'
import { RequestLog, type RecordedRequest } from './request-log.js'
import { appEntry, checkAppEntry } from './rules/app-rules.js'
import { checkClockChange, EPOCH_SECONDS_EXPECTED, isEpochSeconds, type ClockChange } from './rules/clock-rules.js'
import { checkCustomerEntry, customerClashes, customerEntry, emailKey, MAX_CUSTOMER_ID } from './rules/customer-rules.js'
import type { Fault, FaultRoute, FaultSpec } from './rules/fault-rules.js'
import { SessionStore, type Session } from './session-store.js'
import { signCustomerLoginPath } from './sign-customer-login.js'
import type { App, Customer, StoreDefinition } from './types.js'
import {
  paginate,
  queryCustomers,
  queryOrders,
  type CustomerQuery,
  type OrderQuery,
  type Page,
  type PageRequest,
} from './management-queries.js'
import { RecordBook } from './record-book.js'
import type { AttributeValue, Channel, CustomerAttribute, CustomerGroup, Order } from './record-types.js'
import {
  MAX_BATCH,
  type AttributeValueUpsert,
  type CustomerCreate,
  type CustomerUpdate,
  type Credentials,
} from './rules/management-rules.js'
import { MAX_CUSTOMER_ATTRIBUTES, numberProfile } from './rules/profile-rules.js'
import { MAX_CUSTOMER_ATTRIBUTES_PER_STORE } from './rules/record-rules.js'
import { UsedJtiStore } from './used-jti-store.js'
import { verifyCurrentCustomerToken, type TokenVerification } from './verify-current-customer-token.js'

/** How a {@link Store} is set up; each mirrors an option of `buildApp`. */
export interface StoreSettings {
  /** Freeze the clock at these epoch seconds; real time when absent. */
  now?: number | undefined
  /** Token lifetime in seconds for apps that set none. */
  tokenTtl: number
  /** Idle seconds after which a session ends. */
  sessionTtl: number
  /** Most sessions held at once. */
  maxSessions: number
  /** Override {@link RUNTIME_CAPS}. */
  runtimeCaps?: { customers: number; apps: number } | undefined
}

/** The two session cookie values a request carried (either may be missing). */
export interface SessionCookieValues {
  sessionId: string | undefined
  shopToken: string | undefined
}

/** A signed-in session and its customer. */
export interface SignedIn {
  session: Session
  customer: Customer
}

/** What the caller calls its inputs, so that an error names the field the caller sent. */
export interface InputNames {
  /** Default `client_id`. */
  app?: string
  /** Default `customer_id`. */
  customer?: string
}

/** A customer's changes: given fields replace, the rest stay (the control API's PATCH). */
export type CustomerChanges = Partial<FixtureCustomer>

/** An app's changes: given fields replace, `null` ones go back to their default. */
export interface AppChanges {
  client_secret?: string
  name?: string | null
  token_ttl?: number | null
  algorithm?: string
  group_id?: string | number | null
  /** The Management API's access token; null: none. */
  access_token?: string | null
}

/**
 * Most customers, and apps, the store adds at run time (control API, handle) beyond its
 * fixtures: the order of `generate.customers`' own cap, so a runaway test loop fails clearly
 * instead of exhausting memory.
 */
const RUNTIME_CAPS = { customers: 1_000_000, apps: 10_000 } as const

/** A new customer: the fixture entry's fields; `id` defaults to the next free one. */
export type NewCustomer = Omit<FixtureCustomer, 'id'> & { id?: number }

/**
 * Answer of {@link Store.acceptCustomerLogin}: a refusal, or a success with the session it
 * started; no session when the token signed the shopper out (`redirect_to` the logout).
 */
export type CustomerLoginOutcome = CustomerLoginFailure | (CustomerLoginSuccess & { session: Session | undefined })

/** The mock's clock as read now (see {@link Store.now}). */
export interface ClockReading {
  /** Epoch milliseconds. */
  ms: number
  /** Whole epoch seconds, as JWT claims carry time. */
  seconds: number
  /** Whether time stands still. */
  frozen: boolean
}

/** How much a {@link Store} holds now, for views and tests (see {@link Store.stats}). */
export interface StoreStats {
  customers: number
  apps: number
  /** Sessions held, idle ones not yet dropped included (at most `maxSessions`). */
  sessions: number
  /** Of those, the ones that would let their customer in now. */
  liveSessions: number
  /** Customer Login `jti`s remembered as spent. */
  usedJtis: number
  /** Request log entries held (at most `requestLogCapacity`). */
  requests: number
  /** Requests recorded since start or the last clear, the ones the log has dropped included. */
  requestsTotal: number
  /** Most entries the request log holds. */
  requestLogCapacity: number
}

/** A storefront request for the log, without its time: the store stamps it by its clock. */
export type NewRecordedRequest = Omit<RecordedRequest, 'atMs'>

/**
 * The customers the fixtures describe, as they are now (see {@link Store.fixtureCustomers}): one
 * removed or renumbered at run time is left out, one changed is shown changed.
 */
export interface FixtureCustomers {
  /** Those written out in the fixtures (`customers`), in fixture order. */
  written: Customer[]
  /** How many the fixtures write out, removed ones included. */
  writtenCount: number
  /** Of the first few faker generated (`generate`), those that still exist. */
  generated: Customer[]
  /** How many faker generated. */
  generatedCount: number
  /** The password the generated customers share; undefined when none were generated. */
  generatedPassword: string | undefined
}

/**
 * A new fixture state taken in by slices (see {@link Store.prepareReload}): nothing changes
 * until {@link PendingReload.apply}.
 */
export interface PendingReload {
  /** Index the next of the new state's customers, in its order. */
  addCustomers(batch: Iterable<Customer>): void
  /** Swap the new state in at once; `definition.customers` are the customers added. */
  apply(definition: StoreDefinition): void
}

/**
 * One mock store and everything it knows while it runs: customers, apps, storefront sessions,
 * spent Customer Login `jti`s, the clock and the request log. Every rule about them lives in a
 * method here (ids and emails unique, a removed customer's sessions end, the idle-session rule,
 * the clock's range, which app signs a token and how), so the storefront routes, the control
 * API and the programmatic handle are adapters that call it and none re-implements a rule.
 *
 * The parts are private: read them through the read methods and {@link stats}, change them
 * through the other methods.
 *
 * @example
 * ```ts
 * const store = new Store(loadFixtures(), { tokenTtl: 900, sessionTtl: 86_400, maxSessions: 10_000 })
 * const { session } = store.startSession(store.findCustomer('john.doe@example.com'))
 * const { token } = store.issueCurrentCustomerToken('6sv16tfx3j5gsopm42ss5dd67g2srvq', { sessionId: session.id, shopToken: session.shopToken })
 * ```
 */
export class Store {
  readonly #clock: Clock
  #customers = new CustomerDirectory()
  readonly #apps = new AppRegistry()
  readonly #sessions: SessionStore
  /** `jti`s of Customer Login tokens already spent, each until its `iat` window has passed. */
  readonly #usedJtis = new UsedJtiStore()
  /** The latest storefront requests (never their cookies, tokens or secrets). */
  readonly #requests = new RequestLog()
  /** Lifetime of tokens for apps that set none. */
  readonly #defaultTokenTtl: number
  /** Mints the token route's tokens, the same one again for the same inputs within a second. */
  readonly #tokens = new CurrentCustomerTokenMinter()
  /** How many customers and apps may be added at run time beyond the fixtures' (see {@link RUNTIME_CAPS}). */
  readonly #runtimeCaps: { customers: number; apps: number }
  #definition: StoreDefinition
  readonly #faults = new FaultRegistry()
  readonly #faultEndListeners = new Set<(fault: Fault) => void>()
  readonly #resetListeners = new Set<() => void>()
  #generation = 0
  /** The Management API's records: customer groups, attributes, channels, orders. */
  readonly #records = new RecordBook()
  /** When the store was made, by its clock: the date of fixture records that give none. */
  readonly #fixtureTimeMs: number

  constructor(definition: StoreDefinition, settings: StoreSettings) {
    if (settings.now !== undefined && !isEpochSeconds(settings.now))
      throw ERRORS.invalidRequest('now', `'now' must be ${EPOCH_SECONDS_EXPECTED}, got ${showValue(settings.now)}`)
    this.#clock = new Clock(settings.now)
    this.#sessions = new SessionStore({ idleTtlSeconds: settings.sessionTtl, maxSessions: settings.maxSessions })
    this.#defaultTokenTtl = settings.tokenTtl
    this.#runtimeCaps = settings.runtimeCaps ?? RUNTIME_CAPS
    this.#definition = definition
    this.#fixtureTimeMs = this.#clock.nowMs()
    this.#load(definition)
  }

  /** The store hash every token carries. */
  get storeHash(): string {
    return this.#definition.storeHash
  }

  /** How much the store holds now: what `GET /__mock/health` counts, and what tests check. */
  stats(): StoreStats {
    return {
      customers: this.#customers.size,
      apps: this.#apps.size,
      sessions: this.#sessions.size,
      liveSessions: this.liveSessions().length,
      usedJtis: this.#usedJtis.size,
      requests: this.#requests.size,
      requestsTotal: this.#requests.total,
      requestLogCapacity: this.#requests.capacity,
    }
  }

  // --- the whole store -------------------------------------------------------------------

  /**
   * How many times the store has been {@link reset}. A storefront request notes it when it
   * begins; one that began before the last reset changes nothing after it (no session, no spent
   * `jti`, no request log entry): see `storefront/reset-guard.ts`.
   */
  get generation(): number {
    return this.#generation
  }

  /**
   * Back to exactly the fixture state: its customers and apps, no sessions, no spent `jti`s, no
   * faults, an empty request log, the start clock. Requests held at the time (a `hang` or `delay`
   * fault, `--latency`) end unanswered first (see {@link onReset}), so none finishes into the
   * fresh state.
   */
  reset(): void {
    this.#generation++
    for (const listener of this.#resetListeners) listener()
    this.clearFaults()
    this.#load(this.#definition)
    this.#sessions.clear()
    this.#usedJtis.clear()
    this.#requests.clear()
    this.#clock.returnToStart()
  }

  /**
   * Apply a new fixture state (an edited fixture file), at once. Sessions of customers that
   * still exist survive; the others end. The definition comes from the fixture parser, so it
   * already keeps the customer and app rules (see `rules/`).
   */
  reload(definition: StoreDefinition): void {
    this.#swapIn(definition, new CustomerDirectory(definition.customers))
  }

  /**
   * {@link reload} in slices: the new state's customers are indexed batch by batch (the
   * `--watch` reloader takes them in between requests, so a large file does not stall them)
   * and swapped in whole by `apply`.
   */
  prepareReload(): PendingReload {
    const customers = new CustomerDirectory()
    return {
      addCustomers: (batch) => {
        for (const customer of batch) customers.add(customer)
      },
      apply: (definition) => {
        if (customers.size !== definition.customers.length)
          throw new Error(`the reload indexed ${customers.size} customers, the fixtures have ${definition.customers.length}`)
        this.#swapIn(definition, customers)
      },
    }
  }

  // --- the clock ---------------------------------------------------------------------------

  /** The mock's clock now: every token, session expiry and Customer Login check reads it. */
  now(): ClockReading {
    const ms = this.#clock.nowMs()
    return { ms, seconds: Math.floor(ms / 1000), frozen: this.#clock.frozen }
  }

  /**
   * Freeze the clock at `now` epoch seconds, or move it by `advance` seconds (frozen or
   * running), by the clock's rules (see `checkClockChange`): exactly one of the two, and the
   * clock stays within 0 to `MAX_EPOCH_SECONDS`; otherwise a 400 naming the field, and the
   * clock is left alone.
   */
  changeClock(change: ClockChange): ClockReading {
    const checked = checkClockChange(change, this.#clock.nowMs())
    if ('freezeAt' in checked) this.#clock.freeze(checked.freezeAt)
    else this.#clock.advance(checked.advanceBy)
    return this.now()
  }

  /** Back to real time, without any offset. */
  useRealTime(): ClockReading {
    this.#clock.useRealTime()
    return this.now()
  }

  // --- the request log ---------------------------------------------------------------------

  /**
   * Add a storefront request to the log, stamped by the mock's clock; the oldest is dropped when
   * the log is full. A request that began before the last {@link reset} (its `startedIn`
   * {@link generation} is an older one) is not recorded: the log a reset emptied holds nothing
   * from before it.
   */
  recordRequest(entry: NewRecordedRequest, startedIn = this.#generation): void {
    if (startedIn !== this.#generation) return
    this.#requests.record({ atMs: this.#clock.nowMs(), ...entry })
  }

  /** The recorded storefront requests, oldest first; with `limit`, only the most recent that many. */
  listRequests(limit?: number): RecordedRequest[] {
    return this.#requests.entries(limit)
  }

  /** Forget every recorded request; answers how many were held. */
  clearRequests(): number {
    return this.#requests.clear()
  }

  // --- customers ---------------------------------------------------------------------------

  /** The customer with this id, or a 404 naming `field`. */
  requireCustomer(id: number, field = 'customer_id'): Customer {
    const customer = this.#customers.get(id)
    if (!customer) throw ERRORS.unknownCustomer(id, field)
    return customer
  }

  /** The customer with this id, or with this email (compared without case), or a 404 naming `field`. */
  findCustomer(idOrEmail: number | string, field = 'customer'): Customer {
    if (typeof idOrEmail === 'number') return this.requireCustomer(idOrEmail, field)
    const customer = this.#customers.findByEmail(idOrEmail)
    if (!customer) throw ERRORS.unknownCustomer(idOrEmail, field)
    return customer
  }

  /** The customer with this id, or with this email (compared without case), if any. */
  lookupCustomer(idOrEmail: number | string): Customer | undefined {
    return typeof idOrEmail === 'number' ? this.#customers.get(idOrEmail) : this.#customers.findByEmail(idOrEmail)
  }

  /** Every customer, in listing order. */
  allCustomers(): IterableIterator<Customer> {
    return this.#customers.all()
  }

  /**
   * The customers the fixtures describe, as they are now: which were written out and which
   * faker generated, worked out here once for the banner and the demo pages. Only the first
   * `generatedShown` generated ones are looked up (a fixture may generate a million).
   */
  fixtureCustomers(generatedShown: number): FixtureCustomers {
    const { customers, generatedCount, generatedPassword } = this.#definition
    const writtenCount = customers.length - generatedCount
    const current = (from: number, to: number) => {
      const found: Customer[] = []
      for (let index = from; index < to; index++) {
        const customer = this.#customers.get(customers[index]?.id ?? 0)
        if (customer) found.push(customer)
      }
      return found
    }
    return {
      written: current(0, writtenCount),
      writtenCount,
      generated: current(writtenCount, Math.min(customers.length, writtenCount + Math.max(0, generatedShown))),
      generatedCount,
      generatedPassword,
    }
  }

  /** A page of customers in listing order, or the one with `email`; `total` counts all that match. */
  listCustomers(page: { limit: number; offset: number; email?: string | undefined }): { customers: Customer[]; total: number } {
    if (page.email !== undefined) {
      const match = this.#customers.findByEmail(page.email)
      return { customers: match && page.offset === 0 ? [match] : [], total: match ? 1 : 0 }
    }
    const customers: Customer[] = []
    let index = 0
    for (const customer of this.#customers.all()) {
      if (index++ < page.offset) continue
      if (customers.length >= page.limit) break
      customers.push(customer)
    }
    return { customers, total: this.#customers.size }
  }

  /**
   * Add a customer checked by the customer rules (`rules/customer-rules.ts`, as fixture files
   * are); the id defaults to one past the highest. Id and email must be free (409).
   */
  addCustomer(fields: NewCustomer): Customer {
    if (this.#customers.size >= this.#definition.customers.length + this.#runtimeCaps.customers)
      throw ERRORS.storeFull('customers', this.#runtimeCaps.customers)
    const customer = checkCustomerEntry({ ...fields, id: fields.id ?? this.#nextCustomerId() })
    this.#assertFree(customer)
    this.#customers.add(customer)
    return customer
  }

  /**
   * Change a customer by the customer rules, keeping their place in the listing. A new id or
   * email must be free; a new id ends the customer's sessions (they name the customer by id).
   */
  updateCustomer(id: number, changes: CustomerChanges): { customer: Customer; sessionsEnded: number } {
    const existing = this.requireCustomer(id, 'id')
    const checked = checkCustomerEntry({ ...customerEntry(existing), ...changes })
    // The profile (the Management API's fields) is no control API field: it stays as it was.
    const updated = existing.profile && !checked.profile ? { ...checked, profile: existing.profile } : checked
    this.#assertFree(updated, existing.id)
    if (existing.id === updated.id && emailKey(existing.email) === emailKey(updated.email)) {
      this.#customers.add(updated)
    } else {
      this.#customers.replaceAll([...this.#customers.all()].map((customer) => (customer.id === existing.id ? updated : customer)))
    }
    const sessionsEnded = updated.id === existing.id ? 0 : this.#sessions.endForCustomer(existing.id)
    return { customer: updated, sessionsEnded }
  }

  /** Remove a customer and end their sessions. */
  removeCustomer(id: number): { id: number; sessionsEnded: number } {
    this.requireCustomer(id, 'id')
    this.#customers.remove(id)
    return { id, sessionsEnded: this.#sessions.endForCustomer(id) }
  }

  // --- apps --------------------------------------------------------------------------------

  /** The app with this client id, or a 404 naming `field` and the registered ids. */
  requireApp(clientId: string, field = 'client_id'): RegisteredApp {
    const app = this.#apps.get(clientId)
    if (!app) throw ERRORS.unknownApp(clientId, this.#apps.clientIds(), field)
    return app
  }

  /** The app with this client id, if registered. */
  lookupApp(clientId: string): RegisteredApp | undefined {
    return this.#apps.get(clientId)
  }

  /** Every registered app, in registration order. */
  allApps(): RegisteredApp[] {
    return [...this.#apps.all()]
  }

  /** The lifetime of this app's tokens, in seconds. */
  tokenTtlOf(app: App): number {
    return app.tokenTtl ?? this.#defaultTokenTtl
  }

  /** Register an app checked by the app rules (`rules/app-rules.ts`, as fixture files are); its client id must be free (409). */
  addApp(entry: FixtureApp): RegisteredApp {
    if (this.#apps.size >= this.#definition.apps.length + this.#runtimeCaps.apps) throw ERRORS.storeFull('apps', this.#runtimeCaps.apps)
    const app = checkAppEntry(entry)
    if (this.#apps.get(app.clientId))
      throw ERRORS.conflict('client_id', `An app with client id ${JSON.stringify(app.clientId)} is already registered.`)
    this.#assertTokenFree(app)
    return this.#apps.register(app)
  }

  /** Change an app by the app rules; a new secret signs every token from now on, the old one none. */
  updateApp(clientId: string, changes: AppChanges): RegisteredApp {
    const existing = this.requireApp(clientId)
    const { name, token_ttl, group_id, access_token, ...always } = changes
    const merged: FixtureApp = { ...appEntry(existing), ...always }
    if (access_token === null) delete merged.access_token
    else if (access_token !== undefined) merged.access_token = access_token
    if (name === null) delete merged.name
    else if (name !== undefined) merged.name = name
    if (token_ttl === null) delete merged.token_ttl
    else if (token_ttl !== undefined) merged.token_ttl = token_ttl
    if (group_id === null) delete merged.group_id
    else if (group_id !== undefined) merged.group_id = group_id
    const app = checkAppEntry(merged)
    this.#assertTokenFree(app)
    return this.#apps.register(app)
  }

  /** Remove an app. */
  removeApp(clientId: string): RegisteredApp {
    const app = this.requireApp(clientId)
    this.#apps.remove(app.clientId)
    return app
  }

  // --- sessions ----------------------------------------------------------------------------

  /** Check an email and password; answers the customer, or undefined when either is wrong. */
  authenticate(email: string, password: string): Customer | undefined {
    const customer = this.#customers.findByEmail(email.trim())
    // Compare digests so the comparison takes the same time whatever the lengths.
    const matches = sameText(sha256Base64url(customer?.password ?? ''), sha256Base64url(password))
    // A customer without a password (made by the Management API without one) cannot sign in.
    return customer && customer.password !== '' && matches ? customer : undefined
  }

  /** Start a session for a customer, ending the one the browser held (see {@link signOut}), if any. */
  startSession(customer: Customer, previous?: SessionCookieValues): SignedIn {
    if (previous) this.signOut(previous)
    return { session: this.#sessions.create(customer.id, this.#clock.nowMs()), customer }
  }

  /** Sign in with an email and password (the storefront form); undefined when either is wrong. */
  signIn(email: string, password: string, previous?: SessionCookieValues): SignedIn | undefined {
    const customer = this.authenticate(email, password)
    return customer ? this.startSession(customer, previous) : undefined
  }

  /**
   * End the session these cookies hold; answers the session that ended, if any. Both cookies
   * must match, as for any other use of the session: a session id without its own `SHOP_TOKEN`
   * is a guest's cookie and ends nothing, so knowing someone's session id alone cannot sign them out.
   */
  signOut(cookies: SessionCookieValues): Session | undefined {
    const session = this.#sessions.resume(cookies.sessionId, cookies.shopToken, this.#clock.nowMs())
    if (session) this.#sessions.end(session.id)
    return session
  }

  /**
   * The session these cookies hold and its customer, if the session is live and the customer
   * exists. A `signed-out` fault ends the session first, so the request is a guest's.
   */
  resumeSession(cookies: SessionCookieValues, fault?: Fault): SignedIn | undefined {
    if (fault?.effect === 'signed-out') {
      this.signOut(cookies)
      return undefined
    }
    const session = this.#sessions.resume(cookies.sessionId, cookies.shopToken, this.#clock.nowMs())
    if (!session) return undefined
    const customer = this.#customers.get(session.customerId)
    if (!customer) {
      this.#sessions.end(session.id)
      return undefined
    }
    return { session, customer }
  }

  /**
   * Every session held, least recently used first, idle ones not yet dropped included: for
   * views and tests (reading them counts as no use). A request uses its session through
   * {@link resumeSession}.
   */
  heldSessions(): Session[] {
    return [...this.#sessions.all()]
  }

  /** When a session ends if it is not used again, epoch milliseconds. */
  sessionExpiresAtMs(session: Session): number {
    return this.#sessions.expiresAtMs(session)
  }

  /** Sessions that would still let their customer in now. */
  liveSessions(): Session[] {
    return [...this.#sessions.live(this.#clock.nowMs())].filter((session) => this.#customers.get(session.customerId))
  }

  /** End every session; answers how many were live. */
  endAllSessions(): number {
    const ended = this.liveSessions().length
    this.#sessions.clear()
    return ended
  }

  /** End the session with this public handle, or a 404. */
  endSession(handle: string): Session {
    const session = this.#sessions.findByHandle(handle)
    if (!session) throw ERRORS.unknownSession(handle)
    this.#sessions.end(session.id)
    return session
  }

  // --- tokens ------------------------------------------------------------------------------

  /**
   * `GET /customer/current.jwt`: the token of the customer these cookies sign in, for this app.
   * An unknown app is a 400 naming `app_client_id` (a misconfigured app is never mistaken for a
   * guest); no live session is BigCommerce's 404.
   *
   * A fault the request drew (see {@link takeFault}) changes one thing: `signed-out` ends the
   * session first; `expired-token` mints at a time long enough ago that `exp` is
   * {@link EXPIRED_TOKEN_AGE_SECONDS} behind the clock; `wrong-secret` signs with
   * `WRONG_SECRET`; `wrong-algorithm` signs with the app's secret and another HMAC algorithm.
   * Every other part of the token is what a correct one has.
   */
  issueCurrentCustomerToken(
    clientId: string,
    cookies: SessionCookieValues,
    fault?: Fault,
  ): { token: string; customer: Customer; app: RegisteredApp } {
    const app = this.#apps.get(clientId)
    if (!app) throw ERRORS.unknownAppParameter(clientId, this.#apps.clientIds())
    const signedIn = this.resumeSession(cookies, fault)
    if (!signedIn) throw ERRORS.notLoggedIn()
    const input = this.#tokenInput(app, signedIn.customer)
    if (fault?.effect === 'expired-token') input.now -= this.tokenTtlOf(app) + EXPIRED_TOKEN_AGE_SECONDS
    else if (fault?.effect === 'wrong-secret') input.signingKey = hmacKey(wrongSecretFor(app))
    else if (fault?.effect === 'wrong-algorithm') input.algorithm = wrongAlgorithmFor(app.algorithm)
    return { token: this.#tokens.mint(input), customer: signedIn.customer, app }
  }

  /** A Current Customer token for this app and customer, minted now as the storefront would, without a session (`POST /__mock/tokens`, the handle's `mintToken`). */
  mintToken(clientId: string, customerId: number, names: InputNames = {}): { token: string; claims: CurrentCustomerClaims } {
    const input = this.#tokenInput(this.requireApp(clientId, names.app), this.requireCustomer(customerId, names.customer))
    return { token: mintCurrentCustomerToken(input), claims: currentCustomerClaims(input) }
  }

  /** Verify a Current Customer token as this app's backend should, by the mock's clock (`POST /__mock/apps/{client_id}/verify`). */
  verifyToken(clientId: string, token: string, names: InputNames = {}): Promise<TokenVerification & { app: RegisteredApp }> {
    const app = this.requireApp(clientId, names.app)
    return verifyCurrentCustomerToken(app, token, this.#clock.nowMs()).then((result) => ({ ...result, app }))
  }

  /** The path `/login/token/{jwt}` of a Customer Login URL for this customer, signed as this app's backend would. */
  customerLoginPath(clientId: string, customerId: number, redirectTo?: string, names: InputNames = {}): Promise<string> {
    const app = this.requireApp(clientId, names.app)
    const customer = this.requireCustomer(customerId, names.customer)
    return Promise.resolve(
      signCustomerLoginPath({
        app,
        customerId: customer.id,
        storeHash: this.storeHash,
        now: this.#clock.nowSeconds(),
        ...(redirectTo !== undefined && { redirectTo }),
      }),
    )
  }

  /**
   * `GET /login/token/{jwt}`: check a Customer Login token by BigCommerce's rules (see
   * `verifyCustomerLogin`), spend its `jti`, and on success start the customer's session in
   * place of the one the browser held; a token whose `redirect_to` is the logout only ends the
   * browser's session, as BigCommerce documents for signing a customer out. A `refuse` fault refuses it with rule `fault` before any
   * check, so its `jti` is not spent and the same URL works once the fault has ended.
   * Undefined, with nothing changed, when the store was reset since `startedIn` (the
   * {@link generation} the request began in): the request must then go unanswered.
   */
  acceptCustomerLogin(
    jwt: string,
    requestIp: string,
    previous: SessionCookieValues,
    fault?: Fault,
    startedIn = this.#generation,
  ): Promise<CustomerLoginOutcome | undefined> {
    if (startedIn !== this.#generation) return Promise.resolve(undefined)
    if (fault?.effect === 'refuse') {
      const { clientId } = customerLoginSubject(jwt)
      return Promise.resolve({
        ok: false,
        rule: 'fault',
        detail: `refused on purpose by fault ${fault.id} (effect refuse); the token was not checked and its jti not spent`,
        hints: [],
        ...(clientId !== undefined && this.#apps.get(clientId) && { clientId }),
      })
    }
    // Checked synchronously (the crypto port's HMAC), so no reset can come in between.
    const context: CustomerLoginContext = {
      apps: this.#apps,
      customers: { get: (id) => this.#customers.get(id) },
      usedJtis: this.#usedJtis,
      clock: this.#clock,
      storeHash: this.storeHash,
      channels: this.channels(),
    }
    const result = verifyCustomerLogin(context, jwt, requestIp)
    if (!result.ok) return Promise.resolve(result)
    if (result.signOut) {
      this.signOut(previous)
      return Promise.resolve({ ...result, session: undefined })
    }
    return Promise.resolve({ ...result, session: this.startSession(result.customer, previous).session })
  }

  // --- faults ------------------------------------------------------------------------------

  /** Make a fault active (see `FaultRegistry`); a 400 naming the field when the spec does not fit, a 409 past the cap. */
  addFault(spec: FaultSpec): Fault {
    return this.#faults.add(spec, this.#clock.nowMs())
  }

  /** The active faults, in creation order. */
  listFaults(): Fault[] {
    return this.#faults.list()
  }

  /** End one fault, or a 404 naming `id`. */
  removeFault(id: string): Fault {
    const fault = this.#faults.remove(id)
    if (!fault) throw ERRORS.unknownFault(id)
    this.#faultEnded(fault)
    return fault
  }

  /**
   * End the fault with this id if it is still active; answers whether it was. For a handle on a
   * fault it added: one that has already ended (used up, cleared, reset) is no error there.
   */
  endFault(id: string): boolean {
    const fault = this.#faults.remove(id)
    if (fault) this.#faultEnded(fault)
    return fault !== undefined
  }

  /** End every fault; answers how many were active. */
  clearFaults(): number {
    const active = this.#faults.list()
    this.#faults.clear()
    for (const fault of active) this.#faultEnded(fault)
    return active.length
  }

  /** Is any fault active at all? What every storefront request asks first, before it looks at its route. */
  hasAnyFault(): boolean {
    return this.#faults.size > 0
  }

  /** Is any fault active on this route? O(1): what a storefront request asks when some fault is. */
  hasFault(route: FaultRoute): boolean {
    return this.#faults.has(route)
  }

  /**
   * The fault this request draws: the first active one on `route`, in creation order, whose
   * `client_id` and `customer_id` match; counts one application (ending a fault whose `times`
   * are used up). Undefined when none applies.
   */
  takeFault(route: FaultRoute, subject: FaultSubject): Fault | undefined {
    return this.#faults.take(route, subject)
  }

  /**
   * Who a request to `route` is for, to match faults against: its app and its customer (from
   * the session, the sign-in email or the Customer Login token), and whether the route would
   * answer it signed in (a live session of an existing customer; on `current-customer` also a
   * registered app, so that a token is minted).
   */
  faultSubject(
    route: FaultRoute,
    request: { clientId?: string | undefined; cookies?: SessionCookieValues; email?: string | undefined; loginJwt?: string | undefined },
  ): FaultSubject {
    if (route === 'customer-login') return request.loginJwt === undefined ? {} : customerLoginSubject(request.loginJwt)
    if (route === 'sign-in')
      return { customerId: request.email === undefined ? undefined : this.#customers.findByEmail(request.email.trim())?.id }
    const session = request.cookies && this.#sessions.resume(request.cookies.sessionId, request.cookies.shopToken, this.#clock.nowMs())
    const customerExists = session !== undefined && this.#customers.get(session.customerId) !== undefined
    const appKnown = route !== 'current-customer' || (request.clientId !== undefined && this.#apps.get(request.clientId) !== undefined)
    return { clientId: request.clientId, customerId: session?.customerId, signedIn: customerExists && appKnown }
  }

  /**
   * The fault a storefront request draws, as every adapter asks it: none unless one is active on
   * `route` (O(1)); on `sign-in` only the form post (`action=check_login`) draws one; otherwise
   * who the request is for ({@link faultSubject}) and the first matching fault ({@link takeFault}).
   */
  drawFault(
    route: FaultRoute,
    request: {
      clientId?: string | undefined
      cookies?: SessionCookieValues
      email?: string | undefined
      loginJwt?: string | undefined
      action?: string | undefined
    },
  ): Fault | undefined {
    if (!this.#faults.has(route)) return undefined
    if (route === 'sign-in' && request.action !== 'check_login') return undefined
    return this.#faults.take(route, this.faultSubject(route, request))
  }

  /** Call `listener` whenever an active fault ends by removal, clearing or reset (not when its `times` are used up); answers the unsubscribe. */
  onFaultEnded(listener: (fault: Fault) => void): () => void {
    this.#faultEndListeners.add(listener)
    return () => this.#faultEndListeners.delete(listener)
  }

  /** Call `listener` at the start of every {@link reset}, after {@link generation} has moved on; answers the unsubscribe. */
  onReset(listener: () => void): () => void {
    this.#resetListeners.add(listener)
    return () => this.#resetListeners.delete(listener)
  }

  // --- the Management API ------------------------------------------------------------------

  /**
   * When the store was made (epoch milliseconds by its clock): the `date_created` of every
   * fixture record that gives none (customers, attributes, orders).
   */
  get fixtureTimeMs(): number {
    return this.#fixtureTimeMs
  }

  /** The app whose `access_token` this is (the Management API's `X-Auth-Token`), if any. */
  appByAccessToken(token: string): RegisteredApp | undefined {
    if (token === '') return undefined
    for (const app of this.#apps.all()) if (app.accessToken === token) return app
    return undefined
  }

  /** The store's channels, by id (channel 1 alone when the fixtures list none). */
  channels(): readonly Channel[] {
    return this.#records.channels()
  }

  /** Is there a channel with this id? */
  hasChannel(id: number): boolean {
    return this.#records.channels().some((channel) => channel.id === id)
  }

  /** Every customer group, by id. */
  customerGroups(): CustomerGroup[] {
    return this.#records.groups()
  }

  /** The customer group with this id, if any (0 is no group: none has it). */
  customerGroup(id: number): CustomerGroup | undefined {
    return this.#records.group(id)
  }

  /** Every customer attribute, by id. */
  customerAttributes(): CustomerAttribute[] {
    return this.#records.attributes()
  }

  /** When a customer was made, or last changed (epoch milliseconds); a fixture customer's is {@link fixtureTimeMs}. */
  customerTimeMs(customer: Customer, which: 'created' | 'modified'): number {
    const profile = customer.profile
    const created = profile?.createdAtMs ?? this.#fixtureTimeMs
    return which === 'created' ? created : (profile?.modifiedAtMs ?? created)
  }

  /** `GET /v3/customers`: the customers a query matches, one page of them (see `queryCustomers`). */
  queryCustomers(query: CustomerQuery): Page<Customer> {
    return queryCustomers(this.#customers, query, (customer, which) => this.customerTimeMs(customer, which))
  }

  /**
   * `POST /v3/customers`: make customers by the customer rules (emails unique, compared without
   * case, among the store's and the batch's), each with the next free id. All or none: the
   * first problem is a 422 naming its item and field (`1.email`), and nothing is added. A
   * customer without `authentication.new_password` exists but cannot sign in until one is set.
   */
  createCustomers(batch: readonly CustomerCreate[]): Customer[] {
    if (this.#customers.size + batch.length > this.#definition.customers.length + this.#runtimeCaps.customers)
      throw ERRORS.storeFull('customers', this.#runtimeCaps.customers)
    const now = this.#clock.nowMs()
    let nextId = this.#nextCustomerId()
    const emails = new Map<string, number>()
    const made = batch.map((entry, index) => {
      this.#claimEmail(entry.email, index, emails, undefined)
      this.#assertAttributes(entry.attributes, `${index}.attributes`)
      const customer: Customer = {
        id: nextId++,
        email: entry.email,
        password: entry.password,
        groupId: entry.groupId,
        firstName: entry.firstName,
        lastName: entry.lastName,
        profile: {
          company: entry.company,
          phone: entry.phone,
          addresses: entry.addresses,
          attributes: entry.attributes.map((value) => ({ ...value, createdAtMs: now, modifiedAtMs: now })),
          createdAtMs: now,
          modifiedAtMs: now,
        },
      }
      return customer
    })
    return made.map((customer) => {
      const numbered = this.#numbered(customer)
      this.#customers.add(numbered)
      return numbered
    })
  }

  /**
   * Item `index` of a Management API batch takes `email`: refused (a 422 naming the item) when
   * another customer than `self` has it, or an earlier item of the batch (`claimed`) took it.
   */
  #claimEmail(email: string, index: number, claimed: Map<string, number>, self: number | undefined): void {
    const owner = this.#customers.findByEmail(email)
    if (owner && owner.id !== self)
      throw ERRORS.apiInvalid(
        `${index}.email`,
        `${index}.email: The email ${JSON.stringify(email)} already belongs to customer ${owner.id}.`,
      )
    const twin = claimed.get(emailKey(email))
    if (twin !== undefined)
      throw ERRORS.apiInvalid(`${index}.email`, `${index}.email: The email ${JSON.stringify(email)} is also item ${twin}'s.`)
    claimed.set(emailKey(email), index)
  }

  /**
   * `PUT /v3/customers`: change customers by id, the fields given; a new email must be free. All
   * or none: an unknown id or a taken email is a 422 naming its item, and nothing changes.
   */
  updateCustomers(batch: readonly CustomerUpdate[]): Customer[] {
    const now = this.#clock.nowMs()
    const emails = new Map<string, number>()
    const seen = new Map<number, number>()
    const updated = batch.map((change, index) => {
      const existing = this.#customers.get(change.id)
      if (!existing) throw ERRORS.apiInvalid(`${index}.id`, `${index}.id: No customer has id ${change.id}.`)
      const twin = seen.get(change.id)
      if (twin !== undefined) throw ERRORS.apiInvalid(`${index}.id`, `${index}.id: Customer ${change.id} is also item ${twin}.`)
      seen.set(change.id, index)
      if (change.email !== undefined) this.#claimEmail(change.email, index, emails, existing.id)
      const profile = existing.profile ?? { company: '', phone: '', addresses: [], attributes: [] }
      const customer: Customer = {
        ...existing,
        ...(change.email !== undefined && { email: change.email }),
        ...(change.password !== undefined && { password: change.password }),
        ...(change.groupId !== undefined && { groupId: change.groupId }),
        ...(change.firstName !== undefined && { firstName: change.firstName }),
        ...(change.lastName !== undefined && { lastName: change.lastName }),
        profile: {
          ...profile,
          ...(change.company !== undefined && { company: change.company }),
          ...(change.phone !== undefined && { phone: change.phone }),
          createdAtMs: profile.createdAtMs ?? this.#fixtureTimeMs,
          modifiedAtMs: now,
        },
      }
      return { existing, customer }
    })
    for (const { existing, customer } of updated) this.#replaceCustomer(existing, customer)
    return updated.map(({ customer }) => customer)
  }

  /** `DELETE /v3/customers?id:in=...`: remove the customers with these ids (unknown ones are no error) and end their sessions. */
  deleteCustomers(ids: readonly number[]): { deleted: number[]; sessionsEnded: number } {
    const deleted: number[] = []
    let sessionsEnded = 0
    for (const id of new Set(ids)) {
      if (!this.#customers.remove(id)) continue
      deleted.push(id)
      sessionsEnded += this.#sessions.endForCustomer(id)
    }
    return { deleted, sessionsEnded }
  }

  /**
   * `POST /v3/customers/validate-credentials`: the customer these credentials sign in, checked as
   * the sign-in form checks them (a customer without a password is never valid). A channel the
   * store does not have is a 422 naming `channel_id`.
   */
  validateCredentials(credentials: Credentials): Customer | undefined {
    if (!this.hasChannel(credentials.channelId))
      throw ERRORS.apiInvalid(
        'channel_id',
        `channel_id: No channel has id ${credentials.channelId} (this store's: ${this.channels()
          .map((channel) => channel.id)
          .join(', ')}).`,
      )
    return this.authenticate(credentials.email, credentials.password)
  }

  /**
   * `POST /v3/customers/attributes`: add attributes (names unique without case; at most 50 in a
   * store, BigCommerce's limit); ids follow the highest. All or none.
   */
  createCustomerAttributes(batch: readonly Omit<CustomerAttribute, 'id'>[]): CustomerAttribute[] {
    if (this.#records.attributeCount + batch.length > MAX_CUSTOMER_ATTRIBUTES_PER_STORE)
      throw ERRORS.apiInvalid(
        'body',
        `A store has at most ${MAX_CUSTOMER_ATTRIBUTES_PER_STORE} customer attributes (BigCommerce's limit); this one has ${this.#records.attributeCount}.`,
      )
    const names = new Map(this.#records.attributes().map((attribute) => [attribute.name.toLowerCase(), `attribute ${attribute.id}`]))
    batch.forEach((attribute, index) => {
      const owner = names.get(attribute.name.toLowerCase())
      if (owner !== undefined)
        throw ERRORS.apiInvalid(`${index}.name`, `${index}.name: The name ${JSON.stringify(attribute.name)} is already ${owner}'s.`)
      names.set(attribute.name.toLowerCase(), `item ${index}`)
    })
    const now = this.#clock.nowMs()
    return this.#records.addAttributes(batch.map((attribute) => ({ ...attribute, createdAtMs: now })))
  }

  /**
   * `GET /v3/customers/attribute-values`: the values customers hold, by customer id then value
   * id, narrowed to these customers, attributes, or an attribute's name.
   */
  attributeValues(
    query: PageRequest & { customerIds?: readonly number[]; attributeIds?: readonly number[]; name?: string },
  ): Page<{ customerId: number; value: AttributeValue }> {
    const customers = query.customerIds
      ? [...new Set(query.customerIds)]
          .flatMap((id) => {
            const customer = this.#customers.get(id)
            return customer ? [customer] : []
          })
          .sort((a, b) => a.id - b.id)
      : [...this.#customers.all()].filter((customer) => (customer.profile?.attributes.length ?? 0) > 0).sort((a, b) => a.id - b.id)
    const attributeIds = query.attributeIds && new Set(query.attributeIds)
    const named =
      query.name === undefined
        ? undefined
        : new Set(
            this.#records
              .attributes()
              .filter((attribute) => attribute.name === query.name)
              .map((attribute) => attribute.id),
          )
    const values = customers.flatMap((customer) =>
      (customer.profile?.attributes ?? [])
        .filter((value) => (!attributeIds || attributeIds.has(value.attributeId)) && (!named || named.has(value.attributeId)))
        .map((value) => ({ customerId: customer.id, value })),
    )
    return paginate(values, query)
  }

  /**
   * `PUT /v3/customers/attribute-values`: set each customer's value of each attribute, adding it
   * when they have none (keyed by customer and attribute, as BigCommerce's upsert). The customer
   * and the attribute must exist, a customer holds at most 10 values, and one call names at most
   * 10 customers; all or none.
   */
  upsertAttributeValues(batch: readonly AttributeValueUpsert[]): { customerId: number; value: AttributeValue }[] {
    const customers = new Set(batch.map((entry) => entry.customerId))
    if (customers.size > MAX_BATCH) throw ERRORS.apiBatchTooLarge(MAX_BATCH, customers.size)
    const now = this.#clock.nowMs()
    const changed = new Map<number, Customer>()
    const answers = batch.map((entry, index) => {
      const customer = changed.get(entry.customerId) ?? this.#customers.get(entry.customerId)
      if (!customer) throw ERRORS.apiInvalid(`${index}.customer_id`, `${index}.customer_id: No customer has id ${entry.customerId}.`)
      if (!this.#records.attribute(entry.attributeId))
        throw ERRORS.apiInvalid(
          `${index}.attribute_id`,
          `${index}.attribute_id: No customer attribute has id ${entry.attributeId} (GET /v3/customers/attributes lists them).`,
        )
      const profile = customer.profile ?? { company: '', phone: '', addresses: [], attributes: [] }
      const existing = profile.attributes.find((value) => value.attributeId === entry.attributeId)
      if (!existing && profile.attributes.length >= MAX_CUSTOMER_ATTRIBUTES)
        throw ERRORS.apiInvalid(
          `${index}.attribute_id`,
          `${index}.attribute_id: Customer ${customer.id} already holds ${MAX_CUSTOMER_ATTRIBUTES} attribute values, the most a customer has.`,
        )
      const value: AttributeValue = existing
        ? { ...existing, value: entry.value, createdAtMs: existing.createdAtMs ?? this.#fixtureTimeMs, modifiedAtMs: now }
        : { id: 0, attributeId: entry.attributeId, value: entry.value, createdAtMs: now, modifiedAtMs: now }
      const attributes = existing ? profile.attributes.map((held) => (held === existing ? value : held)) : [...profile.attributes, value]
      changed.set(customer.id, { ...customer, profile: { ...profile, attributes } })
      return { customerId: customer.id, attributeId: entry.attributeId }
    })
    for (const customer of changed.values()) {
      const numbered = this.#numbered(customer)
      changed.set(customer.id, numbered)
      const existing = this.#customers.get(customer.id)
      if (existing) this.#replaceCustomer(existing, numbered)
    }
    return answers.map(({ customerId, attributeId }) => {
      const value = changed.get(customerId)?.profile?.attributes.find((held) => held.attributeId === attributeId)
      if (!value) throw new Error(`attribute ${attributeId} of customer ${customerId} vanished`)
      return { customerId, value }
    })
  }

  /** `GET /v2/orders`: the orders a query matches, one page of them. */
  queryOrders(query: OrderQuery): Page<Order> {
    const source = query.customerId === undefined ? this.#records.orders() : this.#records.ordersOf(query.customerId)
    return queryOrders(source, query, (order) => this.orderTimeMs(order))
  }

  /** The order with this id, if any. */
  order(id: number): Order | undefined {
    return this.#records.order(id)
  }

  /** When an order was placed (epoch milliseconds); a fixture order without `date_created` was placed when the store was made. */
  orderTimeMs(order: Order): number {
    return order.createdAtMs ?? this.#fixtureTimeMs
  }

  // An access token names one app: another app's is a 409 (the token is not shown).
  #assertTokenFree(app: App): void {
    const owner = app.accessToken === undefined ? undefined : this.appByAccessToken(app.accessToken)
    if (owner && owner.clientId !== app.clientId)
      throw ERRORS.conflict(
        'access_token',
        `That access token is already app ${JSON.stringify(owner.clientId)}'s (it is not shown); each app has its own.`,
      )
  }

  // Every attribute value names an attribute of the store: a 422 naming the first that does not.
  #assertAttributes(values: readonly AttributeValue[], path: string): void {
    values.forEach((value, index) => {
      if (!this.#records.attribute(value.attributeId))
        throw ERRORS.apiInvalid(
          `${path}.${index}.attribute_id`,
          `${path}.${index}.attribute_id: No customer attribute has id ${value.attributeId} (GET /v3/customers/attributes lists them; attributes are made before customers hold them).`,
        )
    })
  }

  // The customer with its new addresses and attribute values numbered.
  #numbered(customer: Customer): Customer {
    if (!customer.profile) return customer
    const profile = numberProfile(customer.profile, {
      address: () => this.#records.nextAddressId(),
      attributeValue: () => this.#records.nextAttributeValueId(),
    })
    return profile === customer.profile ? customer : { ...customer, profile }
  }

  // Put `customer` in the place of `existing` (same id): its place in the listing is kept.
  #replaceCustomer(existing: Customer, customer: Customer): void {
    if (existing.id !== customer.id) throw new Error(`customer ${existing.id} cannot become ${customer.id} here`)
    this.#customers.replace(customer)
  }

  #faultEnded(fault: Fault): void {
    for (const listener of this.#faultEndListeners) listener(fault)
  }

  #tokenInput(app: RegisteredApp, customer: Customer): CurrentCustomerTokenInput {
    return { app, customer, storeHash: this.storeHash, now: this.#clock.nowSeconds(), defaultTokenTtl: this.#defaultTokenTtl }
  }

  // Sessions of customers that no longer exist end with the swap.
  #swapIn(definition: StoreDefinition, customers: CustomerDirectory): void {
    this.#definition = definition
    this.#customers = customers
    this.#apps.replaceAll(definition.apps)
    this.#records.replaceAll(definition.records, customers.all())
    for (const session of [...this.#sessions.all()]) {
      if (!this.#customers.get(session.customerId)) this.#sessions.end(session.id)
    }
  }

  #load(definition: StoreDefinition): void {
    this.#customers.replaceAll(definition.customers)
    this.#apps.replaceAll(definition.apps)
    this.#records.replaceAll(definition.records, definition.customers)
  }

  // The next id after the highest in use, as generated fixture customers get theirs.
  #nextCustomerId(): number {
    let highest = 0
    for (const customer of this.#customers.all()) highest = Math.max(highest, customer.id)
    if (highest >= MAX_CUSTOMER_ID) throw ERRORS.customerIdsExhausted(highest)
    return highest + 1
  }

  // The customer rules' uniqueness, against every customer but `self` (the one being changed): a 409 naming the field.
  #assertFree(customer: Customer, self?: number): void {
    const other = (owner: Customer | undefined) => (owner?.id === self ? undefined : owner)
    const [clash] = customerClashes(customer, {
      withId: (id) => other(this.#customers.get(id)),
      withEmail: (email) => other(this.#customers.findByEmail(email)),
    })
    if (clash?.field === 'id') throw ERRORS.conflict('id', `A customer with id ${customer.id} already exists.`)
    if (clash?.field === 'email')
      throw ERRORS.conflict('email', `The email ${JSON.stringify(customer.email)} already belongs to customer ${clash.owner.id}.`)
  }
}

/** How far behind the clock an `expired-token` fault's `exp` is: past any leeway a verifier allows. */
const EXPIRED_TOKEN_AGE_SECONDS = 300
