// The Current Customer token itself: header, claims, lifetimes, algorithms, and independent
// verification with jose and with jsonwebtoken as node-bigcommerce calls it.
import t from 'tap'
import jwt from 'jsonwebtoken'
import { errors as joseErrors } from 'jose'
import { buildApp, type FixtureDocument } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'
import { SECRETS, testDocument } from '../helpers/fixture-docs.js'
import { checkToken, decodeToken, verifyLikeNodeBigcommerce, verifyWithJose, type AppUnderTest } from '../helpers/tokens.js'

const DEMO_HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }
const DEMO_HS256: AppUnderTest = { clientId: DEMO.hs256App.clientId, secret: DEMO.hs256App.secret, algorithm: 'HS256' }
const TEST_HS512: AppUnderTest = { clientId: 'app-hs512', secret: SECRETS.hs512, algorithm: 'HS512' }
const TEST_HS256: AppUnderTest = { clientId: 'app-hs256', secret: SECRETS.hs256, algorithm: 'HS256' }
const TEST_HS384: AppUnderTest = { clientId: 'app-hs384', secret: SECRETS.hs384, algorithm: 'HS384' }

async function tokenFor(app: ReturnType<typeof buildApp>, clientId: string, cookie: string): Promise<string> {
  const response = await getToken(app, clientId, { cookie })
  if (response.statusCode !== 200) throw new Error(`token for ${clientId}: ${response.statusCode} ${response.body}`)
  return response.body
}

t.test('HS256, HS384 and HS512 apps from a fixtures object', async (t) => {
  const now = Math.floor(Date.now() / 1000)
  const app = buildApp({ fixtures: testDocument(), now })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, 'alice@example.com', SECRETS.password)

  const hs512 = await checkToken(t, await tokenFor(app, TEST_HS512.clientId, cookie), TEST_HS512)
  t.equal(hs512.exp - hs512.iat, 900, 'no token_ttl and no --token-ttl: 900 seconds')
  t.equal(hs512.iat, now, 'iat comes from the clock')
  t.same(hs512.customer, { id: 10, email: 'alice@example.com', group_id: '3' })
  t.equal(hs512.sub, 'teststore1')
  t.equal(hs512.store_hash, 'teststore1')

  const hs256 = await checkToken(t, await tokenFor(app, TEST_HS256.clientId, cookie), TEST_HS256)
  t.equal(hs256.exp - hs256.iat, 300, "the app's token_ttl")
  t.equal(hs256.customer.group_id, '3')

  const hs384 = await checkToken(t, await tokenFor(app, TEST_HS384.clientId, cookie), TEST_HS384)
  t.equal(hs384.customer.group_id, '9', "the app's group_id overrides the customer's")
  t.equal(hs384.customer.id, 10)
})

t.test('exp = iat + ttl: app token_ttl, the tokenTtl option, and the clock', async (t) => {
  const now = Math.floor(Date.now() / 1000)
  const app = buildApp({ fixtures: testDocument(), now, tokenTtl: 1234 })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, 'bob@example.com', SECRETS.password)

  const first = await checkToken(t, await tokenFor(app, TEST_HS512.clientId, cookie), TEST_HS512)
  t.equal(first.iat, now)
  t.equal(first.exp, now + 1234, 'apps without token_ttl use --token-ttl')
  const own = await checkToken(t, await tokenFor(app, TEST_HS256.clientId, cookie), TEST_HS256)
  t.equal(own.exp, now + 300, 'an app with token_ttl keeps it whatever --token-ttl says')

  app.mock.changeClock({ advance: 100 })
  const later = await checkToken(t, await tokenFor(app, TEST_HS512.clientId, cookie), TEST_HS512)
  t.equal(later.iat, now + 100, 'iat follows the clock')
  t.equal(later.exp, now + 100 + 1234)
  t.equal(later.customer.group_id, '0', 'group_id defaults to "0", as a string')
})

t.test('default fixtures: HS512 app with the 900 s default, HS256 app for node-bigcommerce', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  const before = Math.floor(Date.now() / 1000)
  const hs512Token = await tokenFor(app, DEMO_HS512.clientId, cookie)
  const hs512 = await checkToken(t, hs512Token, DEMO_HS512)
  t.ok(hs512.iat >= before - 1 && hs512.iat <= Math.floor(Date.now() / 1000) + 1, 'real time by default')
  t.equal(hs512.exp - hs512.iat, 900)
  t.equal(decodeToken(hs512Token).header.alg, 'HS512', 'production algorithm by default')

  const hs256Token = await tokenFor(app, DEMO_HS256.clientId, cookie)
  await checkToken(t, hs256Token, DEMO_HS256)
  const verified = jwt.verify(hs256Token, DEMO.hs256App.secret, {
    algorithms: ['HS256'],
    audience: DEMO.hs256App.clientId,
  }) as jwt.JwtPayload
  t.equal((verified.customer as { id: number }).id, DEMO.john.id, "node-bigcommerce's exact call accepts the HS256 app's token")
  t.throws(
    () => jwt.verify(hs512Token, DEMO.hs512App.secret, { algorithms: ['HS256'], audience: DEMO.hs512App.clientId }),
    { name: 'JsonWebTokenError', message: 'invalid algorithm' },
    "node-bigcommerce's exact call refuses the default HS512 token, as production would",
  )
  const lenient = jwt.verify(hs512Token, DEMO.hs512App.secret, {
    algorithms: ['HS256', 'HS512'],
    audience: DEMO.hs512App.clientId,
  }) as jwt.JwtPayload
  t.equal(lenient.aud, DEMO.hs512App.clientId, 'bigcommerce-api-python style algorithms ["HS256","HS512"] accept it')
})

