// examples/app-backend/server.mjs, run as its own process as its README says: it accepts the
// mock's tokens and refuses, with the reason, what a BigCommerce app backend must refuse.
import { SignJWT } from 'jose'
import t from 'tap'
import { buildApp } from '../server/index.js'
import { spawnAppBackend } from './helpers/app-backend.js'
import { DEMO } from './helpers/storefront.js'

const STOREFRONT_ORIGIN = 'http://127.0.0.1:3999'

t.test('the example app backend verifies Current Customer tokens', async (t) => {
  const [backend, hs256Backend] = await Promise.all([
    spawnAppBackend(t, { CLIENT_ID: DEMO.hs512App.clientId, CLIENT_SECRET: DEMO.hs512App.secret, ALLOWED_ORIGINS: STOREFRONT_ORIGIN }),
    spawnAppBackend(t, { CLIENT_ID: DEMO.hs256App.clientId, CLIENT_SECRET: DEMO.hs256App.secret }),
  ])
  // Tokens by the mock's real-time clock, as the backend judges exp by its own clock.
  const mock = buildApp()
  t.teardown(() => mock.close())
  const mint = async (clientId: string) => (await mock.inject({ method: 'POST', url: '/__mock/tokens', payload: { client_id: clientId, customer_id: DEMO.john.id } })).json<{ token: string }>().token
  const post = (url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(`${url}/verify`, { method: 'POST', headers, body })
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
      new SignJWT({ customer: { id: 1, email: 'x@example.com', group_id: '0' }, aud: DEMO.hs512App.clientId, exp: Math.floor(Date.now() / 1000) + 600, ...claims })
        .setProtectedHeader({ typ: 'JWT', alg })
        .sign(new TextEncoder().encode(secret))
    const frozenInThePast = buildApp({ now: 1_600_000_000 })
    t.teardown(() => frozenInThePast.close())
    const old = (await frozenInThePast.inject({ method: 'POST', url: '/__mock/tokens', payload: { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id } })).json<{ token: string }>().token

    t.match(await verify(backend.url, old), { status: 401, body: { error: 'invalid_token', reason: 'expired' } }, 'exp by real time')
    t.match(await verify(backend.url, await forge({}, 'HS512', 'another-secret')), { status: 401, body: { reason: 'signature' } })
    t.match(await verify(backend.url, await forge({ aud: 'another-app' })), { status: 401, body: { reason: 'audience' } })
    t.match(await verify(backend.url, await forge({}, 'HS384')), { status: 401, body: { reason: 'algorithm' } }, 'HS256 and HS512 only')
    t.match(await verify(backend.url, await forge({ exp: undefined })), { status: 401, body: { reason: 'claims' } }, 'exp is required')
    t.match(await verify(backend.url, 'not.a.jwt'), { status: 401, body: { reason: 'malformed' } })
    t.match(await verify(hs256Backend.url, await mint(DEMO.hs512App.clientId)), { status: 401, body: { reason: 'signature' } }, "another app's token")
    const missing = await post(backend.url, JSON.stringify({}))
    t.equal(missing.status, 400)
    t.match(await missing.json(), { error: 'token_missing' })
  })

  t.test('CORS: the storefront origin may call it from the browser, others may not', async (t) => {
    const preflight = await fetch(`${backend.url}/verify`, { method: 'OPTIONS', headers: { origin: STOREFRONT_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    t.equal(preflight.status, 204)
    t.equal(preflight.headers.get('access-control-allow-origin'), STOREFRONT_ORIGIN)
    t.match(preflight.headers.get('access-control-allow-headers'), /content-type/)
    const answer = await post(backend.url, JSON.stringify({ token: await mint(DEMO.hs512App.clientId) }), { 'content-type': 'application/json', origin: STOREFRONT_ORIGIN })
    t.equal(answer.headers.get('access-control-allow-origin'), STOREFRONT_ORIGIN)

    const stranger = await fetch(`${backend.url}/verify`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } })
    t.equal(stranger.status, 403)
    t.equal(stranger.headers.get('access-control-allow-origin'), null)
    const health = await fetch(`${backend.url}/health`)
    t.match(await health.json(), { status: 'ok', client_id: DEMO.hs512App.clientId, algorithms: ['HS256', 'HS512'] })
  })
})
