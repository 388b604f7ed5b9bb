// Generated attacks from the hardening review: slow clients, percent-encoded route names, proxy Host/Origin shapes,
// and Host spellings against the loopback listener's Host rule (DNS rebinding).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import t from 'tap'
import { composeApp } from '../../server/build-app.js'
import { MAX_PIPELINED_REQUESTS, SERVER_TIMEOUTS } from '../../server/http/limits.js'
import { isLoopbackHost } from '../../server/http/host-policy.js'
import { buildApp, ERRORS } from '../../server/index.js'
import { resolveOptions } from '../../server/options/resolve.js'
import { LogCapture } from '../helpers/log-capture.js'
import { checkProperty, expect, PropertyTally } from '../helpers/property.js'
import { rawExchange } from '../helpers/raw-http.js'
import { DEMO } from '../helpers/storefront.js'
import { countingUpstream } from '../helpers/upstream.js'

const tally = new PropertyTally()

t.test('property: slow clients over a real socket are cut off in bounded time, never a 5xx', async (t) => {
  const app = composeApp(resolveOptions({}), { timeouts: { ...SERVER_TIMEOUTS, headersMs: 400, requestMs: 800, checkIntervalMs: 100 } })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const port = (app.server.address() as AddressInfo).port
  const partial = fc.oneof(
    fc.constant(''),
    fc.constantFrom(
      'GET /login.php HTTP/1.1\r\n',
      'GET /customer/current.jwt HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      'POST /__mock/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n',
    ),
    fc
      .tuple(
        fc.constantFrom('/login.php?action=check_login', '/__mock/customers'),
        fc.integer({ min: 2, max: 5000 }),
        fc.string({ maxLength: 20 }),
      )
      .map(
        ([path, length, body]) =>
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${body.slice(0, length - 1)}`,
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
  const url = await app.inject({
    method: 'POST',
    url: '/__mock/customer-login-url',
    payload: { client_id: DEMO.hs512App.clientId, customer_id: DEMO.john.id },
  })
  const jwt = url.json<{ path: string }>().path.slice('/login/token/'.length)
  const signature = jwt.split('.')[2] ?? jwt
  // Each character of "login" and "token" is written as is, percent-encoded, or upper-cased; slashes doubled or not.
  const spell = (word: string) =>
    fc
      .tuple(
        ...[...word].map((ch) =>
          fc.constantFrom(ch, `%${ch.charCodeAt(0).toString(16)}`, `%${ch.charCodeAt(0).toString(16).toUpperCase()}`, ch.toUpperCase()),
        ),
      )
      .map((parts) => parts.join(''))
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
  const upstream = await countingUpstream(t)
  const app = buildApp({ proxy: upstream.origin })
  t.teardown(() => app.close())
  const hostName = fc.oneof(
    fc.constantFrom(
      '127.0.0.1',
      'localhost',
      '[::1]',
      'app.localhost',
      'evil.example',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      '0.0.0.0',
      '[::]',
      '10.0.0.1',
      '[::ffff:127.0.0.1]',
      'LOCALHOST',
    ),
    fc.domain(),
    fc.ipV4().map(String),
  )
  const host = fc
    .tuple(hostName, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
    .map(([name, port]) => (port === undefined ? name : `${name}:${port}`))
  const origin = fc.option(
    fc.oneof(
      fc.constant('null'),
      fc.tuple(fc.constantFrom('http', 'https'), host).map(([scheme, h]) => `${scheme}://${h}`),
    ),
    { nil: undefined },
  )
  await checkProperty(t, tally, 'proxy Host and Origin shapes', fc.tuple(host, origin), async ([hostHeader, originHeader]) => {
    const before = upstream.hits()
    const response = await app.inject({
      url: '/theme/app.js',
      headers: { host: hostHeader, ...(originHeader !== undefined && { origin: originHeader }) },
    })
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
    expect(
      allowed ? response.statusCode === 200 && upstream.hits() === before + 1 : response.statusCode === 403 && upstream.hits() === before,
      'loopback passes, anything else is refused before the dev server',
      { hostHeader, originHeader, status: response.statusCode },
    )
  })
})

