// --cors-origin: credentialed CORS on GET /customer/current.jwt for the listed origins only,
// through @fastify/cors scoped to that route; the checks on the origins given.
import { jwtVerify } from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import t from 'tap'
import { buildApp, ERRORS, MockError, type MockStorefrontOptions } from '../../server/index.js'
import type { ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'
import { parseCliChecked } from '../helpers/cli.js'

const LISTED = 'http://localhost:5173'
const OTHER_LISTED = 'https://app.example.test'
const UNLISTED = 'http://localhost:5174'
const TOKEN_URL = `/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
]

function app(options: MockStorefrontOptions = {}) {
  const built = buildApp({ corsOrigins: [LISTED, OTHER_LISTED], ...options })
  t.teardown(() => built.close())
  return built
}

const corsHeadersOf = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => CORS_HEADERS.includes(name)))

t.test("a listed origin reads the signed-in customer's token with credentials", async (t) => {
  const mock = app()
  const cookie = (await signIn(mock, DEMO.john.email, DEMO.john.password)).cookie
  for (const origin of [LISTED, OTHER_LISTED]) {
    const response = await mock.inject({ url: TOKEN_URL, headers: { cookie, origin } })
    t.equal(response.statusCode, 200)
    t.equal(response.headers['access-control-allow-origin'], origin, 'the origin is echoed, never *')
    t.equal(response.headers['access-control-allow-credentials'], 'true')
    t.match(String(response.headers.vary), /\bOrigin\b/, "Vary: Origin, so no cache serves one origin's answer to another")
    const { payload } = await jwtVerify(response.body, new TextEncoder().encode(DEMO.hs512App.secret), {
      algorithms: ['HS512'],
      audience: DEMO.hs512App.clientId,
    })
    t.match(payload, { customer: { id: DEMO.john.id, email: DEMO.john.email } })
    t.match(jsonwebtoken.verify(response.body, DEMO.hs512App.secret, { algorithms: ['HS512'] }), { customer: { id: DEMO.john.id } })
  }
})

t.test("refusals carry the CORS headers too, so the page can read a guest's 404 and a bad client id's 400", async (t) => {
  const mock = app()
  const guest = await getToken(mock, DEMO.hs512App.clientId)
  t.equal(guest.statusCode, 404, 'a guest is 404 without an origin')
  const guestFromPage = await mock.inject({ url: TOKEN_URL, headers: { origin: LISTED } })
  t.equal(guestFromPage.statusCode, 404)
  t.equal(guestFromPage.headers['access-control-allow-origin'], LISTED)
  t.equal(guestFromPage.headers['access-control-allow-credentials'], 'true')
  t.equal((JSON.parse(guestFromPage.body) as ErrorAnswer).code, ERRORS.notLoggedIn.code)
  const badApp = await mock.inject({ url: '/customer/current.jwt?app_client_id=nope', headers: { origin: LISTED } })
  t.equal(badApp.statusCode, 400)
  t.equal(badApp.headers['access-control-allow-origin'], LISTED)
})

t.test('a listed page can read X-Mock-Fault: the answer exposes it', async (t) => {
  const mock = app({ faults: [{ route: 'current-customer', effect: 'status', status: 503 }] })
  const faulted = await mock.inject({ url: TOKEN_URL, headers: { origin: LISTED } })
  t.equal(faulted.statusCode, 503, 'the fault answered')
  t.match(faulted.headers['x-mock-fault'], /^f\d+ status$/)
  t.equal(faulted.headers['access-control-allow-origin'], LISTED)
  const exposed = String(faulted.headers['access-control-expose-headers'] ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
  t.ok(
    exposed.includes('x-mock-fault'),
    `Access-Control-Expose-Headers names X-Mock-Fault (${JSON.stringify(faulted.headers['access-control-expose-headers'])})`,
  )
  const unlisted = await mock.inject({ url: TOKEN_URL, headers: { origin: UNLISTED } })
  t.same(corsHeadersOf(unlisted.headers), {}, 'an unlisted origin still gets no CORS header')
})

t.test('the preflight for the headers clients send', async (t) => {
  const mock = app()
  const preflight = await mock.inject({
    method: 'OPTIONS',
    url: TOKEN_URL,
    headers: { origin: LISTED, 'access-control-request-method': 'GET', 'access-control-request-headers': 'accept, content-type' },
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], LISTED)
  t.equal(preflight.headers['access-control-allow-credentials'], 'true')
  t.match(String(preflight.headers['access-control-allow-methods']), /\bGET\b/)
  const allowed = String(preflight.headers['access-control-allow-headers'])
    .toLowerCase()
    .split(/\s*,\s*/)
  t.ok(allowed.includes('accept') && allowed.includes('content-type'), `Accept and Content-Type are allowed (${allowed.join(', ')})`)
  t.equal(preflight.headers['content-length'], '0')

  const unlisted = await mock.inject({
    method: 'OPTIONS',
    url: TOKEN_URL,
    headers: { origin: UNLISTED, 'access-control-request-method': 'GET', 'access-control-request-headers': 'content-type' },
  })
  t.same(corsHeadersOf(unlisted.headers), {}, "an unlisted origin's preflight gets no CORS header")
  t.equal(unlisted.statusCode, 403, 'and is refused')
  const refusal = unlisted.json<{ code: string; title: string; errors: Record<string, string> }>()
  t.equal(refusal.code, ERRORS.corsOriginNotListed.code)
  t.match(refusal.title, `A page on ${UNLISTED} asked to read /customer/current.jwt`, 'the body names the origin, for the network panel')
  t.match(refusal.title, `the listed ones are ${LISTED}, ${OTHER_LISTED}`, 'and the origins that are listed')
  t.match(refusal.title, `Start the mock with --cors-origin ${UNLISTED}.`, 'and the flag that fixes it')
  t.ok(refusal.errors.origin, 'the field is the origin')

  const opaque = await mock.inject({
    method: 'OPTIONS',
    url: TOKEN_URL,
    headers: { origin: 'null', 'access-control-request-method': 'GET' },
  })
  t.equal(opaque.statusCode, 403)
  t.same(corsHeadersOf(opaque.headers), {})
  t.match(
    opaque.json<{ title: string }>().title,
    /opaque origin \(Origin: null, as file:\/\/ pages .*no --cors-origin can name it/,
    'a file:// page is told no list can name it',
  )

  const notPreflight = await mock.inject({ method: 'OPTIONS', url: TOKEN_URL, headers: { origin: UNLISTED } })
  t.equal(notPreflight.statusCode, 404, 'an OPTIONS that is not a preflight is no route, as before')
  t.equal(notPreflight.json<{ code: string }>().code, ERRORS.notFound.code)
})

t.test('an origin not listed gets no CORS header at all, exactly like production', async (t) => {
  const mock = app()
  const cookie = (await signIn(mock, DEMO.john.email, DEMO.john.password)).cookie
  for (const origin of [UNLISTED, 'http://localhost:5173.evil.test', 'null', 'HTTP://LOCALHOST:5173', `${LISTED}/`]) {
    const response = await mock.inject({ url: TOKEN_URL, headers: { cookie, origin } })
    t.equal(response.statusCode, 200, `${origin}: the answer itself is unchanged (the browser is what blocks)`)
    t.same(corsHeadersOf(response.headers), {}, `${origin}: no CORS header`)
  }
})

t.test('CORS covers the token route alone', async (t) => {
  const mock = app()
  for (const url of ['/login.php', '/account.php', '/__mock/health', '/']) {
    const response = await mock.inject({ url, headers: { origin: LISTED } })
    t.same(corsHeadersOf(response.headers), {}, `${url}: no CORS header`)
  }
  const preflight = await mock.inject({
    method: 'OPTIONS',
    url: '/login.php',
    headers: { origin: LISTED, 'access-control-request-method': 'POST' },
  })
  t.same(corsHeadersOf(preflight.headers), {}, 'no preflight answered for another path')
  t.equal(preflight.statusCode, 404)
})

t.test('without --cors-origin the token answers as before: no CORS, no Vary; a preflight is refused saying why', async (t) => {
  const mock = buildApp()
  t.teardown(() => mock.close())
  const cookie = (await signIn(mock, DEMO.john.email, DEMO.john.password)).cookie
  const response = await mock.inject({ url: TOKEN_URL, headers: { cookie, origin: LISTED } })
  t.equal(response.statusCode, 200)
  t.same(corsHeadersOf(response.headers), {})
  t.equal(response.headers.vary, undefined)
  const preflight = await mock.inject({
    method: 'OPTIONS',
    url: TOKEN_URL,
    headers: { origin: LISTED, 'access-control-request-method': 'GET' },
  })
  t.equal(preflight.statusCode, 403)
  t.same(corsHeadersOf(preflight.headers), {})
  t.equal(preflight.headers.vary, undefined)
  t.match(
    preflight.json<{ title: string }>().title,
    `but that origin is not a --cors-origin (none is listed), so the browser blocks the fetch. Start the mock with --cors-origin ${LISTED}.`,
  )
  t.equal((await mock.inject({ method: 'OPTIONS', url: TOKEN_URL })).statusCode, 404, 'OPTIONS without Origin: no route')
  t.equal(
    (
      await mock.inject({
        method: 'OPTIONS',
        url: '/customer/current.jwt/x',
        headers: { origin: LISTED, 'access-control-request-method': 'GET' },
      })
    ).statusCode,
    404,
    'another path: no route',
  )
})

t.test('origins are checked as a browser sends them, with a message saying how to write each', async (t) => {
  const refusals: [unknown, RegExp][] = [
    ['http://localhost:5173/', /without the trailing slash.*write http:\/\/localhost:5173/],
    ['*', /wildcards are not allowed/],
    ['https://*.example.test', /wildcards are not allowed/],
    ['http://localhost:5173/app', /http:\/\/localhost:5173 \(an origin has no path or query\)/],
    ['HTTP://Localhost:5173', /written as a browser sends it in Origin: http:\/\/localhost:5173/],
    ['http://localhost:80', /written as a browser sends it in Origin: http:\/\/localhost, got/],
    ['localhost:5173', /an http: or https: one|an origin such as/],
    ['ftp://files.example.test', /an http: or https: one/],
    ['', /an origin such as/],
    [5173, /an origin such as/],
  ]
  for (const [origin, message] of refusals) {
    const error = t.throws(() => buildApp({ corsOrigins: [origin as string] })) as MockError
    t.ok(error instanceof MockError, `${JSON.stringify(origin)} refused with a MockError`)
    t.equal(error.code, ERRORS.invalidOption.code)
    t.equal(error.field, 'corsOrigins[0]')
    t.match(error.message, message, `${JSON.stringify(origin)}: ${error.message}`)
  }
  t.throws(() => buildApp({ corsOrigins: 'http://localhost:5173' as unknown as string[] }), {
    code: ERRORS.invalidOption.code,
    field: 'corsOrigins',
  })
  t.throws(() => buildApp({ corsOrigns: [LISTED] } as MockStorefrontOptions), { code: ERRORS.unknownOption.code, message: /corsOrigins/ })
})

t.test('--cors-origin repeats, BC_MOCK_CORS_ORIGINS lists with commas, and errors name the flag or variable', async (t) => {
  const fromFlags = parseCliChecked(['--cors-origin', LISTED, '--cors-origin', OTHER_LISTED, '--cors-origin', LISTED], {})
  t.same(!fromFlags.help && !fromFlags.version && fromFlags.options.corsOrigins, [LISTED, OTHER_LISTED], 'repeats are dropped')
  const fromEnv = parseCliChecked([], { BC_MOCK_CORS_ORIGINS: `${LISTED}, ${OTHER_LISTED}` })
  t.same(!fromEnv.help && !fromEnv.version && fromEnv.options.corsOrigins, [LISTED, OTHER_LISTED])
  const flagWins = parseCliChecked(['--cors-origin', OTHER_LISTED], { BC_MOCK_CORS_ORIGINS: LISTED })
  t.same(!flagWins.help && !flagWins.version && flagWins.options.corsOrigins, [OTHER_LISTED], 'the flag wins over the variable')
  t.throws(() => parseCliChecked(['--cors-origin', 'http://localhost:5173/'], {}), {
    code: ERRORS.invalidOption.code,
    message: /^--cors-origin: .*trailing slash/,
  })
  t.throws(() => parseCliChecked([], { BC_MOCK_CORS_ORIGINS: `${LISTED},*` }), { message: /^BC_MOCK_CORS_ORIGINS: .*wildcards/ })
  t.throws(() => parseCliChecked([], { BC_MOCK_CORS_ORIGINS: `${LISTED},` }), { message: /^BC_MOCK_CORS_ORIGINS: expected an origin/ })
})
