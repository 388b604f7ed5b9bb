#!/usr/bin/env node
// An example BigCommerce app backend: the server side of the Current Customer API.
//
// Storefront JavaScript fetches /customer/current.jwt?app_client_id=CLIENT_ID and POSTs the token
// here; this server verifies it with the app's client secret, as a real app must before trusting
// who the shopper is, then asks BigCommerce's Management API about that customer (name, group,
// attributes, recent orders) with the app's access token, and answers with both, or 401 and the
// reason. Against the mock, the Management API is the mock itself (BIGCOMMERCE_API_URL).
//
// Plain JavaScript (ESM), no build step. It imports fastify and jose from the mock's
// node_modules, so run it from the repository: node examples/app-backend/server.mjs
// Settings come from the environment; see README.md next to this file.
import { pathToFileURL } from 'node:url'
import Fastify from 'fastify'
import { decodeJwt, errors, jwtVerify } from 'jose'

/** The mock's bundled demo app (fixtures/store.yaml): used when CLIENT_ID is not set. */
const DEMO_APP = {
  clientId: '6sv16tfx3j5gsopm42ss5dd67g2srvq',
  clientSecret: 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes',
}

/**
 * The access tokens the mock's demo apps were given (fixtures/store.yaml `access_token`), by
 * client id: the default ACCESS_TOKEN when CLIENT_ID is unset or names one of them.
 */
const DEMO_ACCESS_TOKENS = {
  '6sv16tfx3j5gsopm42ss5dd67g2srvq': 'demo-access-token-6sv16tfx3j5gsopm42ss5dd67g2srvq',
  hs256demo0app0client0id00000000: 'demo-access-token-hs256demo0app0client0id00000000',
}

/** How many of the customer's orders the backend asks for, newest first. */
export const RECENT_ORDERS = 5

/** How long one Management API call may take before the backend gives up on it. */
const API_TIMEOUT_MS = 5000

// Production tokens are HS512; BigCommerce's own docs sample is HS256. Accept both, as
// bigcommerce-api-python does; never 'none' or an asymmetric algorithm with an HMAC secret.
export const ALGORITHMS = ['HS256', 'HS512']

/**
 * The settings, from environment variables:
 * CLIENT_ID, CLIENT_SECRET (default: the mock's demo app), PORT (3200; 0 picks a free one),
 * HOST (127.0.0.1), MOCK_URL (the mock storefront this backend serves, default
 * http://127.0.0.1:3100), ALLOWED_ORIGINS (comma-separated storefront origins allowed to call
 * this server from the browser; default the origin of MOCK_URL, and its localhost/127.0.0.1
 * twin when it is one of those), BIGCOMMERCE_API_URL (the Management API's base URL; default
 * MOCK_URL's origin, where the mock serves it; https://api.bigcommerce.com in production) and
 * ACCESS_TOKEN (the app's X-Auth-Token; default the demo app's; without one the backend only
 * verifies).
 */