t.test("property: on a loopback listener only this machine's Host spellings are answered; every other gets the 403", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bc-mock-host-property-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")')
  const app = buildApp({ static: root })
  t.teardown(() => app.close())

  const octet = fc.integer({ min: 0, max: 255 })
  const hex = (n: number) => `0x${n.toString(16)}`
  // 127.x.y.z in the notations a URL parser reads as it (dotted, one number, hex, octal, short forms).
  const loopbackV4 = fc.tuple(octet, octet, octet, fc.integer({ min: 0, max: 5 })).map(([a, b, c, form]) => {
    const whole = ((127 << 24) >>> 0) + (a << 16) + (b << 8) + c
    return (
      [`127.${a}.${b}.${c}`, String(whole), hex(whole), `0x7f.${a}.${b}.${c}`, `0177.${a}.${b}.${c}`, `127.${(a << 16) + (b << 8) + c}`][
        form
      ] ?? `127.${a}.${b}.${c}`
    )
  })
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/)
  const randomCase = (name: string) =>
    fc
      .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
      .map((upper) => [...name].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''))
  const withPort = (host: string) =>
    fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }).map((port) => (port === undefined ? host : `${host}:${port}`))
  // This machine, by construction: localhost and *.localhost (RFC 6761), 127/8 in any notation, ::1 and mapped 127.x.
  const thisMachine = fc
    .oneof(
      fc.constantFrom(
        'localhost',
        'localhost.',
        '[::1]',
        '[0:0:0:0:0:0:0:1]',
        '[::ffff:127.0.0.1]',
        '[::ffff:7f00:1]',
        '127.1',
        '0x7f.1',
        '2130706433',
        '127.0.0.1.',
      ),
      fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => `${labels.join('.')}.localhost`),
      loopbackV4,
    )
    .chain(randomCase)
    .chain(withPort)
  // Not this machine, by construction: look-alikes a rebinding attacker can register or that name other hosts.
  // (An empty Host is refused too, over a socket in test/http/host-check.test.ts: inject() puts its default in its place.)
  const loopbackName = fc.constantFrom('localhost', '127.0.0.1', '[::1]', '2130706433', '0x7f.1', 'app.localhost')
  const foreignDomain = fc.domain().filter((domain) => !/(^|\.)localhost\.?$/i.test(domain))
  const elsewhere = fc
    .oneof(
      fc.tuple(loopbackName, foreignDomain).map(([name, domain]) => `${name}.${domain}`.replace(/^\[::1\]/, '0--1')),
      fc.tuple(loopbackName, foreignDomain).map(([name, domain]) => `${name.replace(/[^a-z0-9]/gi, '-')}-${domain}`),
      foreignDomain,
      fc
        .tuple(
          fc.integer({ min: 0, max: 255 }).filter((a) => a !== 127),
          octet,
          octet,
          octet,
        )
        .map((parts) => parts.join('.')),
      fc.constantFrom(
        '0.0.0.0',
        '[::]',
        '[::2]',
        '[::ffff:10.0.0.1]',
        '[fe80::1]',
        'localhost..',
        'localhostx',
        'xlocalhost',
        'local-host',
        '%6cocalhost',
        'localhost%2e',
        'l\u043ecalhost',
        '\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54',
        'evil.example@127.0.0.1',
        '127.0.0.1/.evil.example',
        '127.0.0.1#.evil.example',
        '127.0.0.1\\.evil.example',
        '127.0.0.1 .evil.example',
        ' ',
        '[::1',
        '::1]',
        '[127.0.0.1]',
        '999.0.0.1',
        '127.0.0.1.evil.example',
        'localhost.evil.example',
        '1.2.3.4.5',
      ),
      fc.string({ minLength: 300, maxLength: 4000, unit: fc.constantFrom('a', '.', '-', '1', 'x') }).map((tail) => `evil${tail}`),
    )
    .chain(randomCase)
    .chain(withPort)
  const route = fc.constantFrom(
    { method: 'GET' as const, url: '/' },
    { method: 'GET' as const, url: '/login.php' },
    {
      method: 'POST' as const,
      url: '/login.php?action=check_login',
      payload: `login_email=${encodeURIComponent(DEMO.john.email)}&login_pass=${DEMO.john.password}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    { method: 'GET' as const, url: `/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}` },
    { method: 'GET' as const, url: '/__mock/health' },
    { method: 'GET' as const, url: '/__mock/assets/current-customer.js' },
    { method: 'GET' as const, url: '/assets/app.js' },
    { method: 'GET' as const, url: '/no-such-page' },
  )
  const request = fc.tuple(
    fc.oneof(
      thisMachine.map((host) => ({ host, mine: true })),
      elsewhere.map((host) => ({ host, mine: false })),
    ),
    route,
  )
  await checkProperty(t, tally, 'Host spellings on a loopback listener', request, async ([{ host, mine }, call]) => {
    const response = await app.inject({ ...call, headers: { ...call.headers, host } })
    const refused = response.statusCode === 403 && response.body.includes(ERRORS.hostNotAllowed.code)
    expect(response.statusCode < 500, 'never a 5xx', { host, url: call.url, status: response.statusCode })
    expect(mine ? !refused : refused, mine ? 'this machine is answered' : 'any other Host gets the 403 and nothing else', {
      host: host.slice(0, 120),
      url: call.url,
      status: response.statusCode,
    })
    expect(mine || response.headers['set-cookie'] === undefined, 'a refused Host gets no cookie', host.slice(0, 120))
  })
})

t.test(
  'property: pipelined floods over a real socket: up to the limit every answer, past it the connection cut, the server serving throughout',
  async (t) => {
    const app = composeApp(resolveOptions({}))
    await app.listen({ host: '127.0.0.1', port: 0 })
    t.teardown(() => app.close())
    const port = (app.server.address() as AddressInfo).port
    const line = fc.constantFrom(
      'GET /login.php',
      'GET /',
      'HEAD /login.php',
      'GET /customer/current.jwt?app_client_id=x',
      'GET /__mock/health',
      'GET /nope',
      'OPTIONS /customer/current.jwt',
      'GET /login/token/a.b.c',
    )
    const flood = fc.record({
      lines: fc.array(line, { minLength: 1, maxLength: 3 * MAX_PIPELINED_REQUESTS, size: 'max' }),
      readAfterMs: fc.constantFrom(0, 100),
    })
    await checkProperty(t, tally, 'pipelined flood over a real socket', flood, async ({ lines, readAfterMs }) => {
      // One write, so the whole pipeline reaches the server in one read; the last asks to close.
      const data = lines
        .map(
          (request, index) => `${request} HTTP/1.1\r\nHost: 127.0.0.1\r\n${index === lines.length - 1 ? 'Connection: close\r\n' : ''}\r\n`,
        )
        .join('')
      const socket = connect(port, '127.0.0.1')
      socket.on('error', () => {})
      socket.pause()
      let text = ''
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
      socket.write(data)
      if (readAfterMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, readAfterMs))
        const other = await rawExchange(port, 'GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', {
          timeoutMs: 3000,
        })
        expect(other.status === 200, 'another connection is served meanwhile', other.status)
      }
      socket.setEncoding('latin1')
      socket.on('data', (chunk: string) => (text += chunk))
      socket.resume()
      const ended = await Promise.race([closed.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 4000))])
      socket.destroy()
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]))
      expect(ended, 'the connection ends (closed after its last answer, or cut)', { requests: lines.length })
      expect(
        statuses.every((status) => status < 500),
        'never a 5xx',
        statuses,
      )
      if (lines.length <= MAX_PIPELINED_REQUESTS)
        expect(statuses.length === lines.length, 'up to the limit, every request is answered', {
          requests: lines.length,
          answers: statuses.length,
        })
      else
        expect(statuses.length <= MAX_PIPELINED_REQUESTS, 'past the limit, the connection is cut before its answers pile up', {
          requests: lines.length,
          answers: statuses.length,
        })
    })
    t.equal((await fetch(`http://127.0.0.1:${port}/login.php`)).status, 200, 'still serving')
  },
)

t.test('summary', async (t) => {
  t.comment(tally.summary('test/property/hardening.test.ts'))
})
