import { unverifiedJwtClaims } from '../encoding.js'
import { showValue } from './describe-value.js'
import type { Clock } from '../clock.js'
import { listed, registeredList } from '../errors.js'
import type { AppRegistry } from './app-registry.js'
import { hmacSignatureMatches, readCompactJws } from './compact-jws.js'
import type { CustomerDirectory } from './customer-directory.js'
import { CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS, CUSTOMER_LOGIN_MAX_AGE_SECONDS } from './customer-login-window.js'
import type { Channel } from './record-types.js'
import type { Customer } from './types.js'
import type { UsedJtiStore } from './used-jti-store.js'

/** What {@link verifyCustomerLogin} reads and changes: the store's apps, customers, spent `jti`s and clock. */
export interface CustomerLoginContext {
  readonly apps: Pick<AppRegistry, 'get' | 'clientIds'>
  readonly customers: Pick<CustomerDirectory, 'get'>
  readonly usedJtis: Pick<UsedJtiStore, 'use' | 'limits'>
  readonly clock: Pick<Clock, 'nowSeconds'>
  readonly storeHash: string
  /** The store's channels: `channel_id` must name one. */
  readonly channels: readonly Channel[]
}

/**
 * The claims of a Customer Login token (`GET /login/token/{jwt}`), as BigCommerce documents
 * them. An app backend signs them with its client secret, HS256, header `typ: "JWT"`.
 */
export interface CustomerLoginClaims {
  /** The app's client id. */
  iss: string
  /** Issued at, integer epoch seconds; valid for 30 seconds. */
  iat: number
  /** Unique per request; a `jti` works once. */
  jti: string
  operation: 'customer_login'
  store_hash: string
  /** Integer id of an existing customer. */
  customer_id: number
  /** Relative path on the storefront to land on; default `/account.php`. */
  redirect_to?: string
  /** Integer, default 1. */
  channel_id?: number
  /** When present, the browser's IP address must be this one. */
  request_ip?: string
  enable_persistent_cart?: boolean
  /**
   * Who signs in on the customer's behalf (a store's staff user): not in BigCommerce's docs,
   * but Catalyst reads it (`claims.impersonator_id?.toString()`); kept as that string.
   */
  impersonator_id?: string
}

/**
 * Which Customer Login rule a token broke; one per check, so a log line says exactly what to fix.
 * Claim names stand for "missing or of the wrong type or value"; the `detail` says which.
 */
export type CustomerLoginRule =
  | 'token'
  | 'alg'
  | 'typ'
  | 'iss'
  | 'signature'
  | 'exp'
  | 'nbf'
  | 'iat'
  | 'iat_stale'
  | 'iat_future'
  | 'jti'
  | 'jti_reused'
  | 'jti_capacity'
  | 'jti_forgotten'
  | 'operation'
  | 'store_hash'
  | 'customer_id'
  | 'channel_id'
  | 'channel_id_unknown'
  | 'enable_persistent_cart'
  | 'request_ip'
  | 'redirect_to'
  /** Refused on purpose by a `refuse` fault (`POST /__mock/faults`), before any check. */
  | 'fault'

/** Advice about a claim BigCommerce ignores or the mock reads loosely; never a refusal. */
interface CustomerLoginHint {
  claim: 'redirect_url' | 'impersonator_id'
  message: string
}

/** A token that signs its customer in. */
export interface CustomerLoginSuccess {
  ok: true
  customer: Customer
  /** The app whose secret signed the token. */
  clientId: string
  /** Where to send the browser: the checked `redirect_to`, or `/account.php`. */
  redirectTo: string
  channelId: number
  enablePersistentCart: boolean
  /**
   * `redirect_to` is `/login.php?action=logout`, BigCommerce's documented way to sign a shopper
   * out with a token: the browser's session ends and none starts.
   */
  signOut: boolean
  /** The `impersonator_id` claim as Catalyst reads it (a string), when it is a string or an integer. */
  impersonatorId: string | undefined
  claims: CustomerLoginClaims
  /** Advice for the log about claims BigCommerce ignores (e.g. `redirect_url`) or the mock reads loosely. */
  hints: CustomerLoginHint[]
}