t.test("a token from app A fails verification with app B's secret or client id", async (t) => {
  const document: FixtureDocument = {
    store_hash: 'abc123',
    apps: [
      { client_id: 'app-a', client_secret: 'secret-of-app-a', algorithm: 'HS256' },
      { client_id: 'app-b', client_secret: 'secret-of-app-b', algorithm: 'HS256' },
      { client_id: 'app-c', client_secret: 'secret-of-app-c' },
      { client_id: 'app-d', client_secret: 'secret-of-app-d' },
    ],
    customers: [{ id: 1, email: 'a@example.com', password: 'pw' }],
  }
  const app = buildApp({ fixtures: document })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, 'a@example.com', 'pw')
  const A: AppUnderTest = { clientId: 'app-a', secret: 'secret-of-app-a', algorithm: 'HS256' }
  const B: AppUnderTest = { clientId: 'app-b', secret: 'secret-of-app-b', algorithm: 'HS256' }
  const C: AppUnderTest = { clientId: 'app-c', secret: 'secret-of-app-c', algorithm: 'HS512' }
  const D: AppUnderTest = { clientId: 'app-d', secret: 'secret-of-app-d', algorithm: 'HS512' }

  const tokenA = await tokenFor(app, A.clientId, cookie)
  await checkToken(t, tokenA, A)
  await t.rejects(
    verifyWithJose(tokenA, { ...A, secret: B.secret }),
    joseErrors.JWSSignatureVerificationFailed,
    "jose: A's token, B's secret",
  )
  await t.rejects(verifyWithJose(tokenA, B), joseErrors.JWSSignatureVerificationFailed, "jose: A's token, B's secret and client id")
  await t.rejects(
    verifyWithJose(tokenA, { ...B, secret: A.secret }),
    joseErrors.JWTClaimValidationFailed,
    "jose: A's token with the right secret but B's client id as audience",
  )
  t.throws(
    () => verifyLikeNodeBigcommerce(tokenA, B.secret, B.clientId),
    { name: 'JsonWebTokenError', message: 'invalid signature' },
    "jsonwebtoken: A's token, B's secret",
  )
  t.throws(
    () => verifyLikeNodeBigcommerce(tokenA, B.secret, A.clientId),
    { name: 'JsonWebTokenError', message: 'invalid signature' },
    "jsonwebtoken: A's token, B's secret, A's audience",
  )
  t.throws(
    () => verifyLikeNodeBigcommerce(tokenA, A.secret, B.clientId),
    { name: 'JsonWebTokenError', message: /audience invalid/ },
    "jsonwebtoken: A's token with B's client id",
  )

  const tokenC = await tokenFor(app, C.clientId, cookie)
  await checkToken(t, tokenC, C)
  await t.rejects(verifyWithJose(tokenC, D), joseErrors.JWSSignatureVerificationFailed, "jose: C's HS512 token, D's secret")
  t.throws(() => jwt.verify(tokenC, D.secret, { algorithms: ['HS512'], audience: C.clientId }), { message: 'invalid signature' })
  await t.rejects(
    verifyWithJose(tokenC, { ...C, algorithm: 'HS256' }),
    joseErrors.JOSEAlgNotAllowed,
    'jose with algorithms [HS256] refuses the HS512 token',
  )

  const tampered = tokenA.split('.')
  const claims = JSON.parse(Buffer.from(tampered[1]!, 'base64url').toString('utf8')) as { customer: { id: number } }
  claims.customer.id = 2
  tampered[1] = Buffer.from(JSON.stringify(claims)).toString('base64url')
  await t.rejects(verifyWithJose(tampered.join('.'), A), joseErrors.JWSSignatureVerificationFailed, 'a changed claim breaks the signature')
})

t.test('tokens expire for their verifiers at exp, with no leeway', async (t) => {
  const now = Math.floor(Date.now() / 1000)
  const app = buildApp({ fixtures: testDocument(), now })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, 'alice@example.com', SECRETS.password)
  const token = await tokenFor(app, TEST_HS256.clientId, cookie)
  const claims = await checkToken(t, token, TEST_HS256)
  await t.resolves(verifyWithJose(token, TEST_HS256, claims.exp - 1), 'valid a second before exp')
  await t.rejects(verifyWithJose(token, TEST_HS256, claims.exp), joseErrors.JWTExpired, 'jose: expired at exp')
  t.throws(
    () => verifyLikeNodeBigcommerce(token, TEST_HS256.secret, TEST_HS256.clientId, claims.exp),
    { name: 'TokenExpiredError' },
    'jsonwebtoken: expired at exp',
  )
})

t.test('app group_id given as a number is kept as a string', async (t) => {
  const document = testDocument()
  document.apps[0]!.group_id = 12
  const app = buildApp({ fixtures: document })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, 'bob@example.com', SECRETS.password)
  const claims = await checkToken(t, await tokenFor(app, TEST_HS512.clientId, cookie), TEST_HS512)
  t.equal(claims.customer.group_id, '12')
})

t.test('the same request twice at the same frozen instant gives the same token; a new instant a new one', async (t) => {
  const now = Math.floor(Date.now() / 1000)
  const app = buildApp({ now })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, DEMO.jane.email, DEMO.jane.password)
  const first = await tokenFor(app, DEMO_HS512.clientId, cookie)
  const second = await tokenFor(app, DEMO_HS512.clientId, cookie)
  t.equal(first, second, 'deterministic: HMAC over the same claims')
  app.mock.changeClock({ advance: 1 })
  const third = await tokenFor(app, DEMO_HS512.clientId, cookie)
  t.not(third, first)
  for (const token of [first, second, third]) await checkToken(t, token, DEMO_HS512)
})
