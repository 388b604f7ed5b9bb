// Security checks, one test each: session id randomness, cookie attributes, no secret or
// credential in logs, error bodies or /__mock/requests, tokens bound to their app and their
// customer, and the request size limits over a real socket.
import { createHmac, randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { errors as joseErrors } from 'jose'
import jwt from 'jsonwebtoken'
import t from 'tap'
import { stringify as toYaml } from 'yaml'
import { BODY_LIMIT_BYTES } from '../../server/index.js'
import { MAX_HEADER_BYTES, MAX_URL_LENGTH } from '../../server/http/limits.js'
import { buildApp, FixtureError, loadFixtures, startMockStorefront, type FixtureDocument } from '../../server/index.js'
import { SECRETS, tempDir, testDocument } from '../helpers/fixture-docs.js'
import { rawExchange } from '../helpers/raw-http.js'
import { cookieHeader, getToken, parseSetCookie, postLogin, setCookieLines, sessionFrom, signIn } from '../helpers/session.js'
import { decodeToken, verifyLikeNodeBigcommerce, verifyWithJose, type AppUnderTest } from '../helpers/tokens.js'

const NOW = 1_700_000_000
const SESSION_COOKIES = ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN']

t.test('session ids and SHOP_TOKENs are 256-bit random values, never derived from the customer or the clock', async (t) => {
  // A frozen clock: anything derived from customer and time would repeat.
  const app = buildApp({ now: NOW, maxSessions: 100_000 })
  t.teardown(() => app.close())
  const values: string[] = []
  for (let i = 0; i < 500; i++) {
    const { sessionId, shopToken } = await signIn(app, i % 2 === 0 ? 'john.doe@example.com' : 'jane.roe@example.com', 'letmein')
    values.push(sessionId, shopToken)
  }
  const bad = values.filter(
    (value) =>
      !/^[A-Za-z0-9_-]{43}$/.test(value) ||
      Buffer.from(value, 'base64url').length !== 32 ||
      Buffer.from(value, 'base64url').toString('base64url') !== value,
  )
  t.same(bad, [], 'every value is 43 base64url characters that decode to exactly 32 bytes (256 bits)')
  t.equal(new Set(values).size, values.length, `all ${values.length} values (500 sign-ins, two cookies each) are distinct`)

  const first = await signIn(app, 'john.doe@example.com', 'letmein')
  const second = await signIn(app, 'john.doe@example.com', 'letmein')
  t.not(first.sessionId, second.sessionId, 'two sign-ins of the same customer at the same frozen instant get different ids')
  t.not(first.shopToken, second.shopToken, '... and different SHOP_TOKENs')
  const other = buildApp({ now: NOW })
  t.teardown(() => other.close())
  const elsewhere = await signIn(other, 'john.doe@example.com', 'letmein')
  t.notOk(
    values.includes(elsewhere.sessionId) || values.includes(elsewhere.shopToken),
    'a second mock with the same fixtures and clock issues different values',
  )

  // Every bit is a coin flip: over 1000 x 256 bits the share of ones is 0.5 within a few
  // thousandths (0.01 is more than 10 standard deviations), and no byte position is fixed.
  const bytes = values.map((value) => Buffer.from(value, 'base64url'))
  let ones = 0
  for (const buffer of bytes) for (const byte of buffer) for (let bit = 0; bit < 8; bit++) ones += (byte >> bit) & 1
  const share = ones / (bytes.length * 256)
  t.ok(Math.abs(share - 0.5) < 0.01, `share of one bits ${share.toFixed(4)} is 0.5 +- 0.01`)
  const fixedPositions = Array.from({ length: 32 }, (_, position) => new Set(bytes.map((buffer) => buffer[position])).size).filter(
    (distinct) => distinct < 200,
  )
  t.same(fixedPositions, [], 'every byte position takes more than 200 distinct values')
  t.ok(
    values.every((value) => !value.includes('4927') && !Buffer.from(value, 'base64url').toString('latin1').includes('john')),
    'no value spells the customer id or email',
  )
})

t.test('session cookies are HttpOnly, SameSite=Lax, Path=/ wherever they are set or cleared', async (t) => {
  const app = buildApp({ now: NOW })
  t.teardown(() => app.close())
  const checkLines = (response: LightMyRequestResponse, how: string, clearing: boolean) => {
    const lines = setCookieLines(response)
      .map(parseSetCookie)
      .filter((cookie) => SESSION_COOKIES.includes(cookie.name))
    t.same(lines.map((cookie) => cookie.name).sort(), [...SESSION_COOKIES].sort(), `${how}: both session cookies`)
    for (const cookie of lines) {
      const attributes = cookie.attributes.map((attribute) => attribute.toLowerCase())
      t.ok(attributes.includes('httponly'), `${how}: ${cookie.name} is HttpOnly`)
      t.ok(attributes.includes('samesite=lax'), `${how}: ${cookie.name} is SameSite=Lax`)
      t.ok(attributes.includes('path=/'), `${how}: ${cookie.name} has Path=/`)
      t.notOk(
        attributes.some((attribute) => attribute.startsWith('domain=')),
        `${how}: ${cookie.name} has no Domain (host-only)`,
      )
      if (clearing)
        t.ok(
          cookie.value === '' && attributes.some((a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970')),
          `${how}: ${cookie.name} is cleared`,
        )
      else t.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, `${how}: ${cookie.name} carries a 43-character value`)
    }
  }
  const form = await postLogin(app, { login_email: 'john.doe@example.com', login_pass: 'letmein' })
  checkLines(form, 'form sign-in', false)
  const url = (
    await app.inject({
      method: 'POST',
      url: '/__mock/customer-login-url',
      payload: { client_id: '6sv16tfx3j5gsopm42ss5dd67g2srvq', customer_id: 4928 },
    })
  ).json<{ path: string }>()
  checkLines(await app.inject({ url: url.path }), 'Customer Login', false)
  checkLines(await app.inject({ method: 'POST', url: '/__mock/sessions', payload: { customer_id: 4927 } }), 'POST /__mock/sessions', false)
  checkLines(await app.inject({ url: '/login.php?action=logout', headers: { cookie: sessionFrom(form).cookie } }), 'logout', true)
})

/** Log text, with every serialized Buffer (`{"type":"Buffer","data":[...]}`) decoded so its bytes are searched too. */
class TextCapture extends Writable {
  text = ''
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString()
    callback()
  }
  searchable(): string {
    const decoded: string[] = []
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk)
      else if (typeof value === 'object' && value !== null) {
        const record = value as Record<string, unknown>
        if (record.type === 'Buffer' && Array.isArray(record.data)) decoded.push(Buffer.from(record.data as number[]).toString('latin1'))
        Object.values(record).forEach(walk)
      }
    }
    for (const line of this.text.split('\n')) if (line.trim()) walk(JSON.parse(line))
    return `${this.text}\n${decoded.join('\n')}`
  }
}

