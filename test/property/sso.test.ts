// Generated Customer Login tokens (GET /login/token/{jwt}) against a model of BigCommerce's
// rules: which tokens sign a customer in, which `jti`s are spent, where the browser lands.
// Forged and mutated tokens (random bytes, truncated, re-encoded, alg none, other algorithms,
// a tampered payload with the original signature, another app's secret, huge tokens) must never
// sign anyone in. Seed and runs: test/helpers/property.ts.
import { createHmac, generateKeyPairSync, sign as signWithKey, type KeyObject } from 'node:crypto'
import fc from 'fast-check'
import t from 'tap'
import { MAX_URL_LENGTH } from '../../server/http/limits.js'
import { buildApp } from '../../server/index.js'
import { checkProperty, expect, flipChar, PropertyTally, setsSession } from '../helpers/property.js'
import { setCookieLines } from '../helpers/session.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000
const tally = new PropertyTally()
const APPS = [DEMO.hs512App, DEMO.hs256App]
const CUSTOMER_IDS = [DEMO.john.id, DEMO.jane.id, 4929, 4953]

const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')

/** Asymmetric keys for the "other algorithm" cases: a backend could only use these by mistake. */
const KEYS: Record<'RS256' | 'ES256' | 'EdDSA', KeyObject> = {
  RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  EdDSA: generateKeyPairSync('ed25519').privateKey,
}

type Alg = 'HS256' | 'HS384' | 'HS512' | 'none' | 'RS256' | 'ES256' | 'EdDSA'

/** Sign header and payload as given, whatever they hold: the mock must judge, not the signer. */
function signToken(header: Record<string, unknown>, payload: Record<string, unknown>, alg: Alg, secret: string): string {
  const input = `${encode(header)}.${encode(payload)}`
  let signature = ''
  if (alg === 'HS256' || alg === 'HS384' || alg === 'HS512')
    signature = createHmac(`sha${alg.slice(2)}`, secret)
      .update(input)
      .digest('base64url')
  else if (alg === 'RS256') signature = signWithKey('sha256', Buffer.from(input), KEYS.RS256).toString('base64url')
  else if (alg === 'ES256')
    signature = signWithKey('sha256', Buffer.from(input), { key: KEYS.ES256, dsaEncoding: 'ieee-p1363' }).toString('base64url')
  else if (alg === 'EdDSA') signature = signWithKey(null, Buffer.from(input), KEYS.EdDSA).toString('base64url')
  return `${input}.${signature}`
}

const REDIRECTS_OK: [string, string][] = [
  ['/cart.php', '/cart.php'],
  ['/account.php?tab=orders#top', '/account.php?tab=orders#top'],
  ['', '/account.php'],
  ['/a b', '/a%20b'],
  // BigCommerce's documented sign-out: a valid token then ends the session instead.
  ['/login.php?action=logout', '/login.php?action=logout'],
  ['/login.php?action=logout#bye', '/login.php?action=logout#bye'],
]
const REDIRECTS_REFUSED = [
  '//evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  '/\\evil.example',
  'cart.php',
  '/\tx',
  '/.//evil.example',
  42,
]

