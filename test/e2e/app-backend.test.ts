// examples/app-backend/server.mjs, run as its own process as its README says: it accepts the
// mock's tokens and refuses, with the reason, what a BigCommerce app backend must refuse.
import { spawn } from 'node:child_process'
import { SignJWT } from 'jose'
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { APP_BACKEND, managementApiView, spawnAppBackend } from '../helpers/app-backend.js'
import { CliProcess, cleanEnv, freePort, ROOT, spawnCli } from '../helpers/cli.js'
import { DEMO } from '../helpers/storefront.js'

const STOREFRONT_ORIGIN = 'http://127.0.0.1:3999'

t.test('the example app backend verifies Current Customer tokens', async (t) => {
  const [backend, hs256Backend] = await Promise.all([
    spawnAppBackend(t, { CLIENT_ID: DEMO.hs512App.clientId, CLIENT_SECRET: DEMO.hs512App.secret, ALLOWED_ORIGINS: STOREFRONT_ORIGIN }),
    spawnAppBackend(t, { CLIENT_ID: DEMO.hs256App.clientId, CLIENT_SECRET: DEMO.hs256App.secret }),
  ])
  // Tokens by the mock's real-time clock, as the backend judges exp by its own clock.
  const mock = buildApp()
  t.teardown(() => mock.close())
  const mint = async (clientId: string) =>
    (await mock.inject({ method: 'POST', url: '/__mock/tokens', payload: { client_id: clientId, customer_id: DEMO.john.id } })).json<{
      token: string
    }>().token
  const post = (url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${url}/verify`, { method: 'POST', headers, body })
  const verify = async (url: string, token: string) => {
    const response = await post(url, JSON.stringify({ token }))
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  t.test('a token from the mock: 200 with the customer, as JSON, text or bearer', async (t) => {
    const token = await mint(DEMO.hs512App.clientId)
    const expected = { customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: '6' }, store_hash: DEMO.storeHash }
    t.match(await verify(backend.url, token), { status: 200, body: expected })
    t.equal((await post(backend.url, token, { 'content-type': 'text/plain' })).status, 200)
    t.equal((await fetch(`${backend.url}/verify`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status, 200)
    t.match(await verify(hs256Backend.url, await mint(DEMO.hs256App.clientId)), { status: 200, body: expected }, 'HS256 too')
    t.notMatch(backend.process.stdout, token, 'the token is never logged')
  })

  t.test('refusals name the reason', async (t) => {
    const forge = (claims: Record<string, unknown>, alg = 'HS512', secret: string = DEMO.hs512App.secret) =>
      new SignJWT({
        customer: { id: 1, email: 'x@example.com', group_id: '0' },
        aud: DEMO.hs512App.clientId,
        exp: Math.floor(Date.now() / 1000) + 600,
        ...claims,
      })
        .setProtectedHeader({ typ: 'JWT', alg })
        .sign(new TextEncoder().encode(secret))
    const frozenInThePast = buildApp({ now: 1_600_000_000 })
    t.teardown(() => frozenInThePast.close())
    const old = (
      await frozenInThePast.inject({
        method: 'POST',
        url: '/__mock/tokens',
        payload: { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id },
      })
    ).json<{ token: string }>().token

    t.match(await verify(backend.url, old), { status: 401, body: { error: 'invalid_token', reason: 'expired' } }, 'exp by real time')
    t.match(await verify(backend.url, await forge({}, 'HS512', 'another-secret')), { status: 401, body: { reason: 'signature' } })
    t.match(await verify(backend.url, await forge({ aud: 'another-app' })), {
      status: 401,
      body: {
        reason: 'audience',
        message: `the token was minted for app "another-app", not this one (${DEMO.hs512App.clientId}): fetch it with app_client_id=${DEMO.hs512App.clientId}`,
      },
    })
    const long = await verify(backend.url, await forge({ aud: `x\n${'a'.repeat(5000)}` }))
    t.match(long, { status: 401, body: { reason: 'audience' } }, 'a huge aud')
    t.ok(String(long.body.message).length < 400, 'is cut short in the answer')
    t.notMatch(backend.process.stdout, 'a'.repeat(200), 'and in the log line')
    t.notMatch(backend.process.stdout, /\bx\n/, 'written on one line')
    t.match(await verify(backend.url, await forge({}, 'HS384')), { status: 401, body: { reason: 'algorithm' } }, 'HS256 and HS512 only')
    t.match(await verify(backend.url, await forge({ exp: undefined })), { status: 401, body: { reason: 'claims' } }, 'exp is required')
    t.match(await verify(backend.url, 'not.a.jwt'), { status: 401, body: { reason: 'malformed' } })
    // Another app's token fails the signature too (another secret), but the mistake is the app: aud says which.
    t.match(
      await verify(hs256Backend.url, await mint(DEMO.hs512App.clientId)),
      {
        status: 401,
        body: {
          reason: 'audience',
          message: `the token was minted for app "${DEMO.hs512App.clientId}", not this one (${DEMO.hs256App.clientId}): fetch it with app_client_id=${DEMO.hs256App.clientId}`,
        },
      },
      "another app's token names the app it was minted for",
    )
    t.match(
      hs256Backend.process.stdout,
      `verify: 401 audience: the token was minted for app "${DEMO.hs512App.clientId}"`,
      'and so does the log',
    )
    t.match(
      await verify(backend.url, await forge({ aud: [DEMO.hs512App.clientId, 'another-app'] })),
      { status: 200 },
      'an aud list naming this app is this app',
    )
    const missing = await post(backend.url, JSON.stringify({}))
    t.equal(missing.status, 400)
    t.match(await missing.json(), { error: 'token_missing' })
  })

  t.test('CORS: the storefront origin may call it from the browser, others may not', async (t) => {
    const preflight = await fetch(`${backend.url}/verify`, {
      method: 'OPTIONS',
      headers: { origin: STOREFRONT_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    t.equal(preflight.status, 204)
    t.equal(preflight.headers.get('access-control-allow-origin'), STOREFRONT_ORIGIN)
    t.match(preflight.headers.get('access-control-allow-headers'), /content-type/)
    const answer = await post(backend.url, JSON.stringify({ token: await mint(DEMO.hs512App.clientId) }), {
      'content-type': 'application/json',
      origin: STOREFRONT_ORIGIN,
    })
    t.equal(answer.headers.get('access-control-allow-origin'), STOREFRONT_ORIGIN)

    const stranger = await fetch(`${backend.url}/verify`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    })
    t.equal(stranger.status, 403)
    t.equal(stranger.headers.get('access-control-allow-origin'), null)
    const health = await fetch(`${backend.url}/health`)
    t.match(await health.json(), { status: 'ok', client_id: DEMO.hs512App.clientId, algorithms: ['HS256', 'HS512'] })
  })
})

t.test('MOCK_URL: the allowed origin follows the mock it is pointed at (a mock on --port 0)', async (t) => {
  const mock = spawnCli(t, ['--port', '0'])
  const mockUrl = await mock.url()
  const port = new URL(mockUrl).port
  const backend = await spawnAppBackend(t, { MOCK_URL: mockUrl })
  t.match(backend.process.stdout, `CORS for ${mockUrl}, http://localhost:${port}`)
  const preflight = (origin: string) =>
    fetch(`${backend.url}/verify`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
  for (const origin of [mockUrl, `http://localhost:${port}`]) {
    const answer = await preflight(origin)
    t.equal(answer.status, 204, `${origin} may call it`)
    t.equal(answer.headers.get('access-control-allow-origin'), origin)
  }
  t.equal((await preflight('http://127.0.0.1:3100')).status, 403, 'the default port is not allowed any more')

  // A token from that mock, signed in through its form, accepted from its origin.
  const signIn = await fetch(`${mockUrl}/login.php?action=check_login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }),
  })
  const cookie = signIn.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ')
  const token = await (
    await fetch(`${mockUrl}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { headers: { cookie } })
  ).text()
  const answer = await fetch(`${backend.url}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: mockUrl },
    body: JSON.stringify({ token }),
  })
  t.equal(answer.status, 200)
  t.equal(answer.headers.get('access-control-allow-origin'), mockUrl)
  t.match(await answer.json(), { customer: { id: DEMO.john.id } })
})

t.test("after verifying, the backend reads the customer from the mock's Management API (the whole app flow, offline)", async (t) => {
  const mock = spawnCli(t, ['--port', '0'])
  const mockUrl = await mock.url()
  // No BIGCOMMERCE_API_URL nor ACCESS_TOKEN: the mock's origin and the demo app's token.
  const backend = await spawnAppBackend(t, { MOCK_URL: mockUrl })
  t.ok(
    await backend.process.waitForStdout(/then the customer's details from the Management API at (\S+)\/stores\/<store_hash>\//),
    'its banner names the API',
  )
  t.match(backend.process.stdout, `the Management API at ${mockUrl}/stores/<store_hash>/ (BIGCOMMERCE_API_URL)`)
  const health = (await (await fetch(`${backend.url}/health`)).json()) as Record<string, unknown>
  t.equal(health.management_api, mockUrl)

  const mint = async (customerId: number) =>
    (
      (await (
        await fetch(`${mockUrl}/__mock/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: DEMO.hs512App.clientId, customer_id: customerId }),
        })
      ).json()) as { token: string }
    ).token
  const verify = async (url: string, token: string) => {
    const response = await fetch(`${url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  const john = await managementApiView(mockUrl, DEMO.hs512App.accessToken, DEMO.john.id)
  const answer = await verify(backend.url, await mint(DEMO.john.id))
  t.match(answer, {
    status: 200,
    body: {
      customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: DEMO.john.groupId },
      details: {
        name: 'John Doe',
        email: DEMO.john.email,
        group: { id: Number(DEMO.john.groupId), name: john.groupName },
        attributes: john.attributes,
      },
    },
  })
  t.notOk('details_error' in answer.body, 'no Management API error')
  const details = answer.body.details as { recent_orders: { id: number; status: string; total_inc_tax: string }[] }
  t.same(
    details.recent_orders.map((order) => order.id),
    john.recentOrderIds,
    'the recent orders, newest first',
  )
  t.ok(details.recent_orders.length > 0, 'the demo customer has orders')
  t.match(details.recent_orders[0], { status: String, total_inc_tax: /^\d+\.\d{4}$/ }, 'as V2 shows them')
  t.match(backend.process.stdout, /verify: 200 customer 4927 .*; Management API: John Doe, group /)

  const jane = await verify(backend.url, await mint(DEMO.jane.id))
  t.match(jane, { status: 200, body: { details: { name: 'Jane Roe', group: null } } }, 'group 0 is no group, and not asked for')

  // What the mock saw: the backend's calls, in its request log, never the access token.
  const log = (await (await fetch(`${mockUrl}/__mock/requests`)).json()) as { requests: { path: string; status: number }[] }
  const apiPaths = log.requests
    .filter((entry) => entry.path.startsWith('/stores/'))
    .map((entry) => `${entry.status} ${entry.path.split('?')[0]}`)
  for (const path of ['/v3/customers', '/v3/customers/attributes', `/v2/customer_groups/${DEMO.john.groupId}`, '/v2/orders'])
    t.ok(apiPaths.includes(`200 /stores/${DEMO.storeHash}${path}`), `the mock answered GET ${path}`)
  for (const output of [backend.process.stdout, backend.process.stderr, mock.stdout, mock.stderr, JSON.stringify(log)])
    t.notMatch(output, DEMO.hs512App.accessToken, 'the access token is in no log')
})

t.test('a Management API that refuses or does not answer: the token still verifies, and details_error says why', async (t) => {
  const mock = spawnCli(t, ['--port', '0'])
  const mockUrl = await mock.url()
  const wrongToken = await spawnAppBackend(t, { MOCK_URL: mockUrl, ACCESS_TOKEN: 'not-an-access-token-of-this-store' })
  const closedPort = await freePort()
  const nobody = await spawnAppBackend(t, { MOCK_URL: mockUrl, BIGCOMMERCE_API_URL: `http://127.0.0.1:${closedPort}/` })
  // An app of your own, registered at run time, with no ACCESS_TOKEN given to its backend.
  const own = { client_id: 'my-own-app-client-id', client_secret: 'my-own-app-client-secret-'.padEnd(64, 'x') }
  const registered = await fetch(`${mockUrl}/__mock/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(own),
  })
  t.equal(registered.status, 201, await registered.clone().text())
  const custom = await spawnAppBackend(t, { CLIENT_ID: own.client_id, CLIENT_SECRET: own.client_secret, MOCK_URL: mockUrl })
  t.ok(await custom.process.waitForStdout(/no ACCESS_TOKEN: tokens are verified, the Management API is not asked/), 'its banner says so')

  const mint = async (clientId: string) =>
    (
      (await (
        await fetch(`${mockUrl}/__mock/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: clientId, customer_id: DEMO.john.id }),
        })
      ).json()) as { token: string }
    ).token
  const token = await mint(DEMO.hs512App.clientId)
  const verify = async (url: string, sent = token) => {
    const response = await fetch(`${url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: sent }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  const refused = await verify(wrongToken.url)
  t.match(refused, {
    status: 200,
    body: { customer: { id: DEMO.john.id }, details_error: { status: 401, message: /^GET \/v3\/customers.* answered 401/ } },
  })
  t.notOk('details' in refused.body)
  t.notMatch(wrongToken.process.stdout, 'not-an-access-token-of-this-store', 'the access token is never logged')
  t.match(await verify(nobody.url), {
    status: 200,
    body: { details_error: { status: null, message: /^the Management API call failed: / } },
  })

  // A rate-limited Management API (a 429 fault on the orders route): the backend says so.
  const fault = await fetch(`${mockUrl}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: 'api-orders', effect: 'status', status: 429, times: 1 }),
  })
  t.equal(fault.status, 201, await fault.clone().text())
  const backend = await spawnAppBackend(t, { MOCK_URL: mockUrl })
  t.match(await verify(backend.url), {
    status: 200,
    body: { customer: { id: DEMO.john.id }, details_error: { status: 429, message: /^GET \/v2\/orders answered 429/ } },
  })
  t.match(await verify(backend.url), { status: 200, body: { details: { name: 'John Doe' } } }, 'and recovers once the fault is used up')
  t.match(await verify(custom.url, await mint(own.client_id)), {
    status: 200,
    body: { customer: { id: DEMO.john.id }, details_error: { status: null, message: /^no ACCESS_TOKEN is set/ } },
  })
})