export function readConfig(env = process.env) {
  const clientId = env.CLIENT_ID ?? DEMO_APP.clientId
  const clientSecret = env.CLIENT_SECRET ?? (env.CLIENT_ID === undefined ? DEMO_APP.clientSecret : undefined)
  if (!clientSecret) throw new Error("CLIENT_SECRET is required when CLIENT_ID is set: the app's client secret signs its tokens")
  const port = Number(env.PORT ?? 3200)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number (0 picks a free one), got ${JSON.stringify(env.PORT)}`)
  const mockOrigin = originOf(env.MOCK_URL ?? 'http://127.0.0.1:3100')
  const allowedOrigins = (env.ALLOWED_ORIGINS ?? loopbackTwins(mockOrigin).join(','))
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean)
  const apiUrl = baseUrlOf(env.BIGCOMMERCE_API_URL ?? mockOrigin)
  const accessToken = env.ACCESS_TOKEN || (Object.hasOwn(DEMO_ACCESS_TOKENS, clientId) ? DEMO_ACCESS_TOKENS[clientId] : undefined)
  return {
    clientId,
    clientSecret,
    port,
    host: env.HOST ?? '127.0.0.1',
    mockOrigin,
    allowedOrigins,
    apiUrl,
    accessToken,
    usingDemoApp: env.CLIENT_ID === undefined,
  }
}

// BIGCOMMERCE_API_URL without a trailing slash: the API's paths (/stores/{store_hash}/...) follow it.
function baseUrlOf(raw) {
  let url
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`BIGCOMMERCE_API_URL must be a URL such as https://api.bigcommerce.com, got ${JSON.stringify(raw)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`BIGCOMMERCE_API_URL must be an http:// or https:// URL, got ${JSON.stringify(raw)}`)
  if (url.search || url.hash) throw new Error(`BIGCOMMERCE_API_URL must have no query or fragment, got ${JSON.stringify(raw)}`)
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

// MOCK_URL's origin (scheme, host, port); a path is ignored, a non-http(s) URL refused.
function originOf(raw) {
  let url
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`MOCK_URL must be the mock's URL, such as http://127.0.0.1:3100, got ${JSON.stringify(raw)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`MOCK_URL must be an http:// or https:// URL, got ${JSON.stringify(raw)}`)
  return url.origin
}

// A browser may open the mock as 127.0.0.1 or as localhost: both are the same storefront.
function loopbackTwins(origin) {
  const url = new URL(origin)
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return [origin]
  const twin = new URL(origin)
  twin.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost'
  return [origin, twin.origin]
}

/**
 * Verify a Current Customer token: signature with the client secret, algorithm HS256 or HS512,
 * aud = the client id, exp checked against this server's clock (jose's default: no leeway).
 * Answers { ok: true, claims } or { ok: false, reason, message }.
 */
export async function verifyCurrentCustomer(token, { clientId, secretKey }) {
  // A token fetched for another app is signed with that app's secret, so its signature fails
  // here too; but the mistake is the app_client_id, and aud says so. Read unverified, only to
  // refuse with the right reason: nothing is trusted from it.
  const mintedFor = otherAudience(token, clientId)
  if (mintedFor !== undefined)
    return {
      ok: false,
      reason: 'audience',
      message: `the token was minted for app ${mintedFor}, not this one (${clientId}): fetch it with app_client_id=${clientId}`,
    }
  try {
    const { payload } = await jwtVerify(token, secretKey, { algorithms: ALGORITHMS, audience: clientId, requiredClaims: ['exp'] })
    if (typeof payload.customer !== 'object' || payload.customer === null || typeof payload.customer.id !== 'number') {
      return { ok: false, reason: 'claims', message: 'the token has no customer claim with a numeric id' }
    }
    return { ok: true, claims: payload }
  } catch (error) {
    return { ok: false, ...failure(error) }
  }
}

// The token's aud, unverified, when it names an app other than clientId; undefined when it names
// this one, has none, or the token cannot be read (jwtVerify then says why). Quoted and cut short:
// it is the sender's text, and it goes into a log line and the answer.
function otherAudience(token, clientId) {
  let aud
  try {
    aud = decodeJwt(token).aud
  } catch {
    return undefined
  }
  if (aud === undefined || aud === clientId || (Array.isArray(aud) && aud.includes(clientId))) return undefined
  const shown = JSON.stringify(aud)
  return shown.length > 130 ? `${shown.slice(0, 127)}...` : shown
}

// Name what failed; jose's error classes say it exactly, and their messages never hold the token.
function failure(error) {
  if (error instanceof errors.JOSEAlgNotAllowed)
    return { reason: 'algorithm', message: `the token's alg is not one of ${ALGORITHMS.join(', ')}` }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return { reason: 'signature', message: "the signature does not verify with this app's client secret" }
  if (error instanceof errors.JWTExpired)
    return {
      reason: 'expired',
      message: `the token expired at ${error.payload.exp} (now ${Math.floor(Date.now() / 1000)}): fetch a new one`,
    }
  // A wrong aud never gets here: otherAudience answered first.
  if (error instanceof errors.JWTClaimValidationFailed) return { reason: 'claims', message: error.message }
  if (error instanceof errors.JOSEError) return { reason: 'malformed', message: `not a valid JWT: ${error.message}` }
  throw error
}

/** A Management API answer that is not what was asked for: its status (null for a 200 that does not fit) and why. */
export class ManagementApiError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

/**
 * What an app backend asks BigCommerce's Management API about a verified customer, as
 * BigCommerce's samples do: the customer with their attribute values
 * (GET /v3/customers?id:in=ID&include=attributes; subscription-foundation checks that id and
 * email match the token), the attributes' names (GET /v3/customers/attributes), the group's name
 * (GET /v2/customer_groups/ID; group 0 is no group) and the recent orders
 * (GET /v2/orders?customer_id=ID, newest first). Answers
 * { name, email, company, group, attributes: [{ name, value }], recent_orders: [...] }, or throws
 * a ManagementApiError. The access token goes in X-Auth-Token and nowhere else.
 */
export async function customerDetails(claims, { apiUrl, accessToken, clientId }) {
  const base = `${apiUrl}/stores/${encodeURIComponent(claims.store_hash)}`
  const get = async (path) => {
    const response = await fetch(base + path, {
      headers: { 'x-auth-token': accessToken, 'x-auth-client': clientId, accept: 'application/json' },
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    })
    // V2 lists answer 204 with no body when nothing matches.
    if (response.status === 204) return undefined
    const text = await response.text()
    if (!response.ok) {
      const title = errorTitle(text)
      throw new ManagementApiError(response.status, `GET ${path.split('?')[0]} answered ${response.status}${title ? `: ${title}` : ''}`)
    }
    return JSON.parse(text)
  }
  const id = claims.customer.id
  const [customers, attributes, orders] = await Promise.all([
    get(`/v3/customers?id:in=${id}&include=attributes`),
    get('/v3/customers/attributes'),
    get(`/v2/orders?customer_id=${id}&sort=date_created:desc&limit=${RECENT_ORDERS}`),
  ])
  const customer = customers?.data?.[0]
  if (!customer || customer.id !== id) throw new ManagementApiError(null, `GET /v3/customers?id:in=${id} found no customer ${id}`)
  if (String(customer.email).toLowerCase() !== String(claims.customer.email).toLowerCase())
    throw new ManagementApiError(
      null,
      `customer ${id}'s email is ${customer.email} in the Management API, the token says ${claims.customer.email}`,
    )
  // The token carries the group id as a string, the API as an integer: one value.
  const groupId = customer.customer_group_id
  const group = groupId > 0 ? await get(`/v2/customer_groups/${groupId}`) : undefined
  const names = new Map((attributes?.data ?? []).map((attribute) => [attribute.id, attribute.name]))
  return {
    name: `${customer.first_name} ${customer.last_name}`.trim(),
    email: customer.email,
    company: customer.company,
    group: group ? { id: group.id, name: group.name } : null,
    attributes: (customer.attributes ?? []).map((value) => ({
      name: names.get(value.attribute_id) ?? `attribute ${value.attribute_id}`,
      value: value.attribute_value,
    })),
    recent_orders: (orders ?? []).map((order) => ({
      id: order.id,
      date_created: order.date_created,
      status: order.status,
      items_total: order.items_total,
      total_inc_tax: order.total_inc_tax,
      currency_code: order.currency_code,
    })),
  }
}

// BigCommerce's error bodies carry a `title`; anything else is shown cut short.
function errorTitle(text) {
  try {
    const body = JSON.parse(text)
    if (typeof body?.title === 'string') return body.title
    if (Array.isArray(body) && typeof body[0]?.message === 'string') return body[0].message
  } catch {
    // not JSON
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text
}

/** The Fastify server: POST /verify, GET /health, and CORS for the storefront origins. */
export function createBackend(config) {
  const secretKey = new TextEncoder().encode(config.clientSecret)
  const app = Fastify({ logger: false })

  // CORS by hand (the mock's node_modules has no @fastify/cors): echo an allowed Origin, answer
  // preflights, and give other origins no CORS headers, so their browsers refuse the answer.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin
    if (origin === undefined || !config.allowedOrigins.includes(origin)) {
      if (request.method === 'OPTIONS')
        return reply.code(403).send({ error: 'origin_not_allowed', message: `origin ${origin} is not in ALLOWED_ORIGINS` })
      return
    }
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin')
    if (request.method === 'OPTIONS') {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'POST, GET')
        .header('access-control-allow-headers', 'content-type, authorization')
        .header('access-control-max-age', '600')
        .send()
    }
  })

  // The token as JSON {"token": "..."}, as a text/plain body, or as Authorization: Bearer.
  app.post('/verify', async (request, reply) => {
    const token = tokenFrom(request)
    if (!token)
      return reply.code(400).send({
        error: 'token_missing',
        message: 'send the token as JSON {"token": "..."}, a text/plain body, or Authorization: Bearer <token>',
      })
    const result = await verifyCurrentCustomer(token, { clientId: config.clientId, secretKey })
    if (!result.ok) {
      console.log(`verify: 401 ${result.reason}: ${result.message}`)
      return reply
        .code(401)
        .header('www-authenticate', `Bearer error="invalid_token", error_description="${result.reason}"`)
        .send({ error: 'invalid_token', reason: result.reason, message: result.message })
    }
    const { customer, store_hash: storeHash, exp } = result.claims
    const answer = { customer, store_hash: storeHash, expires_at: exp }
    // Never log the token: it stands for the signed-in shopper.
    const line = `verify: 200 customer ${customer.id} (${customer.email}) of store ${storeHash}`
    if (!config.accessToken) {
      console.log(`${line}; no ACCESS_TOKEN, so no Management API call`)
      return {
        ...answer,
        details_error: { status: null, message: 'no ACCESS_TOKEN is set, so the backend did not ask the Management API' },
      }
    }
    try {
      const details = await customerDetails(result.claims, config)
      console.log(
        `${line}; Management API: ${details.name}, group ${details.group?.name ?? 'none'}, ${details.recent_orders.length} recent orders`,
      )
      return { ...answer, details }
    } catch (error) {
      // The token was good: answer it, and say what the Management API did.
      const status = error instanceof ManagementApiError ? error.status : null
      const message = error instanceof ManagementApiError ? error.message : `the Management API call failed: ${error.message}`
      console.log(`${line}; Management API failed: ${message}`)
      return { ...answer, details_error: { status, message } }
    }
  })

  app.get('/health', async () => ({
    status: 'ok',
    client_id: config.clientId,
    algorithms: ALGORITHMS,
    management_api: config.accessToken ? config.apiUrl : null,
  }))
  return app
}

