import { createServer, type IncomingMessage, type Server } from 'node:http'
import t from 'tap'
import WebSocket, { WebSocketServer } from 'ws'
import { buildApp, startMockStorefront } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { listenUpstream, wsText } from '../helpers/upstream.js'

/** What the upstream saw of a request, echoed back as JSON. */
interface Echo {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** A stand-in dev server on a real socket: echoes requests, redirects, sets cookies, speaks WebSocket. */
async function startUpstream(): Promise<{ origin: string; server: Server; hits: Map<string, number>; close(): Promise<void> }> {
  const hits = new Map<string, number>()
  let origin = ''
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request)
      const path = (request.url ?? '/').split('?')[0] ?? '/'
      hits.set(path, (hits.get(path) ?? 0) + 1)
      switch (path) {
        case '/':
          response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>theme home</h1>')
          return
        case '/redirect-upstream':
          response.writeHead(302, { location: `${origin}/landing?from=upstream#top` }).end()
          return
        case '/redirect-relative':
          response.writeHead(301, { location: '/landing' }).end()
          return
        case '/redirect-elsewhere':
          response.writeHead(302, { location: 'https://example.com/elsewhere' }).end()
          return
        case '/cookies':
          response.writeHead(200, { 'set-cookie': ['theme_pref=dark; Path=/; HttpOnly', 'cart=42; Path=/cart'] }).end('cookies set')
          return
        case '/unavailable':
          response.writeHead(503, { 'content-type': 'text/plain' }).end('warming up')
          return
        default: {
          const echo: Echo = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body }
          response
            .writeHead(path === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-upstream': 'yes' })
            .end(JSON.stringify(echo))
        }
      }
    })()
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket, request) => {
    socket.on('message', (data) => socket.send(`echo ${request.url ?? ''} ${socket.protocol}: ${wsText(data)}`))
  })
  const listening = await listenUpstream(server, wss)
  origin = listening.origin
  return { ...listening, server, hits }
}

t.test('--proxy: one origin for the mock and the dev server', async (t) => {
  const upstream = await startUpstream()
  t.teardown(() => upstream.close())
  const storefront = await startMockStorefront({ proxy: upstream.origin })
  t.teardown(() => storefront.close())
  const mock = storefront.url

  t.test('GET with query and custom headers passes through', async (t) => {
    const response = await fetch(`${mock}/assets/app.js?v=3&x=a%20b`, { headers: { 'x-theme': 'cornerstone', accept: 'application/json' } })
    t.equal(response.status, 200)
    t.equal(response.headers.get('x-upstream'), 'yes', 'upstream response headers pass back')
    const echo = (await response.json()) as Echo
    t.equal(echo.method, 'GET')
    t.equal(echo.url, '/assets/app.js?v=3&x=a%20b')
    t.equal(echo.headers['x-theme'], 'cornerstone')
    t.equal(echo.headers.host, new URL(upstream.origin).host, 'the dev server sees its own host')
    t.equal(echo.headers['x-forwarded-host'], new URL(mock).host, 'and where the browser was')
  })

  t.test('POST, PUT, PATCH, DELETE pass with their bodies untouched', async (t) => {
    const json = JSON.stringify({ a: 1, nested: { b: [1, 2] } })
    const post = (await (
      await fetch(`${mock}/api/items`, { method: 'POST', body: json, headers: { 'content-type': 'application/json' } })
    ).json()) as Echo
    t.match(post, { method: 'POST', url: '/api/items', body: json })

    // A form body must reach the dev server as sent, not re-encoded by the mock's form parser.
    const form = 'b=2&a=1&a=3&text=hello+world%21'
    const posted = (await (
      await fetch(`${mock}/cart.php`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    ).json()) as Echo
    t.equal(posted.body, form)
    t.equal(posted.headers['content-type'], 'application/x-www-form-urlencoded')

    const binary = Buffer.from([0, 1, 2, 250, 255])
    const put = (await (
      await fetch(`${mock}/upload`, { method: 'PUT', body: binary, headers: { 'content-type': 'application/octet-stream' } })
    ).json()) as Echo
    t.equal(put.method, 'PUT')
    t.equal(put.headers['content-length'], '5')

    t.match(
      await (
        await fetch(`${mock}/api/items/1`, { method: 'PATCH', body: '{"x":2}', headers: { 'content-type': 'application/json' } })
      ).json(),
      { method: 'PATCH', body: '{"x":2}' },
    )
    t.match(await (await fetch(`${mock}/api/items/1`, { method: 'DELETE' })).json(), { method: 'DELETE', url: '/api/items/1' })
  })

  t.test('upstream statuses pass as they are, a 503 without retries', async (t) => {
    t.equal((await fetch(`${mock}/missing`)).status, 404)
    const before = upstream.hits.get('/unavailable') ?? 0
    const response = await fetch(`${mock}/unavailable`)
    t.equal(response.status, 503)
    t.equal(await response.text(), 'warming up')
    t.equal(upstream.hits.get('/unavailable'), before + 1, 'asked once')
  })

  t.test('redirects are passed on, not followed; Location on the upstream origin is made relative', async (t) => {
    const toUpstream = await fetch(`${mock}/redirect-upstream`, { redirect: 'manual' })
    t.equal(toUpstream.status, 302)
    t.equal(toUpstream.headers.get('location'), '/landing?from=upstream#top')
    const relative = await fetch(`${mock}/redirect-relative`, { redirect: 'manual' })
    t.equal(relative.status, 301)
    t.equal(relative.headers.get('location'), '/landing')
    const elsewhere = await fetch(`${mock}/redirect-elsewhere`, { redirect: 'manual' })
    t.equal(elsewhere.headers.get('location'), 'https://example.com/elsewhere', 'other origins untouched')
    t.notOk(upstream.hits.has('/landing'), 'never followed')
  })

  t.test('upstream Set-Cookie passes through', async (t) => {
    const response = await fetch(`${mock}/cookies`)
    t.same(response.headers.getSetCookie(), ['theme_pref=dark; Path=/; HttpOnly', 'cart=42; Path=/cart'])
  })

  t.test("/ is the dev server's; the mock's home moves to /__mock/; unknown /__mock paths stay the mock's", async (t) => {
    t.equal(await (await fetch(`${mock}/`)).text(), '<h1>theme home</h1>')
    const home = await fetch(`${mock}/__mock/`)
    t.equal(home.status, 200)
    t.match(await home.text(), /Mock BigCommerce storefront/)
    const unknown = await fetch(`${mock}/__mock/no-such-thing`)
    t.equal(unknown.status, 404)
    t.match(await unknown.json(), { code: 'BCMOCK_NOT_FOUND' })
    t.notOk(upstream.hits.has('/__mock/no-such-thing'))
    const bare = await fetch(`${mock}/__mock?x=1`)
    t.equal(bare.status, 404)
    t.match(await bare.json(), { code: 'BCMOCK_NOT_FOUND' })
    t.notOk(upstream.hits.has('/__mock'))
  })

  t.test("the mock's own routes answer on the same origin, and its cookies reach the dev server", async (t) => {
    const loginPage = await fetch(`${mock}/login.php`)
    t.equal(loginPage.status, 200)
    t.match(await loginPage.text(), /login_email/)
    t.notOk(upstream.hits.has('/login.php'))

    const signIn = await fetch(`${mock}/login.php?action=check_login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString(),
    })
    t.equal(signIn.status, 302)
    t.equal(signIn.headers.get('location'), '/account.php')
    const setCookies = signIn.headers.getSetCookie()
    for (const raw of setCookies) {
      t.match(raw, /; Path=\//, 'path / covers the whole origin')
      t.notMatch(raw, /Domain=/i, 'host-only cookie: valid on the mock origin')
    }
    const cookie = setCookies.map((raw) => raw.split(';')[0]).join('; ')

    const jwt = await fetch(`${mock}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { headers: { cookie } })
    t.equal(jwt.status, 200)
    t.match(await jwt.text(), /^eyJ/)
    t.equal((await fetch(`${mock}/account.php`, { headers: { cookie }, redirect: 'manual' })).status, 200)

    const page = (await (await fetch(`${mock}/products/shirt`, { headers: { cookie } })).json()) as Echo
    t.equal(page.headers.cookie, cookie, 'the dev server sees the session cookies too')
  })

  t.test('WebSocket upgrades (hot reload) pass through', async (t) => {
    const socket = new WebSocket(`${mock.replace('http:', 'ws:')}/hmr?token=abc`, 'vite-hmr')
    t.teardown(() => socket.terminate())
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    t.equal(socket.protocol, 'vite-hmr', 'subprotocol negotiated with the upstream')
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(wsText(data))))
    socket.send('ping from the browser')
    t.equal(await reply, 'echo /hmr?token=abc vite-hmr: ping from the browser')
  })
})

