import type { FastifyInstance } from 'fastify'
import { customerLoginPath, currentCustomerTokenFor, requireApp, requireCustomer } from './domain/issue-tokens.js'
import type { RecordedRequest } from './domain/request-log.js'
import { signIn } from './domain/sign-in.js'
import type { Customer } from './domain/types.js'
import { MockError } from './errors.js'
import { cookieHeader } from './http/session-cookies.js'
import type { MockState } from './state.js'

/** Control of the mock's clock from a test. Every token, session expiry and Customer Login check follows it. */
export interface ClockControl {
  /** Current time in epoch seconds. */
  now(): number
  /** Freeze the clock at `epochSeconds`. */
  set(epochSeconds: number): void
  /** Move the clock by `seconds` (negative moves back), frozen or running. */
  advance(seconds: number): void
  /** Back to real time (as `DELETE /__mock/clock`). */
  reset(): void
}

/** A running mock storefront, as {@link startMockStorefront} resolves it. */
export interface RunningMockStorefront {
  /** Base URL, e.g. `http://127.0.0.1:43127`. */
  url: string
  /** The port it listens on (the real one when 0 was asked for). */
  port: number
  /** The Fastify instance, for `inject()` and the state behind `app.mock`. */
  app: FastifyInstance
  /** Stop listening and release every handle. */
  close(): Promise<void>
  /**
   * Sign a customer in without a password (by id or email), as `POST /__mock/sessions` does.
   * Answers the `Cookie` header value a browser would send.
   *
   * @example
   * ```ts
   * const cookie = storefront.login('john.doe@example.com')
   * const jwt = await (await fetch(`${storefront.url}/customer/current.jwt?app_client_id=${id}`, { headers: { cookie } })).text()
   * ```
   */
  login(customer: number | string): string
  /**
   * A Current Customer token for this app and customer, minted as the storefront would now.
   *
   * @example
   * ```ts
   * const token = storefront.mintToken('6sv16tfx3j5gsopm42ss5dd67g2srvq', 4927)
   * await myBackend.verify(token) // verifies with the app's client secret
   * ```
   */
  mintToken(clientId: string, customerId: number): string
  /**
   * An absolute Customer Login URL (`/login/token/{jwt}`), signed as an app backend signs it.
   *
   * @example
   * ```ts
   * const url = await storefront.customerLoginUrl('6sv16tfx3j5gsopm42ss5dd67g2srvq', 4927, '/cart.php')
   * await page.goto(url) // lands on /cart.php, signed in
   * ```
   */
  customerLoginUrl(clientId: string, customerId: number, redirectTo?: string): Promise<string>
  /**
   * The mock's clock.
   *
   * @example
   * ```ts
   * storefront.clock.set(1480831863)
   * storefront.clock.advance(901) // every token minted at 1480831863 has now expired
   * ```
   */
  clock: ClockControl
  /** Back to exactly the fixture state: customers, apps, no sessions, no used `jti`s, start clock, empty request log. */
  reset(): void
  /** The recent storefront requests, oldest first (never cookies, tokens or secrets). */
  requests(): RecordedRequest[]
}

/**
 * Give a listening app its test handle. Each power calls the same domain function as the
 * matching control API route, so both behave alike.
 */
export function storefrontHandle(app: FastifyInstance, url: string, port: number): RunningMockStorefront {
  const state: MockState = app.mock
  return {
    url,
    port,
    app,
    close: () => app.close(),
    login: (customer) => cookieHeader(signIn(state, findCustomer(state, customer))),
    mintToken: (clientId, customerId) =>
      currentCustomerTokenFor(state, requireApp(state, clientId, 'clientId'), requireCustomer(state, customerId, 'customerId')).token,
    customerLoginUrl: async (clientId, customerId, redirectTo) =>
      url + (await customerLoginPath(state, requireApp(state, clientId, 'clientId'), requireCustomer(state, customerId, 'customerId'), redirectTo)),
    clock: {
      now: () => state.clock.nowSeconds(),
      set: (epochSeconds) => state.clock.freeze(epochSeconds),
      advance: (seconds) => state.clock.advance(seconds),
      reset: () => state.clock.useRealTime(),
    },
    reset: () => state.reset(),
    requests: () => state.requests.entries(),
  }
}

function findCustomer(state: MockState, customer: number | string): Customer {
  if (typeof customer === 'number') return requireCustomer(state, customer, 'customer')
  const found = state.customers.findByEmail(customer)
  if (!found) throw new MockError('BCMOCK_UNKNOWN_CUSTOMER', `No customer with email ${JSON.stringify(customer)}.`, 404, 'customer')
  return found
}
