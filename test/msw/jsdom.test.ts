// Under Vitest's (or Jest's) jsdom environment the global Uint8Array is jsdom's, and jose refuses
// the byte arrays TextEncoder and Buffer make there: the mock's Customer Login must not depend on
// it. This installs jsdom's globals the way those environments do and runs Customer Login and the
// token route through the handlers; the tokens are then verified with jose and jsonwebtoken.
import { jwtVerify, SignJWT } from 'jose'
import jwt from 'jsonwebtoken'
import { JSDOM } from 'jsdom'
import { getResponse } from 'msw'
import t from 'tap'
import { createMockStorefrontHandlers } from '../../server/msw/index.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_480_831_863
const PAGE = 'http://localhost:5173'

/** Run `body` with jsdom's Uint8Array and location as the page's globals, then put Node's back. */
async function inJsdom<T>(body: () => Promise<T>): Promise<T> {
  // runScripts gives the window its own realm, so its Uint8Array is not Node's (as in Vitest's and Jest's jsdom).
  const { window } = new JSDOM('<!doctype html><title>widget</title>', { url: `${PAGE}/`, runScripts: 'outside-only' })
  if (window.Uint8Array === globalThis.Uint8Array) throw new Error("jsdom shares Node's Uint8Array: the test would prove nothing")
  const nodeUint8Array = globalThis.Uint8Array
  globalThis.Uint8Array = window.Uint8Array
  Object.defineProperty(globalThis, 'location', { value: window.location, configurable: true })
  try {
    return await body()
  } finally {
    globalThis.Uint8Array = nodeUint8Array
    Reflect.deleteProperty(globalThis, 'location')
    window.close()
  }
}

t.test('the environment reproduces the trap: jose cannot sign a Customer Login token under jsdom globals', async (t) => {
  await inJsdom(async () => {
    const signing = new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(DEMO.hs512App.secret))
    await t.rejects(signing, /Uint8Array/, 'jose throws here, as the mock did before its crypto port')
  })
})

t.test('Customer Login and the token route work under jsdom globals', async (t) => {
  const { token, location } = await inJsdom(async () => {
    const { handlers, storefront } = createMockStorefrontHandlers({ now: NOW })
    const url = await storefront.customerLoginUrl(DEMO.hs512App.clientId, DEMO.jane.id, '/cart.php')
    t.ok(url.startsWith(`${PAGE}/login/token/`), 'the URL is on the page’s own origin')
    const landed = await getResponse(handlers, new Request(url))
    t.equal(landed?.status, 302, 'Customer Login redirects')
    t.equal(storefront.requests().at(-1)?.outcome, 'ok', 'and signs Jane in (no 500)')
    const again = await getResponse(handlers, new Request(url))
    t.equal(again?.headers.get('location'), '/login.php', 'the same URL a second time is refused')
    t.equal(storefront.requests().at(-1)?.outcome, 'jti_reused', 'for its spent jti')
    const answer = await getResponse(handlers, new Request(`${PAGE}/customer/current.jwt?app_client_id=${DEMO.hs256App.clientId}`))
    t.equal(answer?.status, 200, 'the page’s token')
    return { token: (await answer?.text()) ?? '', location: landed?.headers.get('location') }
  })
  t.equal(location, '/cart.php', 'landing on redirect_to')
  const key = new TextEncoder().encode(DEMO.hs256App.secret)
  const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: new Date(NOW * 1000) })
  t.match(payload, { customer: { id: DEMO.jane.id }, aud: DEMO.hs256App.clientId }, 'jose verifies the token')
  t.match(
    jwt.verify(token, DEMO.hs256App.secret, { algorithms: ['HS256'], clockTimestamp: NOW }),
    { customer: { id: DEMO.jane.id } },
    'and jsonwebtoken',
  )
})