function tokenFrom(request) {
  const body = request.body
  if (typeof body === 'string' && body.trim()) return body.trim()
  if (body && typeof body === 'object' && typeof body.token === 'string' && body.token.trim()) return body.token.trim()
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  return bearer?.[1]
}

async function main() {
  let config
  try {
    config = readConfig()
  } catch (error) {
    console.error(`app-backend: ${error.message}`)
    process.exit(2)
  }
  const app = createBackend(config)
  try {
    await app.listen({ host: config.host, port: config.port })
  } catch (error) {
    console.error(`app-backend: cannot listen on ${config.host}:${config.port}: ${error.message}`)
    process.exit(1)
  }
  const { port } = app.server.address()
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  console.log(
    `app backend listening on http://${host}:${port} (client id ${config.clientId}${config.usingDemoApp ? ", the mock's demo app" : ''}; CORS for ${config.allowedOrigins.join(', ')})`,
  )
  console.log(`  POST http://${host}:${port}/verify with {"token": "<Current Customer JWT>"}`)
  console.log(
    config.accessToken
      ? `  then the customer's details from the Management API at ${config.apiUrl}/stores/<store_hash>/ (BIGCOMMERCE_API_URL)`
      : '  no ACCESS_TOKEN: tokens are verified, the Management API is not asked',
  )
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0))
    })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
