// Generated attacks from the hardening review: slow clients, percent-encoded route names, proxy Host/Origin shapes.
import { createServer } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import fc from 'fast-check'
import t from 'tap'
import { composeApp } from '../server/build-app.js'
import { MAX_PIPELINED_REQUESTS, SERVER_TIMEOUTS } from '../server/http/limits.js'
import { isLoopbackHost } from '../server/control/access.js'
import { buildApp } from '../server/index.js'
import { resolveOptions } from '../server/options.js'
import { LogCapture } from './helpers/log-capture.js'
import { checkProperty, expect, PropertyTally } from './helpers/property.js'
import { rawExchange } from './helpers/raw-http.js'
import { DEMO } from './helpers/storefront.js'

const tally = new PropertyTally()

t.test('property: slow clients over a real socket are cut off in bounded time, never a 5xx', async (t) => {
  const app = composeApp({ ...resolveOptions({}), timeouts: { ...SERVER_TIMEOUTS, headersMs: 400, requestMs: 800, checkIntervalMs: 100 } })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const port = (app.server.address() as AddressInfo).port
  const partial = fc.oneof(
    fc.constant(''),
    fc.constantFrom('GET /login.php HTTP/1.1\r\n', 'GET /customer/current.jwt HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'POST /__mock/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n'),
    fc.tuple(fc.constantFrom('/login.php?action=check_login', '/__mock/customers'), fc.integer({ min: 2, max: 5000 }), fc.string({ maxLength: 20 })).map(
      ([path, length, body]) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${body.slice(0, length - 1)}`,
    ),
  )
  await checkProperty(t, tally, 'slow clients over a real socket', partial, async (data) => {
    const answer = await rawExchange(port, data, { end: false, timeoutMs: 3000 })
    expect(!answer.timedOut, 'the server closes an unfinished request within its timeout', data)
    expect(answer.status === undefined || answer.status < 500, 'never a 5xx', { data, status: answer.status })
  })
  t.equal((await fetch(`http://127.0.0.1:${port}/login.php`)).status, 200, 'still serving')
})

t.test('property: percent-encoded route names never leak a Customer Login token', async (t) => {
  const log = new LogCapture()
  const app = buildApp({ now: Math.floor(Date.now() / 1000), logLevel: 'trace', logStream: log })
  t.teardown(() => app.close())
  const url = await app.inject({ method: 'POST', url: '/__mock/customer-login-url', payload: { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id } })
  const jwt = (url.json() as { path: string }).path.slice('/login/token/'.length)
  const signature = jwt.split('.')[2] ?? jwt
  // Each character of "login" and "token" is written as is, percent-encoded, or upper-cased; slashes doubled or not.
  const spell = (word: string) => fc.tuple(...[...word].map((ch) => fc.constantFrom(ch, `%${ch.charCodeAt(0).toString(16)}`, `%${ch.charCodeAt(0).toString(16).toUpperCase()}`, ch.toUpperCase()))).map((parts) => parts.join(''))
  const slash = fc.constantFrom('/', '//', '///')
  const spelling = fc.tuple(slash, spell('login'), slash, spell('token'), slash, fc.constantFrom('', '?x=1', '/', '?app_client_id=a'))
  await checkProperty(t, tally, 'percent-encoded route names', spelling, async ([s1, login, s2, token, s3, tail]) => {
    log.lines.length = 0
    const response = await app.inject({ url: `${s1}${login}${s2}${token}${s3}${jwt}${tail}` })
    expect(response.statusCode < 500, 'never a 5xx', response.statusCode)
    expect(!response.body.includes(signature), 'no body repeats the token', response.statusCode)
    expect(!JSON.stringify(log.lines).includes(signature), 'no log line holds the token', `${s1}${login}${s2}${token}${s3}`)
  })
  const recorded = await app.inject({ url: '/__mock/requests?limit=500' })
  t.notOk(recorded.body.includes(signature), 'the request log never held the token')
})

t.test('property: with --proxy on loopback only loopback Host and Origin reach the dev server', async (t) => {
  let hits = 0
  const upstream = createServer((_request, response) => {
    hits++
    response.end('dev server')
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => upstream.close(() => resolve())))
  const app = buildApp({ proxy: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` })
  t.teardown(() => app.close())
  const hostName = fc.oneof(
    fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'app.localhost', 'evil.example', '127.0.0.1.evil.example', 'localhost.evil.example', '0.0.0.0', '[::]', '10.0.0.1', '[::ffff:127.0.0.1]', 'LOCALHOST'),
    fc.domain(),
    fc.ipV4().map(String),
  )
  const host = fc.tuple(hostName, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([name, port]) => (port === undefined ? name : `${name}:${port}`))
  const origin = fc.option(fc.oneof(fc.constant('null'), fc.tuple(fc.constantFrom('http', 'https'), host).map(([scheme, h]) => `${scheme}://${h}`)), { nil: undefined })
  await checkProperty(t, tally, 'proxy Host and Origin shapes', fc.tuple(host, origin), async ([hostHeader, originHeader]) => {
    const before = hits
    const response = await app.inject({ url: '/theme/app.js', headers: { host: hostHeader, ...(originHeader !== undefined && { origin: originHeader }) } })
    const hostOk = isLoopbackHost(new URL(`http://${hostHeader}`).hostname)
    let originOk = true
    if (originHeader !== undefined) {
      try {
        originOk = isLoopbackHost(new URL(originHeader).hostname)
      } catch {
        originOk = false
      }
    }
    const allowed = hostOk && originOk
    expect(response.statusCode < 500, 'never a 5xx', response.statusCode)
    expect(allowed ? response.statusCode === 200 && hits === before + 1 : response.statusCode === 403 && hits === before, 'loopback passes, anything else is refused before the dev server', { hostHeader, originHeader, status: response.statusCode })
  })
})

t.test('property: pipelined floods over a real socket: up to the limit every answer, past it the connection cut, the server serving throughout', async (t) => {
  const app = composeApp(resolveOptions({}))
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const port = (app.server.address() as AddressInfo).port
  const line = fc.constantFrom('GET /login.php', 'GET /', 'HEAD /login.php', 'GET /customer/current.jwt?app_client_id=x', 'GET /__mock/health', 'GET /nope', 'OPTIONS /customer/current.jwt', 'GET /login/token/a.b.c')
  const flood = fc.record({ lines: fc.array(line, { minLength: 1, maxLength: 3 * MAX_PIPELINED_REQUESTS, size: 'max' }), readAfterMs: fc.constantFrom(0, 100) })
  await checkProperty(t, tally, 'pipelined flood over a real socket', flood, async ({ lines, readAfterMs }) => {
    // One write, so the whole pipeline reaches the server in one read; the last asks to close.
    const data = lines.map((request, index) => `${request} HTTP/1.1\r\nHost: 127.0.0.1\r\n${index === lines.length - 1 ? 'Connection: close\r\n' : ''}\r\n`).join('')
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => {})
    socket.pause()
    let text = ''
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    socket.write(data)
    if (readAfterMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, readAfterMs))
      const other = await rawExchange(port, 'GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', { timeoutMs: 3000 })
      expect(other.status === 200, 'another connection is served meanwhile', other.status)
    }
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.resume()
    const ended = await Promise.race([closed.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 4000))])
    socket.destroy()
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]))
    expect(ended, 'the connection ends (closed after its last answer, or cut)', { requests: lines.length })
    expect(statuses.every((status) => status < 500), 'never a 5xx', statuses)
    if (lines.length <= MAX_PIPELINED_REQUESTS) expect(statuses.length === lines.length, 'up to the limit, every request is answered', { requests: lines.length, answers: statuses.length })
    else expect(statuses.length <= MAX_PIPELINED_REQUESTS, 'past the limit, the connection is cut before its answers pile up', { requests: lines.length, answers: statuses.length })
  })
  t.equal((await fetch(`http://127.0.0.1:${port}/login.php`)).status, 200, 'still serving')
})

t.test('summary', async (t) => {
  t.comment(tally.summary('test/property-hardening.test.ts'))
})