t.test('a BIGCOMMERCE_API_URL that is not an http(s) URL is refused, naming it', async (t) => {
  for (const [value, message] of [
    ['api.bigcommerce.com', 'BIGCOMMERCE_API_URL must be a URL such as https://api.bigcommerce.com, got "api.bigcommerce.com"'],
    ['ftp://api.bigcommerce.com', 'BIGCOMMERCE_API_URL must be an http:// or https:// URL, got "ftp://api.bigcommerce.com"'],
    ['https://api.bigcommerce.com/?x=1', 'BIGCOMMERCE_API_URL must have no query or fragment, got "https://api.bigcommerce.com/?x=1"'],
  ]) {
    const child = spawn(process.execPath, [APP_BACKEND], {
      cwd: ROOT,
      env: cleanEnv({ PORT: '0', BIGCOMMERCE_API_URL: value ?? '' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const backend = new CliProcess(child)
    t.teardown(() => {
      if (!backend.exit) child.kill('SIGKILL')
    })
    t.match(await backend.waitForExit(10_000), { code: 2 })
    t.equal(backend.stderr, `app-backend: ${message}\n`)
  }
})

t.test('a MOCK_URL that is not an http(s) URL is refused, naming it', async (t) => {
  const child = spawn(process.execPath, [APP_BACKEND], {
    cwd: ROOT,
    env: cleanEnv({ PORT: '0', MOCK_URL: 'ftp://127.0.0.1:3100' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const backend = new CliProcess(child)
  t.teardown(() => {
    if (!backend.exit) child.kill('SIGKILL')
  })
  t.match(await backend.waitForExit(10_000), { code: 2 })
  t.equal(backend.stderr, 'app-backend: MOCK_URL must be an http:// or https:// URL, got "ftp://127.0.0.1:3100"\n')
})
