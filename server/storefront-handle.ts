import type { FastifyInstance } from 'fastify'
import type { TlsCertificate } from './http/tls-certificate.js'
import type { RecordedRequest } from './domain/request-log.js'
import { HANDLE_INPUT_NAMES, storeControls, type ClockControl, type FaultControl } from './domain/store-controls.js'
import { cookieHeader } from './http/session-cookies.js'

export type { ClockControl, FaultControl, FaultHandle } from './domain/store-controls.js'

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
  const { startSession, ...controls } = storeControls(store)
  return {
    url,
    port,
    tls,
    app,
    close: () => app.close(),
    login: (customer) => cookieHeader(startSession(customer)),
    customerLoginUrl: async (clientId, customerId, redirectTo) =>
      url + (await store.customerLoginPath(clientId, customerId, redirectTo, HANDLE_INPUT_NAMES)),
    ...controls,
  }
}
