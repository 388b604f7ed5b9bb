import t from 'tap'
import { startMockStorefront } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { checkToken, decodeToken, verifyWithJose, type AppUnderTest } from '../helpers/tokens.js'

const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }
const HS256: AppUnderTest = { clientId: DEMO.hs256App.clientId, secret: DEMO.hs256App.secret, algorithm: 'HS256' }
const NOW = 1_700_000_000

async function tokenOver(url: string, clientId: string, cookie: string): Promise<Response> {
  return fetch(`${url}/customer/current.jwt?app_client_id=${clientId}`, { headers: { cookie } })
}

t.test('login(customer) answers a cookie that signs the customer in over a real socket', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  for (const who of [DEMO.john.email, DEMO.john.id] as const) {
    const response = await tokenOver(storefront.url, HS512.clientId, storefront.login(who))
    t.equal(response.status, 200, `login(${JSON.stringify(who)})`)
    const claims = await checkToken(t, await response.text(), HS512, NOW)
    t.equal(claims.customer.id, DEMO.john.id)
  }
  t.throws(() => storefront.login('nobody@example.com'), { code: 'BCMOCK_UNKNOWN_CUSTOMER', field: 'customer' })
  t.throws(() => storefront.login(999_999), { code: 'BCMOCK_UNKNOWN_CUSTOMER' })
})

t.test('mintToken() mints what the storefront would, verifiable with the app secret', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  const token = storefront.mintToken(HS256.clientId, DEMO.jane.id)
  const claims = await checkToken(t, token, HS256, NOW)
  t.equal(claims.customer.id, DEMO.jane.id)
  t.equal(claims.iat, NOW)
  const viaStorefront = await (await tokenOver(storefront.url, HS256.clientId, storefront.login(DEMO.jane.id))).text()
  t.same(decodeToken(viaStorefront).claims, claims, 'same claims as GET /customer/current.jwt at the same instant')
  t.throws(() => storefront.mintToken('nope', DEMO.jane.id), { code: 'BCMOCK_UNKNOWN_APP', field: 'clientId' })
  t.throws(() => storefront.mintToken(HS256.clientId, 1), { code: 'BCMOCK_UNKNOWN_CUSTOMER', field: 'customerId' })
})

t.test('customerLoginUrl() signs a URL that signs the customer in once and lands on redirect_to', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const url = await storefront.customerLoginUrl(HS512.clientId, DEMO.john.id, '/cart.php')
  t.ok(url.startsWith(`${storefront.url}/login/token/`))
  const first = await fetch(url, { redirect: 'manual' })
  t.equal(first.status, 302)
  t.equal(first.headers.get('location'), '/cart.php')
  const cookie = first.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
  const token = await tokenOver(storefront.url, HS512.clientId, cookie)
  t.equal(token.status, 200)
  await verifyWithJose(await token.text(), HS512)
  const again = await fetch(url, { redirect: 'manual' })
  t.equal(again.headers.get('location'), '/login.php', 'the same URL is refused the second time')
})

t.test('clock.set/advance/reset drive token times; reset() and requests() mirror the control API', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  storefront.clock.set(NOW)
  t.equal(storefront.clock.now(), NOW)
  storefront.clock.advance(60)
  t.equal(decodeToken(storefront.mintToken(HS512.clientId, DEMO.john.id)).claims.iat, NOW + 60)
  storefront.clock.reset()
  t.ok(Math.abs(storefront.clock.now() - Date.now() / 1000) < 5, 'back to real time')

  const cookie = storefront.login(DEMO.john.id)
  t.equal((await tokenOver(storefront.url, HS512.clientId, cookie)).status, 200)
  const recorded = storefront.requests()
  t.equal(recorded.length, 1)
  t.match(recorded[0], { method: 'GET', status: 200, customerId: DEMO.john.id, clientId: HS512.clientId })
  t.notMatch(JSON.stringify(recorded), cookie.split('=')[1]?.split(';')[0] ?? '', 'no session id in the log')

  storefront.clock.set(NOW)
  storefront.reset()
  t.equal((await tokenOver(storefront.url, HS512.clientId, cookie)).status, 404, 'sessions ended')
  t.equal(storefront.requests().length, 1, 'only the request after reset is recorded')
  t.ok(Math.abs(storefront.clock.now() - Date.now() / 1000) < 5, 'the start clock (real time) is back')
})

t.test('clock.set/advance take exactly the values PUT /__mock/clock takes, and refuse the rest with the same error', async (t) => {
  const storefront = await startMockStorefront({ now: NOW })
  t.teardown(() => storefront.close())
  const overHttp = async (body: unknown) => {
    const response = await fetch(`${storefront.url}/__mock/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const answer = (await response.json()) as { code?: string; errors?: Record<string, string> }
    return response.status === 200 ? 'accepted' : { status: response.status, code: answer.code, field: Object.keys(answer.errors ?? {})[0] }
  }
  const overHandle = (change: () => void) => {
    try {
      change()
      return 'accepted'
    } catch (error) {
      const refused = error as { statusCode?: number; code?: string; field?: string }
      return { status: refused.statusCode, code: refused.code, field: refused.field }
    }
  }
  const values: unknown[] = [0, NOW, 253_402_300_799, 253_402_300_800, -1, 1.5, '1700000000', null, Number.MAX_SAFE_INTEGER + 2]
  for (const value of values) {
    storefront.clock.set(NOW)
    const http = await overHttp({ now: value })
    storefront.clock.set(NOW)
    t.same(
      overHandle(() => storefront.clock.set(value as number)),
      http,
      `set(${JSON.stringify(value)}): ${JSON.stringify(http)}`,
    )
  }
  for (const value of [60, -60, -NOW, -NOW - 1, 253_402_300_799 - NOW, 253_402_300_800 - NOW, 1.5, 'soon']) {
    storefront.clock.set(NOW)
    const http = await overHttp({ advance: value })
    storefront.clock.set(NOW)
    t.same(
      overHandle(() => storefront.clock.advance(value as number)),
      http,
      `advance(${JSON.stringify(value)}): ${JSON.stringify(http)}`,
    )
  }
  storefront.clock.set(NOW)
  t.throws(() => storefront.clock.set(-1), { code: 'BCMOCK_INVALID_REQUEST', field: 'now' }, 'a refused value names the field')
  t.equal(storefront.clock.now(), NOW, 'and leaves the clock alone')
})
