import { createSecretKey } from 'node:crypto'
import { Ajv, type ValidateFunction } from 'ajv'
import { jwtVerify, type JWTPayload } from 'jose'
import jwt from 'jsonwebtoken'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { loadCurrentCustomerSpec, type JsonSchema } from '../../server/http/current-customer-spec.js'

/** An app as the test knows it: what its tokens must verify with. */
export interface AppUnderTest {
  clientId: string
  secret: string
  algorithm: 'HS256' | 'HS384' | 'HS512'
}

/** The claims the shared behaviour doc lists, exactly these and no others. */
export const CLAIM_KEYS = ['customer', 'iss', 'sub', 'iat', 'exp', 'version', 'aud', 'application_id', 'store_hash', 'operation'] as const
export const CUSTOMER_CLAIM_KEYS = ['id', 'email', 'group_id'] as const

/** The decoded claims of a Current Customer token. */
export interface Claims {
  customer: { id: number; email: string; group_id: string }
  iss: string
  sub: string
  iat: number
  exp: number
  version: number
  aud: string
  application_id: string
  store_hash: string
  operation: string
}

const spec = loadCurrentCustomerSpec()
const ajv = new Ajv({ strict: false, allErrors: true })
const validateAsDocumented: ValidateFunction = ajv.compile(spec.claims)
const validateClosed: ValidateFunction = ajv.compile(closeSchema(spec.claims))

/**
 * A copy of a JSON schema in which every object requires all its documented properties and
 * allows no others (`additionalProperties: false`): the spec leaves both open.
 */
export function closeSchema(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...schema }
  if (schema.type === 'object' && schema.properties && typeof schema.properties === 'object') {
    const properties = schema.properties as Record<string, JsonSchema>
    copy.properties = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, closeSchema(value)]))
    copy.required = Object.keys(properties)
    copy.additionalProperties = false
  }
  return copy
}

/** Split a JWT without verifying it: the raw header and payload JSON as they were encoded. */
export function decodeToken(token: string): {
  rawHeader: string
  rawPayload: string
  header: Record<string, unknown>
  claims: Claims
  signature: string
} {
  const parts = token.split('.')
  if (parts.length !== 3) throw new Error(`not a JWS compact token: ${parts.length} segments`)
  const [h, p, s] = parts as [string, string, string]
  const rawHeader = Buffer.from(h, 'base64url').toString('utf8')
  const rawPayload = Buffer.from(p, 'base64url').toString('utf8')
  return {
    rawHeader,
    rawPayload,
    header: JSON.parse(rawHeader) as Record<string, unknown>,
    claims: JSON.parse(rawPayload) as Claims,
    signature: s,
  }
}

/** Verify with jose as an app backend would: the app's algorithm and client id as audience. */
export async function verifyWithJose(token: string, app: AppUnderTest, atSeconds?: number): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, createSecretKey(Buffer.from(app.secret, 'utf8')), {
    algorithms: [app.algorithm],
    audience: app.clientId,
    ...(atSeconds === undefined ? {} : { currentDate: new Date(atSeconds * 1000) }),
  })
  return payload
}

/**
 * Verify with jsonwebtoken exactly as node-bigcommerce's `verifyJWT` does:
 * `jwt.verify(token, secret, { algorithms: ['HS256'], audience: clientId })`. `atSeconds` is only
 * for tokens minted on a frozen clock in the past (it sets jsonwebtoken's clock, nothing else).
 */
export function verifyLikeNodeBigcommerce(token: string, secret: string, clientId: string, atSeconds?: number): jwt.JwtPayload {
  const options: jwt.VerifyOptions = { algorithms: ['HS256'], audience: clientId }
  if (atSeconds !== undefined) options.clockTimestamp = atSeconds
  return jwt.verify(token, secret, options) as jwt.JwtPayload
}