/** A refused token: the rule it broke and a sentence saying how. Never contains the token. */
export interface CustomerLoginFailure {
  ok: false
  rule: CustomerLoginRule
  detail: string
  /** The token's `iss`, when it named a registered app. */
  clientId?: string
  hints: CustomerLoginHint[]
}

/** Answer of {@link verifyCustomerLogin}. */
export type CustomerLoginResult = CustomerLoginSuccess | CustomerLoginFailure

/**
 * The app (`iss`) and customer (`customer_id`) a Customer Login token names, read without
 * verifying anything: only to match a fault's `client_id` and `customer_id`.
 */
export function customerLoginSubject(jwt: string): { clientId?: string; customerId?: number } {
  const claims = unverifiedJwtClaims(jwt)
  if (!claims) return {}
  const { iss, customer_id: customerId } = claims
  return { ...(typeof iss === 'string' && { clientId: iss }), ...(typeof customerId === 'number' && { customerId }) }
}

/** Where a signed-in shopper lands when the token has no `redirect_to`. */
export const DEFAULT_CUSTOMER_LOGIN_REDIRECT = '/account.php'

/**
 * Check a Customer Login token against BigCommerce's rules, by the mock's clock, and spend its
 * `jti`. Checks run in this order, and the first that fails is answered:
 * token shape, `alg` (HS256 only), `typ` (JWT), `iss` (a registered client id), `crit` (none is
 * understood), the signature (HMAC-SHA256 with that app's client secret, through the crypto port,
 * so the check runs in browsers and under jsdom too), `iat`, `nbf` and `exp` as numbers when
 * present (in that order, as jose checks them), `nbf`/`exp` by the mock's clock with
 * {@link CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS} s of tolerance, `iat` (integer, at most 30 s
 * old, at most {@link CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS} s ahead), `jti` (present, unused),
 * `operation`, `store_hash`, `customer_id`, `channel_id` (an integer naming one of the store's
 * channels), `enable_persistent_cart`,
 * `request_ip`, `redirect_to`.
 *
 * A token whose signature and `iat` pass spends its `jti` even when a later check fails:
 * BigCommerce invalidates the token "after the GET request is made", whatever its outcome.
 *
 * @param state - the store: apps, customers, store hash, clock, used `jti`s.
 * @param jwt - the token from the URL.
 * @param requestIp - the browser's IP address (`request.ip`), for `request_ip`.
 */