/** The knobs of one generated token; `expectation()` says what the rules make of them. */
interface TokenCase {
  app: number
  signer: 'own' | 'other app' | 'random secret'
  alg: Alg
  typ: string | undefined
  headerExtra: Record<string, string>
  age: number
  jti: 'fresh' | 'reuse' | 'missing' | 'empty' | 'number'
  operation: string | undefined
  storeHash: 'right' | 'wrong' | 'missing'
  customer: number | string | undefined
  channel: unknown
  persistent: unknown
  requestIp: string | undefined
  redirect: { value: unknown; location: string | undefined } | undefined
  exp: 'absent' | 'future' | 'past'
  nbf: 'absent' | 'past' | 'future'
  redirectUrl: boolean
  padding: number
  mutation: Mutation
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'flip'; segment: number; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; text: string }
  | { kind: 'reencode header' }
  | { kind: 'reencode payload' }
  | { kind: 'tamper payload'; customer: number }
  | { kind: 'signature from another app' }
  | { kind: 'signature padded' }
  | { kind: 'standard base64' }
  | { kind: 'drop signature' }
  | { kind: 'extra segment' }
  | { kind: 'upper case' }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  {
    weight: 10,
    arbitrary: fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), segment: fc.integer({ min: 0, max: 2 }), at: fc.nat() }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('append' as const), text: fc.constantFrom('A', '.', '..', '.x', '%20', '~', 'eyJ9') }),
      fc.constantFrom<Mutation>(
        { kind: 'reencode header' },
        { kind: 'reencode payload' },
        { kind: 'signature from another app' },
        { kind: 'signature padded' },
        { kind: 'standard base64' },
        { kind: 'drop signature' },
        { kind: 'extra segment' },
        { kind: 'upper case' },
      ),
      fc.constantFrom(...CUSTOMER_IDS).map((customer): Mutation => ({ kind: 'tamper payload', customer })),
    ),
  },
)

const tokenCase: fc.Arbitrary<TokenCase> = fc.record({
  app: fc.integer({ min: 0, max: APPS.length - 1 }),
  signer: fc.oneof(
    { weight: 8, arbitrary: fc.constant('own' as const) },
    { weight: 1, arbitrary: fc.constantFrom('other app' as const, 'random secret' as const) },
  ),
  alg: fc.oneof(
    { weight: 8, arbitrary: fc.constant<Alg>('HS256') },
    { weight: 1, arbitrary: fc.constantFrom<Alg>('HS384', 'HS512', 'none', 'RS256', 'ES256', 'EdDSA') },
  ),
  typ: fc.oneof(
    { weight: 8, arbitrary: fc.constant('JWT') },
    { weight: 1, arbitrary: fc.constantFrom<string | undefined>('jwt', 'application/jwt', undefined, 'JWS', 'at+jwt', '') },
  ),
  headerExtra: fc.oneof(
    { weight: 6, arbitrary: fc.constant<Record<string, string>>({}) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { kid: '../../etc/passwd' },
        { jku: 'https://evil.example/jwks' },
        { x5u: 'https://evil.example/cert' },
      ),
    },
  ),
  age: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -5, max: 30 }) },
    { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
  ),
  jti: fc.oneof(
    { weight: 8, arbitrary: fc.constant('fresh' as const) },
    { weight: 1, arbitrary: fc.constantFrom('reuse' as const, 'missing' as const, 'empty' as const, 'number' as const) },
  ),
  operation: fc.oneof(
    { weight: 10, arbitrary: fc.constant('customer_login') },
    { weight: 1, arbitrary: fc.constantFrom<string | undefined>('current_customer', 'CUSTOMER_LOGIN', undefined) },
  ),
  storeHash: fc.oneof(
    { weight: 10, arbitrary: fc.constant('right' as const) },
    { weight: 1, arbitrary: fc.constantFrom('wrong' as const, 'missing' as const) },
  ),
  customer: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...CUSTOMER_IDS) },
    { weight: 1, arbitrary: fc.constantFrom<number | string | undefined>(999_999, 0, -1, 4927.5, '4927', undefined) },
  ),
  channel: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom(1, 2) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, '1', 1.5) },
  ),
  persistent: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constantFrom('yes', 1) },
  ),
  requestIp: fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('127.0.0.1', '::ffff:127.0.0.1', '10.0.0.1', 'not-an-ip') },
  ),
  redirect: fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...REDIRECTS_OK).map(([value, location]) => ({ value: value, location: location })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...REDIRECTS_REFUSED).map((value) => ({ value: value, location: undefined as string | undefined })),
    },
  ),
  exp: fc.oneof(
    { weight: 6, arbitrary: fc.constant('absent' as const) },
    { weight: 1, arbitrary: fc.constantFrom('future' as const, 'past' as const) },
  ),
  nbf: fc.oneof(
    { weight: 6, arbitrary: fc.constant('absent' as const) },
    { weight: 1, arbitrary: fc.constantFrom('past' as const, 'future' as const) },
  ),
  redirectUrl: fc.boolean(),
  // Most tokens are small; some are huge, up to past the URL limit.
  padding: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 12_000 }) }),
  mutation,
})