t.test('--proxy: a dev server that is down gets a 502 naming it', async (t) => {
  const upstream = await startUpstream()
  const origin = upstream.origin
  await upstream.close()
  const storefront = await startMockStorefront({ proxy: origin })
  t.teardown(() => storefront.close())
  const response = await fetch(`${storefront.url}/anything`)
  t.equal(response.status, 502)
  const body = (await response.json()) as { code: string; title: string }
  t.equal(body.code, 'BCMOCK_PROXY_UPSTREAM')
  t.match(body.title, origin)
  t.match(body.title, /--proxy/)
})

t.test('--proxy: closing the mock with an open WebSocket finishes', async (t) => {
  const upstream = await startUpstream()
  t.teardown(() => upstream.close())
  const storefront = await startMockStorefront({ proxy: upstream.origin })
  const socket = new WebSocket(`${storefront.url.replace('http:', 'ws:')}/hmr`)
  await new Promise((resolve) => socket.once('open', resolve))
  const closed = new Promise((resolve) => socket.once('close', resolve))
  await storefront.close()
  await closed
  t.pass('closed')
})

t.test('proxied routes are front-end routes: never recorded as storefront traffic', async (t) => {
  const upstream = await startUpstream()
  t.teardown(() => upstream.close())
  const app = buildApp({ proxy: upstream.origin })
  t.teardown(() => app.close())
  t.equal((await app.inject('/theme.css')).statusCode, 200)
  await app.inject('/login.php')
  const recorded = app.mock.listRequests().map((entry) => entry.path)
  t.notOk(recorded.includes('/theme.css'), 'the proxied file is not in the request log')
  t.ok(recorded.includes('/login.php'), 'the storefront route is')
})

t.test('--proxy values are checked', async (t) => {
  for (const proxy of [
    'localhost:3000',
    'ftp://localhost:3000',
    'ws://localhost:3000',
    'not a url',
    'http://localhost:3000/app',
    'http://user:pw@localhost:3000',
  ]) {
    await t.rejects(
      startMockStorefront({ proxy }),
      { code: 'BCMOCK_INVALID_OPTION', message: /^proxy: expected an http:\/\/ or https:\/\/ URL/ },
      proxy,
    )
  }
})