export function verifyCustomerLogin(state: CustomerLoginContext, jwt: string, requestIp: string): CustomerLoginResult {
  const hints: CustomerLoginHint[] = []
  const fail = (rule: CustomerLoginRule, detail: string, clientId?: string): CustomerLoginFailure => ({
    ok: false,
    rule,
    detail,
    hints,
    ...(clientId !== undefined && { clientId }),
  })

  // Read header and claims unverified first: `iss` says whose secret to verify with.
  const jws = readCompactJws(jwt)
  if ('problem' in jws) return fail('token', `the URL does not carry a compact JWT (header.payload.signature): ${jws.problem}`)
  const { header, claims: unverified } = jws
  if ('redirect_url' in unverified) hints.push({ claim: 'redirect_url', message: REDIRECT_URL_HINT })

  if (header.alg !== 'HS256') {
    return fail(
      'alg',
      `header alg is ${showValue(header.alg)}; Customer Login accepts HS256 only (BigCommerce supports no other algorithm)`,
    )
  }
  if (typeof header.typ !== 'string' || !['jwt', 'application/jwt'].includes(header.typ.toLowerCase())) {
    return fail(
      'typ',
      `header typ is ${header.typ === undefined ? 'missing' : showValue(header.typ)}; it must be "JWT" (jose's SignJWT sets no typ unless asked: setProtectedHeader({ alg: 'HS256', typ: 'JWT' }))`,
    )
  }
  if (unverified.iss === undefined)
    return fail('iss', 'required claim iss is missing; it must be the client id of the app that signs the token')
  if (typeof unverified.iss !== 'string')
    return fail('iss', `claim iss must be a string (the app's client id), got ${showValue(unverified.iss)}`)
  const app = state.apps.get(unverified.iss)
  if (!app) {
    return fail('iss', `iss ${showValue(unverified.iss)} is not a registered app client id (${registeredList(state.apps.clientIds())})`)
  }
  const clientId = app.clientId

  const nowSeconds = state.clock.nowSeconds()
  // No extension is understood, so a token that says one is critical cannot be accepted (RFC 7515 §4.1.11).
  if (header.crit !== undefined)
    return fail(
      'token',
      `the token is not a valid JWS: header crit ${showValue(header.crit)} names extensions the mock does not support`,
      clientId,
    )
  if (!hmacSignatureMatches(jws, 'sha256', app.signingKey)) {
    return fail(
      'signature',
      `the signature does not verify with the client secret of app ${showValue(app.clientId)} (HS256 over the header and payload as sent)`,
      clientId,
    )
  }
  const claims = unverified
  // exp and nbf are not BigCommerce claims, but node-bigcommerce sends exp: judge them by the
  // mock's clock too, with the same skew.
  if (claims.iat !== undefined && typeof claims.iat !== 'number')
    return fail('iat', `claim iat must be integer epoch seconds, got ${showValue(claims.iat)}`, clientId)
  if (claims.nbf !== undefined && typeof claims.nbf !== 'number')
    return fail('nbf', `claim nbf must be epoch seconds, got ${showValue(claims.nbf)}`, clientId)
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS)
    return fail('nbf', `nbf ${claims.nbf} is in the future by the mock's clock (now ${nowSeconds})`, clientId)
  if (claims.exp !== undefined && typeof claims.exp !== 'number')
    return fail('exp', `claim exp must be epoch seconds, got ${showValue(claims.exp)}`, clientId)
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds - CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS) {
    return fail(
      'exp',
      `exp ${showValue(claims.exp)} has passed by the mock's clock (now ${nowSeconds}, ${CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS} s tolerance)`,
      clientId,
    )
  }

  const iat = claims.iat
  if (iat === undefined)
    return fail('iat', 'required claim iat is missing; it must be the integer epoch seconds the token was issued at', clientId)
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat)) {
    return fail(
      'iat',
      `claim iat must be integer seconds since the epoch, got ${showValue(iat)} (JavaScript: Math.floor(Date.now() / 1000); Python: int(time.time()))`,
      clientId,
    )
  }
  const age = nowSeconds - iat
  if (age > CUSTOMER_LOGIN_MAX_AGE_SECONDS) {
    return fail(
      'iat_stale',
      `iat ${iat} is ${age} s old by the mock's clock (now ${nowSeconds}); a Customer Login token is valid for ${CUSTOMER_LOGIN_MAX_AGE_SECONDS} s after iat`,
      clientId,
    )
  }
  if (-age > CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS) {
    return fail(
      'iat_future',
      `iat ${iat} is ${-age} s in the future by the mock's clock (now ${nowSeconds}); at most ${CUSTOMER_LOGIN_FUTURE_SKEW_SECONDS} s of clock skew is allowed`,
      clientId,
    )
  }

  const jti = claims.jti
  if (jti === undefined) return fail('jti', 'required claim jti is missing; it must be a unique id (e.g. a UUID) per login URL', clientId)
  if (typeof jti !== 'string' || jti === '') return fail('jti', `claim jti must be a non-empty string, got ${showValue(jti)}`, clientId)
  const use = state.usedJtis.use(clientId, jti, iat, nowSeconds)
  if (use === 'reused') return fail('jti_reused', `jti ${showValue(jti)} was already used; a Customer Login URL works once`, clientId)
  if (use === 'forgotten') {
    return fail(
      'jti_forgotten',
      `iat ${iat} is older than jtis the mock has already forgotten (the clock was moved back past them), so this token's jti may have been used and cannot pass; mint a new URL`,
      clientId,
    )
  }
  if (use === 'full') {
    return fail(
      'jti_capacity',
      `the mock already holds ${state.usedJtis.limits.maxEntries} unexpired jtis and cannot remember another; retry once older tokens pass their ${CUSTOMER_LOGIN_MAX_AGE_SECONDS} s window`,
      clientId,
    )
  }

  if (claims.operation === undefined) return fail('operation', 'required claim operation is missing; it must be "customer_login"', clientId)
  if (claims.operation !== 'customer_login')
    return fail('operation', `claim operation is ${showValue(claims.operation)}; it must be "customer_login"`, clientId)

  if (claims.store_hash === undefined)
    return fail('store_hash', `required claim store_hash is missing; this store's hash is ${showValue(state.storeHash)}`, clientId)
  if (claims.store_hash !== state.storeHash)
    return fail('store_hash', `store_hash ${showValue(claims.store_hash)} is not this store's (${showValue(state.storeHash)})`, clientId)

  const customerId = claims.customer_id
  if (customerId === undefined)
    return fail('customer_id', 'required claim customer_id is missing; it must be the integer id of an existing customer', clientId)
  if (typeof customerId !== 'number' || !Number.isSafeInteger(customerId)) {
    return fail('customer_id', `claim customer_id must be an integer, got ${showValue(customerId)}`, clientId)
  }
  const customer = state.customers.get(customerId)
  if (!customer) return fail('customer_id', `customer_id ${customerId} is not a customer of this store`, clientId)

  const channelId = claims.channel_id ?? 1
  if (typeof channelId !== 'number' || !Number.isSafeInteger(channelId) || channelId < 1) {
    return fail('channel_id', `claim channel_id must be a positive integer (default 1), got ${showValue(channelId)}`, clientId)
  }
  if (!state.channels.some((channel) => channel.id === channelId)) {
    const ids = state.channels.map((channel) => String(channel.id))
    return fail(
      'channel_id_unknown',
      `channel_id ${channelId} is not a channel of this store (${ids.length === 1 ? 'its only channel is' : 'its channels are'} ${listed(ids)}); the fixtures' channels list adds channels`,
      clientId,
    )
  }

  const persistentCart = claims.enable_persistent_cart ?? false
  if (typeof persistentCart !== 'boolean')
    return fail('enable_persistent_cart', `claim enable_persistent_cart must be a boolean, got ${showValue(persistentCart)}`, clientId)

  if (claims.request_ip !== undefined) {
    const problem = requestIpProblem(claims.request_ip, requestIp)
    if (problem) return fail('request_ip', problem, clientId)
  }

  let redirectTo = DEFAULT_CUSTOMER_LOGIN_REDIRECT
  if (claims.redirect_to !== undefined) {
    const checked = checkRedirectTo(claims.redirect_to)
    if (!checked.ok) return fail('redirect_to', checked.problem, clientId)
    redirectTo = checked.location
  }

  // Not a BigCommerce rule, so never a refusal: a value Catalyst could not show is only noted.
  const impersonatorId = readImpersonatorId(claims.impersonator_id)
  if (claims.impersonator_id !== undefined && impersonatorId === undefined)
    hints.push({ claim: 'impersonator_id', message: impersonatorHint(claims.impersonator_id) })

  return {
    ok: true,
    customer,
    clientId,
    redirectTo,
    channelId,
    enablePersistentCart: persistentCart,
    signOut: isSignOutPath(redirectTo),
    impersonatorId,
    claims: {
      iss: clientId,
      iat,
      jti,
      operation: 'customer_login',
      store_hash: state.storeHash,
      customer_id: customerId,
      ...(typeof claims.redirect_to === 'string' && { redirect_to: claims.redirect_to }),
      ...(claims.channel_id !== undefined && { channel_id: channelId }),
      ...(typeof claims.request_ip === 'string' && { request_ip: claims.request_ip }),
      ...(claims.enable_persistent_cart !== undefined && { enable_persistent_cart: persistentCart }),
      ...(impersonatorId !== undefined && { impersonator_id: impersonatorId }),
    },
    hints,
  }
}

