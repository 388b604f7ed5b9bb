// The browser bundle of the MSW handlers (dist/msw/browser.js, the `browser` condition of
// `bigcommerce-mock-storefront/msw`): it imports no node: module and nothing but msw (jose only
// lazily, for Store.verifyToken); loaded here in Node, its pure crypto port mints the same bytes
// as the Node entry, its built-in fixtures are the bundled ones, and its tokens verify with jose
// and jsonwebtoken. (The sibling browser test loads it in Chromium.)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { jwtVerify } from 'jose'
import jwt from 'jsonwebtoken'
import { getResponse } from 'msw'
import t from 'tap'
import * as nodeEntry from '../../server/msw/index.js'
import { DEMO } from '../helpers/storefront.js'

const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'msw', 'browser.js')
const NOW = 1_480_831_863
const bundle = (await import(pathToFileURL(BUNDLE).href)) as typeof nodeEntry

t.test('the bundle imports msw only, and jose lazily: no node: module, no require', async (t) => {
  const text = readFileSync(BUNDLE, 'utf8')
  const statics = [
    ...text.matchAll(/(?:\bimport|\bexport)\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s*[\w$]+)?\s*from\s*["']([^"']+)["']/g),
  ].map((m) => m[1])
  const bare = [...text.matchAll(/\bimport\s*["']([^"']+)["']/g)].map((m) => m[1])
  const dynamic = [...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
  t.same([...new Set([...statics, ...bare])], ['msw'], 'static imports')
  t.same([...new Set(dynamic)], ['jose'], 'dynamic imports')
  t.notMatch(text, /\brequire\(\s*["']/, 'no require()')
  t.notMatch(text, /["']node:[a-z_/]+["']/, 'no node: specifier anywhere')
  t.comment(
    `dist/msw/browser.js: ${(text.length / 1024).toFixed(0)} KiB minified, ${(gzipSync(text, { level: 9 }).length / 1024).toFixed(0)} KiB gzipped`,
  )
})

t.test('the same tokens as the Node entry, byte for byte, for every algorithm', async (t) => {
  const fixtures = {
    store_hash: 'abc123',
    apps: [
      { client_id: 'app256', client_secret: 'secret-256-ü-at-least-a-few-bytes', algorithm: 'HS256' },
      { client_id: 'app384', client_secret: 'secret-384', algorithm: 'HS384' },
      { client_id: 'app512', client_secret: DEMO.hs512App.secret },
    ],
    customers: [{ id: 7, email: 'pat@example.com', password: 'pw', group_id: '3' }],
  }
  const fromBundle = bundle.createMockStorefrontHandlers({ fixtures, now: NOW }).storefront
  const fromNode = nodeEntry.createMockStorefrontHandlers({ fixtures, now: NOW }).storefront
  for (const app of fixtures.apps) {
    const token = fromBundle.mintToken(app.client_id, 7)
    t.equal(token, fromNode.mintToken(app.client_id, 7), `${app.algorithm ?? 'HS512'}: identical`)
    const algorithm = (app.algorithm ?? 'HS512') as 'HS256'
    const { payload } = await jwtVerify(token, new TextEncoder().encode(app.client_secret), {
      algorithms: [algorithm],
      currentDate: new Date(NOW * 1000),
    })
    t.match(payload, { customer: { id: 7, group_id: '3' }, aud: app.client_id }, 'jose verifies it')
    t.match(
      jwt.verify(token, app.client_secret, { algorithms: [algorithm], clockTimestamp: NOW }),
      { customer: { id: 7 } },
      'jsonwebtoken too',
    )
  }
})

t.test('the built-in default fixtures, sign-in, Customer Login and a fault, through the bundle', async (t) => {
  const { handlers, storefront } = bundle.createMockStorefrontHandlers({ now: NOW })
  const node = nodeEntry.createMockStorefrontHandlers({ now: NOW }).storefront
  t.same(
    [...storefront.store.allCustomers()],
    [...node.store.allCustomers()],
    'the same customers as fixtures/store.yaml, generated ones included',
  )
  const signIn = await getResponse(
    handlers,
    new Request('http://shop.test/login.php?action=check_login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `login_email=${encodeURIComponent(DEMO.john.email)}&login_pass=${DEMO.john.password}`,
    }),
  )
  t.equal(signIn?.status, 302, 'the form signs John in')
  const token = await (
    await getResponse(handlers, new Request(`http://shop.test/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`))
  )?.text()
  t.equal(token, node.mintToken(DEMO.hs512App.clientId, DEMO.john.id), 'his token, as the Node entry mints it')
  const url = await storefront.customerLoginUrl(DEMO.hs256App.clientId, DEMO.jane.id)
  const landed = await getResponse(handlers, new Request(`http://shop.test${url}`))
  t.equal(landed?.headers.get('location'), '/account.php', 'Customer Login signs Jane in')
  storefront.faults.add({ route: 'current-customer', effect: 'status', status: 503, times: 1 })
  const faulted = await getResponse(handlers, new Request(`http://shop.test/customer/current.jwt?app_client_id=${DEMO.hs256App.clientId}`))
  t.equal(faulted?.status, 503, 'a status fault')
  t.match(faulted?.headers.get('x-mock-fault'), /^f1 status$/, 'named in X-Mock-Fault')
  t.same(
    storefront.requests().map((entry) => entry.outcome),
    ['ok', 'ok', 'ok', 'fault:status'],
    'the request log',
  )
})

t.test('a fixture file path is refused in a browser, naming the option', async (t) => {
  t.throws(() => bundle.createMockStorefrontHandlers({ fixtures: 'fixtures/store.yaml' }), {
    code: 'BCMOCK_INVALID_OPTION',
    message: /fixtures.*cannot be read in a browser/,
  })
})
