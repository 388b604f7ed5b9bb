import type { FastifyInstance } from 'fastify'
import type { TlsCertificate } from './http/tls-certificate.js'
import type { Fault, FaultSpec } from './domain/rules/fault-rules.js'
import type { RecordedRequest } from './domain/request-log.js'
import { cookieHeader } from './http/session-cookies.js'

/**
 * Control of the mock's clock from a test. Every token, session expiry and Customer Login check
 * follows it. Its rules are `PUT /__mock/clock`'s: a value it refuses throws the same
 * `MockError` (`ERRORS.invalidRequest`, `field` `now` or `advance`).
 */
export interface ClockControl {
  /** Current time in epoch seconds. */
  now(): number
  /** Freeze the clock at `epochSeconds`: a whole number from 0 to `MAX_EPOCH_SECONDS` (the end of year 9999). */
  set(epochSeconds: number): void
  /** Move the clock by whole `seconds` (negative moves back), frozen or running; it must stay within 0 to `MAX_EPOCH_SECONDS`. */
  advance(seconds: number): void
  /** Back to real time (as `DELETE /__mock/clock`). */
  reset(): void
}

/** A fault added from a test: what it is now, and how to end it. */
export interface FaultHandle {
  /** `f1`, `f2`, ... as `GET /__mock/faults` lists it. */
  id: string
  /** The fault as added. */
  fault: Fault
  /** End it (as `DELETE /__mock/faults/{id}`); a fault already ended (used up, cleared) is left alone. */
  remove(): void
}

/** Make the storefront fail on purpose from a test (`POST /__mock/faults`, same rules). */
export interface FaultControl {
  /**
   * Make a fault active; a bad spec throws a `MockError` naming the field (a field a fault does
   * not have, such as `time`, with the one meant: `times`).
   *
   * @example
   * ```ts
   * const fault = storefront.faults.add({ route: 'current-customer', effect: 'expired-token', times: 1 })
   * // ... the next token is expired; then
   * fault.remove()
   * ```
   */
  add(spec: FaultSpec): FaultHandle
  /** The active faults, in creation order. */
  list(): Fault[]
  /** End every fault; answers how many were active. */
  clear(): number
}

/** The certificate a mock started with `https` serves: PEM, fingerprint, file, names, expiry; never its key. */
export type ServedCertificate = Omit<TlsCertificate, 'key'>

/** A running mock storefront, as {@link startMockStorefront} resolves it. */
export interface RunningMockStorefront {
  /** Base URL, e.g. `http://127.0.0.1:43127`, or `https://127.0.0.1:43127` with `https`. */
  url: string
  /** The port it listens on (the real one when 0 was asked for). */
  port: number
  /**
   * With `https`: the certificate served (PEM, SHA-256 fingerprint, its file), for a client to
   * trust it; undefined over plain http. The private key is not part of it.
   *
   * @example
   * ```ts
   * const storefront = await startMockStorefront({ https: true })
   * // Node's own clients: NODE_EXTRA_CA_CERTS=<certFile> in a child process, or `ca` in-process:
   * https.get(`${storefront.url}/login.php`, { ca: storefront.tls?.cert }, ...)
   * ```
   */
  tls: ServedCertificate | undefined
  /** The Fastify instance, for `inject()` and the store behind `app.mock`. */
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
  /** Faults: make storefront routes fail on purpose (see `POST /__mock/faults`). */
  faults: FaultControl
  /**
   * Back to exactly the fixture state: customers, apps, no sessions, no used `jti`s, no faults,
   * start clock, empty request log. Storefront requests in flight (held by a fault or
   * `latency`) end unanswered and change nothing, as with `POST /__mock/reset`.
   */
  reset(): void
  /** The recent storefront requests, oldest first (never cookies, tokens or secrets). */
  requests(): RecordedRequest[]
}

/**
 * Give a listening app its test handle. Each power calls the same store method as the
 * matching control API route, so both behave alike.
 */
export function storefrontHandle(app: FastifyInstance, url: string, port: number, tls?: ServedCertificate): RunningMockStorefront {
  const store = app.mock
  const names = { app: 'clientId', customer: 'customerId' }
  return {
    url,
    port,
    tls,
    app,
    close: () => app.close(),
    login: (customer) => cookieHeader(store.startSession(store.findCustomer(customer, 'customer')).session),
    mintToken: (clientId, customerId) => store.mintToken(clientId, customerId, names).token,
    customerLoginUrl: async (clientId, customerId, redirectTo) =>
      url + (await store.customerLoginPath(clientId, customerId, redirectTo, names)),
    clock: {
      now: () => store.now().seconds,
      set: (epochSeconds) => void store.changeClock({ now: epochSeconds }),
      advance: (seconds) => void store.changeClock({ advance: seconds }),
      reset: () => void store.useRealTime(),
    },
    faults: {
      add: (spec) => {
        const fault = store.addFault(spec)
        return {
          id: fault.id,
          fault,
          remove: () => void store.endFault(fault.id),
        }
      },
      list: () => store.listFaults(),
      clear: () => store.clearFaults(),
    },
    reset: () => store.reset(),
    requests: () => store.listRequests(),
  }
}