/** Tokens that are not derived from a signed one at all. */
const randomToken: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => parts.join('.')),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~'), maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 60 }).map((text) => encodeURIComponent(text)),
  fc
    .tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), fc.uint8Array({ maxLength: 64 }))
    .map(([header, payload, signature]) => `${encode(header)}.${encode(payload)}.${Buffer.from(signature).toString('base64url')}`),
  fc.constantFrom('', '.', '..', '...', 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.', '%', '%E0%A4%A'),
)

t.test('property: a Customer Login token signs in exactly when the rules say so', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  let counter = 0
  // jtis the mock has spent: reusing one must fail.
  const spent: { app: number; jti: string }[] = []
  const outcomes = new Map<string, number>()

  const arbitrary = fc.oneof(
    { weight: 5, arbitrary: tokenCase.map((knobs) => ({ knobs, random: undefined })) },
    { weight: 1, arbitrary: randomToken.map((random) => ({ knobs: undefined, random })) },
  )

  await checkProperty(t, tally, 'Customer Login: generated claims, forged and mutated tokens', arbitrary, async ({ knobs, random }) => {
    let token: string
    let expected: { valid: boolean; customer?: number; location?: string; signsOut?: boolean; spends?: { app: number; jti: string } }
    let sameCredentialAsValid = false
    if (knobs === undefined) {
      token = random ?? ''
      expected = { valid: false }
    } else {
      const built = build(knobs, ++counter, spent)
      token = built.token
      expected = built.expected
      sameCredentialAsValid = built.sameCredential
    }
    const url = `/login/token/${token}`
    const before = app.mock.stats().sessions
    const response = await app.inject({ method: 'GET', url })
    const status = response.statusCode
    const signedIn = setsSession(response)
    // A token that passes every rule with redirect_to the logout: no session, both cookies cleared.
    const signedOut =
      status === 302 &&
      expected.signsOut === true &&
      response.headers.location === expected.location &&
      ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN'].every((name) => setCookieLines(response).some((line) => line.startsWith(`${name}=;`)))
    const outcome = signedIn ? 'signed in' : signedOut ? 'signed out' : `${status} ${String(response.headers.location ?? '')}`
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)

    expect(status < 500, '5xx', { status, body: response.body.slice(0, 300) })
    expect(!response.body.includes(token) || token.length < 8, 'the answer never repeats the token', response.body.slice(0, 300))
    expect(
      !String(response.headers.location ?? '').includes(token) || token.length < 8,
      'the redirect never carries the token',
      response.headers.location,
    )
    if (url.length > MAX_URL_LENGTH) {
      expect(status === 414 && !signedIn, `a URL over ${MAX_URL_LENGTH} characters is refused with 414`, { status, length: url.length })
      return
    }
    if (signedIn) {
      // A mutation may keep the credential only by re-spelling the signature (padding, unused bits).
      expect(expected.valid || sameCredentialAsValid, 'a session from a token the rules refuse', { knobs, token: token.slice(0, 120) })
      expect(expected.signsOut !== true, 'a token with redirect_to the logout started a session', { location: expected.location })
      expect(app.mock.stats().sessions === before + 1, 'one new session per sign-in')
      const newest = app.mock.heldSessions().at(-1)
      expect(newest?.customerId === (expected.customer ?? -1), 'the session is for the customer_id the token names', {
        customer: newest?.customerId,
        expected: expected.customer,
      })
      if (expected.location !== undefined)
        expect(response.headers.location === expected.location, 'lands on redirect_to', {
          location: response.headers.location,
          expected: expected.location,
        })
    } else if (signedOut) {
      expect(expected.valid || sameCredentialAsValid, 'a sign-out from a token the rules refuse', { knobs, token: token.slice(0, 120) })
      expect(app.mock.stats().sessions === before, 'a sign-out starts no session')
    } else {
      expect(!expected.valid, 'a valid token was refused', { knobs, status, location: response.headers.location })
      expect(app.mock.stats().sessions === before, 'a refused token adds no session')
      if (status === 302) {
        expect(response.headers.location === '/login.php', 'a refused token redirects to /login.php', response.headers.location)
        expect(
          setCookieLines(response).every((line) => line.startsWith('BCMOCK_LOGIN_FLASH=')),
          'a refusal sets only the flash cookie',
          setCookieLines(response),
        )
      } else {
        // Only a token that is not a path segment at all (an encoded "/", a bad escape) fails routing.
        expect([400, 404].includes(status), 'a refusal is a 302, or a 400/404 for a URL that is no token route', {
          status,
          token: token.slice(0, 80),
        })
      }
    }
    expect(response.headers['cache-control'] === 'no-store' || status >= 400, 'Customer Login answers are no-store', response.headers)
    // The mock spends a jti once signature and time checks pass, whatever later checks say.
    if (expected.spends && (signedIn || knobs?.mutation.kind === 'none')) spent.push(expected.spends)
    if (expected.valid && expected.spends) {
      // Spent: the same token again must be refused.
      const again = await app.inject({ method: 'GET', url })
      expect(!setsSession(again), 'a Customer Login token works once')
    }
  })
  t.comment(
    `Customer Login outcomes: ${[...outcomes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([outcome, count]) => `${outcome}: ${count}`)
      .join(', ')}`,
  )
})