/** The log hint for node-bigcommerce's `redirect_url`, which BigCommerce does not read. */
const REDIRECT_URL_HINT =
  'the token has a redirect_url claim, which BigCommerce ignores (node-bigcommerce sends it); use redirect_to for the page to land on after sign-in'

/**
 * Check a `redirect_to` claim: it must be a relative path on this storefront. Answers the
 * `Location` to send (the path as a URL parser normalizes and percent-encodes it) or why not.
 */
function checkRedirectTo(value: unknown): { ok: true; location: string } | { ok: false; problem: string } {
  const refuse = (why: string) => ({
    ok: false as const,
    problem: `redirect_to ${showValue(value)} ${why}; it must be a relative path on this storefront such as "/cart.php"`,
  })
  if (typeof value !== 'string') return refuse('is not a string')
  // An empty value is what clients send for "no redirect"; land where BigCommerce's default does.
  if (value === '') return { ok: true, location: DEFAULT_CUSTOMER_LOGIN_REDIRECT }
  // Browsers strip tabs and newlines inside URLs and treat `\` as `/`, which turns
  // "/\evil.example" or "/\t/evil.example" into "//evil.example": refuse them outright.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return refuse('contains a control character')
  if (value.includes('\\')) return refuse('contains a backslash')
  if (!value.startsWith('/'))
    return refuse('does not start with "/" (absolute URLs, schemes such as javascript: and bare relative paths are refused)')
  if (value.startsWith('//')) return refuse('starts with "//", which a browser reads as another host')
  let url: URL
  try {
    url = new URL(value, REDIRECT_BASE)
  } catch {
    return refuse('is not a valid URL path')
  }
  if (url.origin !== REDIRECT_BASE) return refuse('resolves to another origin')
  const location = `${url.pathname}${url.search}${url.hash}`
  // "/.//evil.example" normalizes to "//evil.example": never send that as a Location.
  if (location.startsWith('//')) return refuse('normalizes to a path starting with "//", which a browser reads as another host')
  return { ok: true, location }
}

