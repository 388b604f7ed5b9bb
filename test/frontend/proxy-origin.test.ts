// --proxy on a loopback host: only this machine's own pages reach the dev server; hop-by-hop headers stay behind.
import { createServer, type Server } from 'node:http'
import t from 'tap'
import WebSocket, { WebSocketServer } from 'ws'
import { buildApp, startMockStorefront } from '../../server/index.js'
import type { ErrorAnswer } from '../helpers/control.js'
import { rawExchange } from '../helpers/raw-http.js'
import { listenUpstream, wsText } from '../helpers/upstream.js'

async function startUpstream(): Promise<{ origin: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0
  const server: Server = createServer((request, response) => {
    hits++
    response.writeHead(200, {
      'content-type': 'application/json',
      connection: 'keep-alive, x-hop',
      'keep-alive': 'timeout=600',
      'x-hop': 'connection-only',
      'x-end': 'kept',
    })
    response.end(JSON.stringify({ headers: request.headers }))
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket, request) => socket.send(JSON.stringify(request.headers)))
  return { ...(await listenUpstream(server, wss)), hits: () => hits }
}

t.test('a proxied request with a foreign Host or Origin is refused with 403; loopback ones pass', async (t) => {
  const upstream = await startUpstream()
  t.teardown(() => upstream.close())
  const app = buildApp({ proxy: upstream.origin })
  t.teardown(() => app.close())
  // A foreign Host is refused before any route, the proxy's included; a foreign Origin by the proxy.
  for (const [headers, code] of [
    [{ host: 'evil.example:3100' }, 'BCMOCK_HOST_NOT_ALLOWED'],
    [{ host: 'evil.example' }, 'BCMOCK_HOST_NOT_ALLOWED'],
    [{ host: '127.0.0.1.evil.example' }, 'BCMOCK_HOST_NOT_ALLOWED'],
    [{ host: 'localhost:3100', origin: 'http://evil.example' }, 'BCMOCK_PROXY_FOREIGN'],
    [{ host: '127.0.0.1:3100', origin: 'null' }, 'BCMOCK_PROXY_FOREIGN'],
  ] as const) {
    const response = await app.inject({ url: '/theme.css', headers })
    t.equal(response.statusCode, 403, `${JSON.stringify(headers)}: 403`)
    t.equal(response.json<ErrorAnswer>().code, code)
  }
  t.equal(upstream.hits(), 0, 'the dev server saw none of them')
  for (const headers of [{ host: '127.0.0.1:3100' }, { host: 'localhost:3100', origin: 'http://localhost:5173' }, { host: '[::1]:3100' }]) {
    t.equal((await app.inject({ url: '/theme.css', headers })).statusCode, 200, `${JSON.stringify(headers)}: proxied`)
  }
})

t.test('bound to a non-loopback host, the Host rule does not apply', async (t) => {
  const upstream = await startUpstream()
  t.teardown(() => upstream.close())
  const app = buildApp({ proxy: upstream.origin, host: '0.0.0.0' })
  t.teardown(() => app.close())
  t.equal((await app.inject({ url: '/x', headers: { host: 'dev-box.lan:3100' } })).statusCode, 200)
})

t.test('hop-by-hop headers of the answer are dropped, and a client Connection: close is honoured', async (t) => {
  const upstream = await startUpstream()
  t.teardown(() => upstream.close())
  const storefront = await startMockStorefront({ proxy: upstream.origin })
  t.teardown(() => storefront.close())
  const answer = await rawExchange(
    storefront.port,
    `GET /page HTTP/1.1\r\nHost: 127.0.0.1:${storefront.port}\r\nConnection: close\r\n\r\n`,
    { end: false, timeoutMs: 3000 },
  )
  t.equal(answer.status, 200)
  t.notOk(answer.timedOut, 'the mock closed the connection, as asked')
  const head = answer.text.split('\r\n\r\n')[0] ?? ''
  t.match(head, /^connection: close$/im, 'Connection: close is answered')
  t.notMatch(head, /^keep-alive:/im, "the dev server's Keep-Alive is not passed on")
  t.notMatch(head, /^x-hop:/im, 'nor a header its Connection named')
  t.match(head, /^x-end: kept$/im, 'end-to-end headers pass')
})

t.test('WebSocket upgrades: foreign Host refused; Origin and X-Forwarded-* forwarded', async (t) => {
  const upstream = await startUpstream()
  t.teardown(() => upstream.close())
  const storefront = await startMockStorefront({ proxy: upstream.origin })
  t.teardown(() => storefront.close())
  const ws = storefront.url.replace('http:', 'ws:')

  const refused = await new Promise<string>((resolve) => {
    const socket = new WebSocket(`${ws}/hmr`, { headers: { host: 'evil.example:3100' } })
    socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)))
    socket.on('open', () => resolve('open'))
    socket.on('error', (error) => resolve(error.message))
  })
  t.equal(refused, '403', 'an upgrade with a foreign Host gets 403')

  const seen = await new Promise<Record<string, string>>((resolve, reject) => {
    const socket = new WebSocket(`${ws}/hmr`, { headers: { origin: 'http://localhost:5173', cookie: 'a=1' } })
    socket.on('message', (data) => {
      resolve(JSON.parse(wsText(data)) as Record<string, string>)
      socket.close()
    })
    socket.on('error', reject)
  })
  t.equal(seen.origin, 'http://localhost:5173', 'Origin reaches the dev server')
  t.equal(seen.cookie, 'a=1', 'cookies too')
  t.equal(seen['x-forwarded-host'], new URL(storefront.url).host, 'X-Forwarded-Host')
  t.equal(seen['x-forwarded-proto'], 'http', 'X-Forwarded-Proto')
  t.equal(seen['x-forwarded-for'], '127.0.0.1', 'X-Forwarded-For')
})

t.test('close() ends within 1 s while a proxied WebSocket is open', async (t) => {
  const upstream = await startUpstream()
  t.teardown(() => upstream.close())
  const storefront = await startMockStorefront({ proxy: upstream.origin })
  const socket = new WebSocket(`${storefront.url.replace('http:', 'ws:')}/hmr`)
  t.teardown(() => socket.terminate())
  await new Promise((resolve, reject) => {
    socket.once('message', resolve)
    socket.once('error', reject)
  })
  // A browser that never answers the close handshake: the client side ignores it.
  socket.pause()
  const started = Date.now()
  await storefront.close()
  t.ok(Date.now() - started < 1000, `closed in ${Date.now() - started} ms`)
})