/** Sign the token a {@link TokenCase} describes, and say what the rules make of it. */
function build(knobs: TokenCase, serial: number, spent: { app: number; jti: string }[]) {
  const app = APPS[knobs.app]!
  const iat = NOW - knobs.age
  const reused = spent.length > 0 && knobs.jti === 'reuse' ? spent[serial % spent.length]! : undefined
  const jti = {
    fresh: `jti-${serial}-${knobs.app}`,
    reuse: reused?.jti ?? `jti-${serial}-${knobs.app}`,
    missing: undefined,
    empty: '',
    number: serial,
  }[knobs.jti]
  const payload: Record<string, unknown> = { iss: app.clientId, iat }
  if (jti !== undefined) payload.jti = jti
  if (knobs.operation !== undefined) payload.operation = knobs.operation
  if (knobs.storeHash !== 'missing') payload.store_hash = knobs.storeHash === 'right' ? DEMO.storeHash : 'xyz789'
  if (knobs.customer !== undefined) payload.customer_id = knobs.customer
  if (knobs.channel !== undefined) payload.channel_id = knobs.channel
  if (knobs.persistent !== undefined) payload.enable_persistent_cart = knobs.persistent
  if (knobs.requestIp !== undefined) payload.request_ip = knobs.requestIp
  if (knobs.redirect !== undefined) payload.redirect_to = knobs.redirect.value
  if (knobs.exp !== 'absent') payload.exp = knobs.exp === 'future' ? NOW + 300 : NOW - 60
  if (knobs.nbf !== 'absent') payload.nbf = knobs.nbf === 'past' ? NOW - 60 : NOW + 60
  if (knobs.redirectUrl) payload.redirect_url = '/cart.php'
  if (knobs.padding > 0) payload.padding = 'x'.repeat(knobs.padding)

  const header: Record<string, unknown> = { alg: knobs.alg, ...knobs.headerExtra }
  if (knobs.typ !== undefined) header.typ = knobs.typ
  const otherSecret = APPS[(knobs.app + 1) % APPS.length]!.secret
  const secret = knobs.signer === 'own' ? app.secret : knobs.signer === 'other app' ? otherSecret : 'a-secret-nobody-registered'
  const original = signToken(header, payload, knobs.alg, secret)

  // The rules, in the mock's documented order (see verifyCustomerLogin).
  const signatureOk =
    knobs.alg === 'HS256' && knobs.signer === 'own' && ['jwt', 'application/jwt'].includes(String(knobs.typ).toLowerCase())
  const timeOk = knobs.exp !== 'past' && knobs.nbf !== 'future' && knobs.age >= -5 && knobs.age <= 30
  const jtiOk = typeof jti === 'string' && jti !== ''
  const fresh = jtiOk && !spent.some((entry) => entry.app === knobs.app && entry.jti === jti)
  const claimsOk =
    knobs.operation === 'customer_login' &&
    knobs.storeHash === 'right' &&
    typeof knobs.customer === 'number' &&
    CUSTOMER_IDS.includes(knobs.customer) &&
    // The default fixtures have channel 1 only: channel 2 is a positive integer naming no channel.
    (knobs.channel === undefined || knobs.channel === 1) &&
    (knobs.persistent === undefined || typeof knobs.persistent === 'boolean') &&
    (knobs.requestIp === undefined || ['127.0.0.1', '::ffff:127.0.0.1'].includes(knobs.requestIp)) &&
    (knobs.redirect === undefined || knobs.redirect.location !== undefined)
  const originalValid = signatureOk && timeOk && fresh && claimsOk
  // Whether the mock spends the jti: once signature and time checks pass, whatever follows.
  const spends = signatureOk && timeOk && fresh ? { app: knobs.app, jti: jti } : undefined

  const [h = '', p = '', s = ''] = original.split('.')
  let token = original
  const m = knobs.mutation
  switch (m.kind) {
    case 'none':
      break
    case 'flip': {
      const parts = [h, p, s]
      parts[m.segment] = flipChar(parts[m.segment]!, m.at)
      token = parts.join('.')
      break
    }
    case 'truncate':
      token = original.slice(0, m.at % original.length)
      break
    case 'append':
      token = original + m.text
      break
    case 'reencode header':
      token = [Buffer.from(JSON.stringify(header, null, 1)).toString('base64url'), p, s].join('.')
      break
    case 'reencode payload':
      token = [h, Buffer.from(JSON.stringify(payload, Object.keys(payload).reverse())).toString('base64url'), s].join('.')
      break
    case 'tamper payload':
      token = [h, encode({ ...payload, customer_id: m.customer === payload.customer_id ? m.customer + 1 : m.customer }), s].join('.')
      break
    case 'signature from another app':
      token = [h, p, signToken(header, payload, 'HS256', otherSecret).split('.')[2]].join('.')
      break
    case 'signature padded':
      token = `${original}=`
      break
    case 'standard base64':
      token = [h, p, s].map((part) => Buffer.from(part, 'base64url').toString('base64')).join('.')
      break
    case 'drop signature':
      token = `${h}.${p}.`
      break
    case 'extra segment':
      token = `${original}.${s}`
      break
    case 'upper case':
      token = original.toUpperCase()
      break
  }
  // A changed token is still the signed one only if header and payload are untouched and the
  // signature segment decodes to the same bytes: base64url padding, unused low bits or trailing
  // white space re-spell the signature without changing it (verifiers ignore them).
  // The router percent-decodes the path segment before the mock sees it.
  let received = token
  try {
    received = decodeURIComponent(token)
  } catch {
    // not decodable: the router refuses it
  }
  const [h2, p2, s2, ...rest] = received.split('.')
  const signature2 = s2?.replace(/[=\s]+$/, '')
  const sameCredential =
    token !== original &&
    originalValid &&
    rest.length === 0 &&
    h2 === h &&
    p2 === p &&
    signature2 !== undefined &&
    /^[A-Za-z0-9_-]+$/.test(signature2) &&
    Buffer.from(signature2, 'base64url').equals(Buffer.from(s, 'base64url'))
  const location = knobs.redirect?.location ?? '/account.php'
  const signsOut = location.startsWith('/login.php?action=logout')
  return {
    token,
    sameCredential,
    expected:
      m.kind === 'none'
        ? { valid: originalValid, customer: knobs.customer as number, location, signsOut, ...(spends && { spends }) }
        : { valid: false, customer: knobs.customer as number, location, signsOut, ...(sameCredential && spends && { spends }) },
  }
}

t.test('summary', async (t) => {
  t.comment(tally.summary('test/property/sso.test.ts'))
  t.pass()
})