/** Every answer of the flow, and the credentials each one issued (the only ones it may show). */
interface Answer {
  label: string
  status: number
  text: string
  control: boolean
  issued: string[]
}

t.test('no secret, session id or token reaches a log line, an error body, a control answer or /__mock/requests', async (t) => {
  const ADMIN = 'admin-token-never-leak-0006'
  const CAROL_PASSWORD = 'carol-password-never-leak-0005'
  const NEW_APP_SECRET = 'new-app-secret-never-leak-0007'
  const ROTATED_SECRET = 'rotated-secret-never-leak-0008'
  const NEW_PASSWORD = 'new-customer-password-never-leak-0009'
  const PATCHED_PASSWORD = 'patched-password-never-leak-0010'
  const WRONG_PASSWORD = `${SECRETS.password}-typo`
  const WRONG_ADMIN = 'wrong-admin-token-never-leak-0011'
  const BAD_FIXTURE_SECRET = 'bad-fixture-secret-never-leak-0012'
  const secrets = [
    ...Object.values(SECRETS),
    ADMIN,
    CAROL_PASSWORD,
    NEW_APP_SECRET,
    ROTATED_SECRET,
    NEW_PASSWORD,
    PATCHED_PASSWORD,
    WRONG_PASSWORD,
    WRONG_ADMIN,
    BAD_FIXTURE_SECRET,
  ]
  const issued: string[] = []
  const answers: Answer[] = []
  const errorTexts: string[] = []

  const document: FixtureDocument = testDocument()
  document.customers = [...(document.customers ?? []), { id: 12, email: 'carol@example.com', password: CAROL_PASSWORD }]
  const file = join(tempDir(t), 'store.yaml')
  writeFileSync(file, toYaml(document))
  const logs = new TextCapture()
  const storefront = await startMockStorefront({
    fixtures: file,
    watch: true,
    logLevel: 'trace',
    logStream: logs,
    adminToken: ADMIN,
    now: NOW,
  })
  t.teardown(() => storefront.close())
  const app: FastifyInstance = storefront.app
  const bearer = { authorization: `Bearer ${ADMIN}` }

  const call = async (
    label: string,
    options: InjectOptions,
    collect: (response: LightMyRequestResponse) => string[] = () => [],
  ): Promise<LightMyRequestResponse> => {
    const response = await app.inject(options)
    const own = collect(response)
    issued.push(...own)
    const url = typeof options.url === 'string' ? options.url : ''
    answers.push({
      label,
      status: response.statusCode,
      text: `${response.body}\n${JSON.stringify(response.headers)}`,
      control: url.startsWith('/__mock'),
      issued: own,
    })
    return response
  }
  const sessionOf = (response: LightMyRequestResponse) =>
    response.statusCode === 302 &&
    setCookieLines(response).some((line) => line.startsWith('SHOP_SESSION_TOKEN=') && !line.startsWith('SHOP_SESSION_TOKEN=;'))
      ? [sessionFrom(response).sessionId, sessionFrom(response).shopToken]
      : []
  const form = (email: string, password: string, cookie?: string): InjectOptions => ({
    method: 'POST',
    url: '/login.php?action=check_login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
    payload: new URLSearchParams({ login_email: email, login_pass: password }).toString(),
  })
  const jwtOf = (response: LightMyRequestResponse) =>
    response.statusCode === 200
      ? [String(response.headers['content-type']).startsWith('application/json') ? response.json<{ token: string }>().token : response.body]
      : []

  // Storefront: form sign-ins (right and wrong), tokens as text and JSON, account page, logout.
  const aliceLogin = await call('sign in alice', form('alice@example.com', SECRETS.password), sessionOf)
  const alice = sessionFrom(aliceLogin).cookie
  const bobLogin = await call('sign in bob', form('BOB@example.com', SECRETS.password), sessionOf)
  const bob = sessionFrom(bobLogin).cookie
  await call('wrong password', form('alice@example.com', WRONG_PASSWORD))
  await call('empty password', form('alice@example.com', ''))
  for (const clientId of ['app-hs512', 'app-hs256', 'app-hs384']) {
    await call(`token ${clientId}`, { url: `/customer/current.jwt?app_client_id=${clientId}`, headers: { cookie: alice } }, jwtOf)
    await call(
      `token ${clientId} json`,
      { url: `/customer/current.jwt?app_client_id=${clientId}`, headers: { cookie: bob, accept: 'application/json' } },
      jwtOf,
    )
  }
  await call('token for an unknown app', { url: '/customer/current.jwt?app_client_id=nope', headers: { cookie: alice } })
  await call('token, forged cookie', {
    url: '/customer/current.jwt?app_client_id=app-hs512',
    headers: { cookie: cookieHeader(sessionFrom(aliceLogin).sessionId, sessionFrom(bobLogin).shopToken) },
  })
  await call('account page', { url: '/account.php', headers: { cookie: alice } })
  await call('logout bob', { url: '/login.php?action=logout', headers: { cookie: bob } })
  await call('token after logout', { url: '/customer/current.jwt?app_client_id=app-hs512', headers: { cookie: bob } })

  // Customer Login: a signed URL from the control API (success, then replay), and refusals.
  const loginUrl = await call(
    'customer login url',
    { method: 'POST', url: '/__mock/customer-login-url', headers: bearer, payload: { client_id: 'app-hs256', customer_id: 11 } },
    (response) => [response.json<{ path: string }>().path.replace('/login/token/', '')],
  )
  const ssoPath = loginUrl.json<{ path: string }>().path
  await call('SSO success', { url: ssoPath }, sessionOf)
  await call('SSO replay', { url: ssoPath })
  const sso = (claims: Record<string, unknown>, secret: string = SECRETS.hs256, alg = 'HS256') => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const input = `${encode({ alg, typ: 'JWT' })}.${encode({ iss: 'app-hs256', iat: NOW, jti: randomUUID(), operation: 'customer_login', store_hash: 'teststore1', customer_id: 10, ...claims })}`
    const token = `${input}.${alg === 'none' ? '' : createHmac('sha256', secret).update(input).digest('base64url')}`
    issued.push(token)
    return token
  }
  await call('SSO stale', { url: `/login/token/${sso({ iat: NOW - 60 })}` })
  await call('SSO wrong secret', { url: `/login/token/${sso({}, SECRETS.hs512)}` })
  await call('SSO alg none', { url: `/login/token/${sso({}, '', 'none')}` })
  await call('SSO unknown customer', { url: `/login/token/${sso({ customer_id: 999 })}` })
  await call('SSO redirect_url hint', { url: `/login/token/${sso({ redirect_url: '/cart.php' })}` }, sessionOf)
  await call('SSO with a trailing slash (404)', { url: `/login/token/${sso({})}/` })
  await call('SSO with a bad escape (400)', { url: `/login/token/${sso({})}%E0%A4%A` })
  await call('SSO too long (414)', { url: `/login/token/${sso({ padding: 'x'.repeat(MAX_URL_LENGTH) })}` })

  // Control API: reads, sign-ins, tokens, apps (new secret, rotation), customers (passwords), bad bodies.
  for (const path of [
    '/__mock/health',
    '/__mock/customers',
    '/__mock/apps',
    '/__mock/sessions',
    '/__mock/clock',
    '/__mock/apps/app-hs256',
    '/__mock/customers/10',
  ])
    await call(`GET ${path}`, { url: path, headers: bearer })
  await call('control sign-in', { method: 'POST', url: '/__mock/sessions', headers: bearer, payload: { customer_id: 12 } }, (response) => {
    const cookie = response.json<{ cookie: string }>().cookie
    return [...cookie.matchAll(/=([A-Za-z0-9_-]{43})/g)].map((match) => match[1]!)
  })
  const minted = await call(
    'control token',
    { method: 'POST', url: '/__mock/tokens', headers: bearer, payload: { client_id: 'app-hs256', customer_id: 12 } },
    (response) => [response.json<{ token: string }>().token],
  )
  const oldToken = minted.json<{ token: string }>().token
  await call('new app', {
    method: 'POST',
    url: '/__mock/apps',
    headers: bearer,
    payload: { client_id: 'new-app', client_secret: NEW_APP_SECRET, algorithm: 'HS256' },
  })
  await call('rotate secret', {
    method: 'PATCH',
    url: '/__mock/apps/app-hs256',
    headers: bearer,
    payload: { client_secret: ROTATED_SECRET },
  })
  const stale = await call('verify old token after rotation', {
    method: 'POST',
    url: '/__mock/apps/app-hs256/verify',
    headers: bearer,
    payload: { token: oldToken },
  })
  t.equal(stale.json<{ valid: boolean }>().valid, false, 'after rotation the old token no longer verifies')
  await call('new customer', {
    method: 'POST',
    url: '/__mock/customers',
    headers: bearer,
    payload: { email: 'dave@example.com', password: NEW_PASSWORD },
  })
  await call('change password', { method: 'PATCH', url: '/__mock/customers/12', headers: bearer, payload: { password: PATCHED_PASSWORD } })
  await call('bad app body', {
    method: 'POST',
    url: '/__mock/apps',
    headers: bearer,
    payload: { client_id: 'has space', client_secret: NEW_APP_SECRET },
  })
  await call('bad app secret type', {
    method: 'PATCH',
    url: '/__mock/apps/app-hs512',
    headers: bearer,
    payload: { client_secret: ['x', ROTATED_SECRET] },
  })
  await call('bad customer body', {
    method: 'POST',
    url: '/__mock/customers',
    headers: bearer,
    payload: { email: 'not-an-email', password: NEW_PASSWORD },
  })
  await call('unknown field', { method: 'PATCH', url: '/__mock/customers/10', headers: bearer, payload: { passwrd: PATCHED_PASSWORD } })
  await call('wrong admin token', { url: '/__mock/health', headers: { authorization: `Bearer ${WRONG_ADMIN}` } })
  await call('clock', { method: 'PUT', url: '/__mock/clock', headers: bearer, payload: { advance: 5 } })

  // Over the wire: requests Node's parser refuses carry a session cookie. Its error holds the raw
  // bytes, which Fastify logs at trace level: they must not reach the log.
  const aliceCookie = sessionFrom(aliceLogin).cookie
  const overflow = await rawExchange(
    storefront.port,
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${aliceCookie}\r\nX-Big: ${'a'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`,
  )
  const malformed = await rawExchange(
    storefront.port,
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${aliceCookie}\r\nBad Header Line\r\n\r\n`,
  )
  t.same([overflow.status, malformed.status], [431, 400], 'the parser refused both')
  errorTexts.push(overflow.text, malformed.text)

  // Fixture errors, while --watch runs: every broken save is logged; none may quote a secret.
  const good = toYaml(document)
  const broken = [
    good.replace('client_secret:', `client_secert: ${BAD_FIXTURE_SECRET}\n    client_secret:`),
    good.replace(`client_secret: ${SECRETS.hs256}`, `client_secret: ${SECRETS.hs256}\n    client_secret: ${BAD_FIXTURE_SECRET}`),
    good.replace(`client_secret: ${SECRETS.hs384}`, `client_secret: *${BAD_FIXTURE_SECRET}`),
    good.replace(`client_secret: ${SECRETS.hs384}`, `client_secret: ${BAD_FIXTURE_SECRET}\n   \tbroken: [`),
    good.replace(`password: ${CAROL_PASSWORD}`, `password: ""`),
  ]
  for (const text of broken) {
    const failures = logs.text.split('fixtures not reloaded').length
    writeFileSync(file, text)
    await waitFor(() => logs.text.split('fixtures not reloaded').length > failures, 'a "fixtures not reloaded" log line')
  }
  writeFileSync(file, good)
  await waitFor(() => logs.text.includes('fixtures reloaded'), 'the good fixtures reloaded')
  // And the same faults through the API and a JSON file, whose parser quotes source text.
  const jsonFile = join(tempDir(t), 'store.json')
  for (const text of [
    `{"store_hash":"teststore1","apps":[{"client_id":"a","client_secret":"${BAD_FIXTURE_SECRET}" "x"}]}`,
    `{"store_hash":"teststore1","apps":[{"client_id":"a","client_secret":"${BAD_FIXTURE_SECRET}",}]}`,
  ]) {
    writeFileSync(jsonFile, text)
    errorTexts.push(captureFixtureError(() => loadFixtures(jsonFile)))
  }
  // Secret fields of the wrong type: the problem names the type, never the value.
  const wrongTypes = {
    store_hash: 'x',
    apps: [{ client_id: 'a', client_secret: [BAD_FIXTURE_SECRET] }],
    customers: [{ id: 1, email: 'x@example.com', password: { value: BAD_FIXTURE_SECRET } }],
  }
  errorTexts.push(captureFixtureError(() => buildApp({ fixtures: wrongTypes as unknown as FixtureDocument })))

  const recorded = await call('request log', { url: '/__mock/requests?limit=500', headers: bearer })
  t.ok(recorded.json<{ requests: unknown[] }>().requests.length > 20, 'the request log holds the flow')

  // The checks.
  t.ok(issued.length > 25, `${issued.length} session ids, SHOP_TOKENs and tokens were issued or sent`)
  const logText = logs.searchable()
  t.ok(
    logText.includes('customer login refused') &&
      logText.includes('fixtures not reloaded') &&
      logText.includes('client error') &&
      logText.includes('"level":10'),
    'the log holds the whole flow, at trace level',
  )
  t.same(
    secrets.filter((secret) => logText.includes(secret)),
    [],
    'no secret in the log',
  )
  t.same(issued.filter((credential) => logText.includes(credential)).map(describe), [], 'no session id, SHOP_TOKEN or token in the log')
  t.notOk(/SHOP_SESSION_TOKEN=|SHOP_TOKEN=/.test(logText), 'no cookie header in the log')
  for (const answer of answers) {
    const leakedSecrets = secrets.filter((secret) => answer.text.includes(secret))
    const leaked = issued.filter((credential) => !answer.issued.includes(credential) && answer.text.includes(credential))
    if (leakedSecrets.length > 0 || leaked.length > 0)
      t.fail(
        `${answer.label} (${answer.status}) shows ${leakedSecrets.length} secret(s) and ${leaked.length} credential(s) it did not issue`,
        { leaked: leaked.map(describe) },
      )
  }
  t.pass(
    `${answers.length} answers checked (${answers.filter((answer) => answer.control).length} from the control API, ${answers.filter((answer) => answer.status >= 400).length} errors)`,
  )
  for (const text of errorTexts) {
    t.same(
      [...secrets, ...issued].filter((value) => text.includes(value)).map(describe),
      [],
      `error text is clean: ${text.split('\n')[0]?.slice(0, 80)}`,
    )
  }
  t.same(
    [...secrets, ...issued].filter((value) => recorded.body.includes(value)).map(describe),
    [],
    'GET /__mock/requests holds no secret and no credential',
  )
})