const REDIRECT_BASE = 'http://mock.invalid'

/**
 * Whether a checked `redirect_to` is the storefront's sign-out, `/login.php?action=logout`
 * ("to sign a customer out, set the redirect_to field ... to /login.php?action=logout"): read
 * as the logout route reads its query, so a fragment or other parameters do not matter.
 */
function isSignOutPath(location: string): boolean {
  const url = new URL(location, REDIRECT_BASE)
  const action = url.searchParams.getAll('action')
  return url.pathname === '/login.php' && action.length === 1 && action[0] === 'logout'
}

/** The request log's hint for a token that signed the shopper out (`redirect_to` the logout). */
export const CUSTOMER_LOGIN_SIGN_OUT_HINT =
  "signed out: redirect_to is /login.php?action=logout, which ends the browser's session (BigCommerce's way to sign a customer out with a token)"

/** Longest `impersonator_id` the request log keeps: ids are short; a longer value is cut. */
const MAX_IMPERSONATOR_ID_LENGTH = 120

// Catalyst reads `claims.impersonator_id?.toString()`: a string, or an integer as its digits.
function readImpersonatorId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (typeof value !== 'string' || value === '') return undefined
  return value.length > MAX_IMPERSONATOR_ID_LENGTH ? `${value.slice(0, MAX_IMPERSONATOR_ID_LENGTH - 3)}...` : value
}

function impersonatorHint(value: unknown): string {
  return `impersonator_id ${showValue(value)} is not a non-empty string or an integer, so it is not recorded (Catalyst reads it with toString(); the token is still accepted)`
}

function requestIpProblem(claimed: unknown, actual: string): string | undefined {
  if (typeof claimed !== 'string') return `claim request_ip must be a string IP address, got ${showValue(claimed)}`
  const expected = canonicalIp(claimed)
  if (expected === undefined) return `request_ip ${showValue(claimed)} is not an IP address`
  if (expected !== canonicalIp(actual))
    return `request_ip ${showValue(claimed)} does not match the browser's IP address ${showValue(actual)}`
  return undefined
}

// One spelling per address: IPv4-mapped IPv6 as IPv4, IPv6 compressed and lower case, so
// "::ffff:127.0.0.1" matches "127.0.0.1" and "0:0:0:0:0:0:0:1" matches "::1". Read without
// node:net, so the rule runs in browsers too: IPv6 by the URL parser, which follows RFC 4291.
function canonicalIp(ip: string): string | undefined {
  if (IPV4.test(ip)) return ip
  if (!ip.includes(':')) return undefined
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped?.[1] && IPV4.test(mapped[1])) return mapped[1]
  // A zone id ("fe80::1%eth0") is part of an IP but not of a URL host: the address before it is checked.
  const zone = ip.indexOf('%')
  try {
    const host = new URL(`http://[${zone === -1 ? ip : ip.slice(0, zone)}]`).hostname.slice(1, -1)
    return zone === -1 ? host : ip.toLowerCase()
  } catch {
    return undefined
  }
}

// Dotted decimal, each part 0-255 without a leading zero, as node:net's isIPv4 reads it.
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/