/** What is wrong with a claims object against the OpenAPI response schema, open and closed. */
export function schemaProblems(claims: unknown): string[] {
  const problems: string[] = []
  if (!validateAsDocumented(claims))
    problems.push(...(validateAsDocumented.errors ?? []).map((e) => `spec schema: ${e.instancePath} ${e.message}`))
  if (!validateClosed(claims))
    problems.push(...(validateClosed.errors ?? []).map((e) => `closed schema: ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`))
  const documented = spec.claims.properties as Record<string, JsonSchema>
  const keys = Object.keys(claims as object).sort()
  if (JSON.stringify(keys) !== JSON.stringify(Object.keys(documented).sort()))
    problems.push(`claim keys ${keys.join(',')} differ from the spec's`)
  const customer = (claims as { customer?: object }).customer ?? {}
  const documentedCustomer = Object.keys(documented.customer?.properties ?? {}).sort()
  if (JSON.stringify(Object.keys(customer).sort()) !== JSON.stringify(documentedCustomer))
    problems.push(`customer keys ${Object.keys(customer).join(',')} differ from the spec's`)
  return problems
}

/**
 * Every check a minted token must pass, whatever the test is about: the raw header, jose,
 * jsonwebtoken as node-bigcommerce calls it (accepting HS256 tokens, refusing the others),
 * the OpenAPI schema and the exact claim set. Answers the claims.
 *
 * @param atSeconds - the mock's frozen clock, when the token was minted in the past.
 */
export async function checkToken(t: Test, token: string, app: AppUnderTest, atSeconds?: number): Promise<Claims> {
  t.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'three base64url segments')
  const { rawHeader, claims } = decodeToken(token)
  t.equal(rawHeader, JSON.stringify({ typ: 'JWT', alg: app.algorithm }), 'header is exactly {"typ":"JWT","alg":...}, typ first')
  t.ok(rawHeader.indexOf('"typ"') < rawHeader.indexOf('"alg"'), 'typ comes before alg in the raw header')

  const payload = await verifyWithJose(token, app, atSeconds)
  t.same(payload, claims, `jose verifies the ${app.algorithm} token with the app secret and client id`)

  if (app.algorithm === 'HS256') {
    const verified = verifyLikeNodeBigcommerce(token, app.secret, app.clientId, atSeconds)
    t.same(verified, claims, 'jsonwebtoken verifies it as node-bigcommerce calls it')
  } else {
    t.throws(
      () => verifyLikeNodeBigcommerce(token, app.secret, app.clientId, atSeconds),
      { name: 'JsonWebTokenError', message: 'invalid algorithm' },
      `jsonwebtoken with algorithms ['HS256'] refuses a ${app.algorithm} token`,
    )
  }

  t.same(schemaProblems(claims), [], 'claims match the OpenAPI response schema, with no extra keys')
  t.same(Object.keys(claims).sort(), [...CLAIM_KEYS].sort(), 'exactly the documented claims')
  t.same(Object.keys(claims.customer).sort(), [...CUSTOMER_CLAIM_KEYS].sort(), 'exactly customer.id, email, group_id')
  t.type(claims.customer.group_id, 'string', 'group_id is a string')
  t.ok(Number.isInteger(claims.customer.id), 'customer.id is an integer')
  t.equal(claims.iss, 'bc/apps')
  t.equal(claims.version, 1)
  t.equal(claims.operation, 'current_customer')
  t.equal(claims.aud, app.clientId, 'aud is the client id')
  t.equal(claims.application_id, app.clientId, 'application_id is the client id')
  t.equal(claims.sub, claims.store_hash, 'sub is the store hash')
  t.ok(Number.isInteger(claims.iat) && Number.isInteger(claims.exp), 'iat and exp are whole seconds')
  return claims
}

/**
 * `GET /customer/current.jwt` through `inject`: asserts a 200 and runs every {@link checkToken}
 * check on the body. On a frozen clock the verifiers' clock is the mock's.
 */
export async function expectToken(
  t: Test,
  app: FastifyInstance,
  target: AppUnderTest,
  cookie: string,
  message = 'token issued',
): Promise<Claims> {
  const response = await app.inject({
    url: `/customer/current.jwt?app_client_id=${encodeURIComponent(target.clientId)}`,
    headers: { cookie },
  })
  t.equal(response.statusCode, 200, message)
  return checkToken(t, response.body, target, app.mock.now().frozen ? app.mock.now().seconds : undefined)
}