function describe(value: string): string {
  return `${value.slice(0, 8)}... (${value.length} chars)`
}

function captureFixtureError(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof FixtureError) return error.message
    throw error
  }
  throw new Error('expected a FixtureError')
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

t.test("tokens of app A never verify with app B's secret", async (t) => {
  const document = testDocument()
  // Two apps with the same algorithm, so only the secret tells them apart.
  document.apps.push({ client_id: 'app-hs512-b', client_secret: 'second-hs512-secret-0013' })
  const apps: AppUnderTest[] = [
    { clientId: 'app-hs512', secret: SECRETS.hs512, algorithm: 'HS512' },
    { clientId: 'app-hs512-b', secret: 'second-hs512-secret-0013', algorithm: 'HS512' },
    { clientId: 'app-hs256', secret: SECRETS.hs256, algorithm: 'HS256' },
    { clientId: 'app-hs384', secret: SECRETS.hs384, algorithm: 'HS384' },
  ]
  const app = buildApp({ now: NOW, fixtures: document })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, 'alice@example.com', SECRETS.password)
  for (const a of apps) {
    const response = await getToken(app, a.clientId, { cookie })
    t.equal(response.statusCode, 200)
    const token = response.body
    await verifyWithJose(token, a, NOW)
    for (const b of apps.filter((other) => other !== a)) {
      // As B's backend would, and with A's algorithm and audience: only the secret differs.
      await t.rejects(
        verifyWithJose(token, { ...a, secret: b.secret }, NOW),
        joseErrors.JWSSignatureVerificationFailed,
        `${a.clientId}'s token fails the signature check with ${b.clientId}'s secret`,
      )
      await t.rejects(verifyWithJose(token, b, NOW), `${a.clientId}'s token does not verify as ${b.clientId}`)
      t.throws(
        () => jwt.verify(token, b.secret, { algorithms: [a.algorithm], clockTimestamp: NOW }),
        { message: 'invalid signature' },
        `jsonwebtoken: invalid signature with ${b.clientId}'s secret`,
      )
      const checked = await app.inject({ method: 'POST', url: `/__mock/apps/${b.clientId}/verify`, payload: { token } })
      t.equal(checked.json<{ valid: boolean }>().valid, false, `POST /__mock/apps/${b.clientId}/verify refuses ${a.clientId}'s token`)
    }
  }
  // HS256 tokens as node-bigcommerce checks them: audience and secret both bind them to their app.
  const hs256 = (await getToken(app, 'app-hs256', { cookie })).body
  t.throws(() => verifyLikeNodeBigcommerce(hs256, SECRETS.hs384, 'app-hs384', NOW), { name: 'JsonWebTokenError' })
  t.equal(decodeToken(hs256).claims.aud, 'app-hs256')

  // Customer Login: iss names app A, signed with app B's secret.
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: 'app-hs512', iat: NOW, jti: randomUUID(), operation: 'customer_login', store_hash: 'teststore1', customer_id: 11 })}`
  const crossed = await app.inject({
    url: `/login/token/${input}.${createHmac('sha256', 'second-hs512-secret-0013').update(input).digest('base64url')}`,
  })
  t.equal(crossed.headers.location, '/login.php', "a Customer Login token signed with another app's secret is refused")
  t.notOk(setCookieLines(crossed).some((line) => line.startsWith('SHOP_SESSION_TOKEN=')))
})

t.test('a session of customer X never yields a token for customer Y (many customers, interleaved)', async (t) => {
  const document = testDocument()
  document.generate = { customers: 120, seed: 7, password: 'generated-password' }
  const app = buildApp({ now: NOW, fixtures: document })
  t.teardown(() => app.close())
  const customers = [...app.mock.allCustomers()].filter((customer) => customer.password === 'generated-password')
  // Two sessions for some customers: the same customer's sessions must not mix with others either.
  const sessions = await Promise.all(
    [...customers, ...customers.slice(0, 30)].map(async (customer) => ({
      customer,
      ...(await signIn(app, customer.email, customer.password)),
    })),
  )
  // A fixed pseudo-random interleaving (LCG) of 1500 fetches across apps, 25 in flight at once.
  let seed = 12345
  const next = (limit: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % limit
  const apps = ['app-hs512', 'app-hs256', 'app-hs384']
  const wrong: string[] = []
  let checked = 0
  for (let batch = 0; batch < 60; batch++) {
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        const session = sessions[next(sessions.length)]!
        const clientId = apps[next(apps.length)]!
        const accept = next(2) === 0 ? 'application/json' : '*/*'
        const response = await getToken(app, clientId, { cookie: session.cookie, accept })
        const token = accept === 'application/json' ? response.json<{ token: string }>().token : response.body
        const claims = decodeToken(token).claims
        checked++
        if (
          response.statusCode !== 200 ||
          claims.customer.id !== session.customer.id ||
          claims.customer.email !== session.customer.email ||
          claims.aud !== clientId
        ) {
          wrong.push(`${session.customer.id} got ${claims.customer.id} for ${clientId}`)
        }
      }),
    )
  }
  t.equal(checked, 1500)
  t.same(
    wrong,
    [],
    `${checked} interleaved token fetches over ${sessions.length} sessions of ${customers.length} customers: each token names its session's customer`,
  )
})

t.test('limits: oversized URL, header block and body get a 4xx at once over a real socket', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  const port = storefront.port
  const get = (target: string, headers = '') => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`
  const quick = (answer: { elapsedMs: number; timedOut: boolean }, what: string) =>
    t.ok(!answer.timedOut && answer.elapsedMs < 2000, `${what}: answered in ${answer.elapsedMs} ms`)
  const atLimit = (prefix: string, length: number) => prefix + 'a'.repeat(length - prefix.length)

  // URL: at most MAX_URL_LENGTH characters; past it 414, until the request line alone overflows the header block (431).
  const fits = await rawExchange(port, get(atLimit('/?q=', MAX_URL_LENGTH)))
  t.equal(fits.status, 200, `a ${MAX_URL_LENGTH}-character URL is served`)
  for (const length of [MAX_URL_LENGTH + 1, 12 * 1024]) {
    const answer = await rawExchange(port, get(atLimit('/login/token/', length)))
    t.equal(answer.status, 414, `a ${length}-character URL: 414`)
    t.notOk(answer.text.includes('a'.repeat(100)), 'the 414 does not echo the URL')
    quick(answer, `${length}-character URL`)
  }
  const hugeUrl = await rawExchange(port, get(atLimit('/?q=', MAX_HEADER_BYTES + 1024)))
  t.equal(hugeUrl.status, 431, 'a URL longer than the whole header block: 431 from the HTTP parser')
  quick(hugeUrl, 'URL past the header block')

  // Header block: at most MAX_HEADER_BYTES, request line included; past it 431.
  const bigHeader = await rawExchange(port, get('/', `X-Big: ${'a'.repeat(MAX_HEADER_BYTES - 1024)}\r\n`))
  t.equal(bigHeader.status, 200, `a ${MAX_HEADER_BYTES - 1024}-byte header is accepted`)
  for (const [what, headers] of [
    ['one header over the limit', `X-Big: ${'a'.repeat(MAX_HEADER_BYTES + 1)}\r\n`],
    ['many small headers over the limit', Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'b'.repeat(40)}\r\n`).join('')],
  ] as const) {
    const answer = await rawExchange(port, get('/', headers))
    t.equal(answer.status, 431, `${what}: 431`)
    quick(answer, what)
  }

  // Body: at most BODY_LIMIT_BYTES (64 KiB); a declared larger body is refused before it is read.
  const post = (path: string, type: string, length: number | 'chunked') =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\n${length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`}\r\n\r\n`
  const formAtLimit = `login_email=x%40example.com&login_pass=${'p'.repeat(BODY_LIMIT_BYTES - 'login_email=x%40example.com&login_pass='.length)}`
  const atBodyLimit = await rawExchange(
    port,
    post('/login.php?action=check_login', 'application/x-www-form-urlencoded', formAtLimit.length) + formAtLimit,
  )
  t.equal(atBodyLimit.status, 401, `a ${BODY_LIMIT_BYTES}-byte form is read (and refused as wrong credentials)`)
  const declared = await rawExchange(port, post('/login.php?action=check_login', 'application/x-www-form-urlencoded', 10 * 1024 * 1024), {
    end: false,
    untilHead: true,
  })
  t.equal(declared.status, 413, 'a declared 10 MiB body: 413 without waiting for it')
  quick(declared, 'declared 10 MiB body')
  const control = await rawExchange(
    port,
    post('/__mock/customers', 'application/json', BODY_LIMIT_BYTES + 1) + '{' + ' '.repeat(BODY_LIMIT_BYTES - 1) + '}',
  )
  t.equal(control.status, 413, 'a control API JSON body over 64 KiB: 413')
  quick(control, 'JSON body over the limit')
  const chunk = 'x'.repeat(16 * 1024)
  const chunked = await rawExchange(
    port,
    post('/login.php?action=check_login', 'application/x-www-form-urlencoded', 'chunked') +
      `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(6),
    { end: false, untilHead: true },
  )
  t.equal(chunked.status, 413, 'a chunked body that grows past 64 KiB: 413 once it does')
  quick(chunked, 'chunked body over the limit')

  t.equal((await fetch(`${storefront.url}/login.php`)).status, 200, 'the server still serves')

  // The URL check runs before any other hook: a slow storefront (--latency) still refuses at once.
  const slow = await startMockStorefront({ latency: 5000 })
  t.teardown(() => slow.close())
  const refused = await rawExchange(slow.port, get(atLimit('/login/token/', MAX_URL_LENGTH + 1)))
  t.equal(refused.status, 414, 'with --latency 5000: 414')
  t.ok(refused.elapsedMs < 1000, `with --latency 5000 the 414 comes in ${refused.elapsedMs} ms, without the delay`)
})
