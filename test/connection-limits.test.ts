// Slow and silent clients are cut off in bounded time; closing (API or signal) ends within 1 s.
import { connect, type Socket } from 'node:net'
import t, { type Test } from 'tap'
import { composeApp } from '../server/build-app.js'
import { SERVER_TIMEOUTS } from '../server/http/limits.js'
import { buildApp, startMockStorefront } from '../server/index.js'
import { resolveOptions } from '../server/options.js'
import { spawnCli, spawnCliUntracked } from './helpers/cli.js'
import { rawExchange } from './helpers/raw-http.js'

/** A socket to 127.0.0.1:port that has written `data`, destroyed when the test ends. */
function openSocket(t: Test, port: number, data = ''): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      if (data) socket.write(data)
      resolve(socket)
    })
    socket.on('error', reject)
    t.teardown(() => socket.destroy())
  })
}

async function shortTimeoutServer(t: Test) {
  const app = composeApp({ ...resolveOptions({}), timeouts: { ...SERVER_TIMEOUTS, headersMs: 600, requestMs: 1200, keepAliveMs: 500, idleSocketMs: 3000, checkIntervalMs: 100 } })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  return { app, port: (app.server.address() as { port: number }).port }
}

t.test('the timeouts are set deliberately on the server', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  await app.ready()
  t.equal(app.server.headersTimeout, 10_000, 'headers within 10 s')
  t.equal(app.server.requestTimeout, 30_000, 'whole request within 30 s')
  t.equal(app.server.keepAliveTimeout, 5_000, 'idle keep-alive 5 s')
  t.equal(app.server.timeout, 60_000, 'idle socket 60 s')
})

t.test('silent, mid-headers, mid-body and dripping clients are cut off with 408 in bounded time', async (t) => {
  const { port } = await shortTimeoutServer(t)
  const cases: [string, string, boolean][] = [
    ['silent', '', false],
    ['mid-headers', 'GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\n', false],
    ['mid-body', 'POST /login.php?action=check_login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlogin_email=a', false],
  ]
  const answers = await Promise.all(cases.map(([, data]) => rawExchange(port, data, { end: false, timeoutMs: 4000 })))
  for (const [index, [name]] of cases.entries()) {
    const answer = answers[index]!
    t.notOk(answer.timedOut, `${name}: the server closed the connection`)
    t.ok(answer.elapsedMs < 2500, `${name}: within ${answer.elapsedMs} ms`)
    t.equal(answer.status, 408, `${name}: 408`)
  }
  // A body sent a byte every 200 ms never finishes in time either.
  const drip = await openSocket(t, port, 'POST /login.php?action=check_login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n')
  const timer = setInterval(() => drip.write('a'), 200)
  const started = Date.now()
  await new Promise((resolve) => drip.once('close', resolve))
  clearInterval(timer)
  t.ok(Date.now() - started < 2500, `dripping body: cut off after ${Date.now() - started} ms`)
})

t.test('thousands of silent sockets held, the server keeps answering others', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const port = storefront.port
  await Promise.all(Array.from({ length: 2000 }, () => openSocket(t, port)))
  const started = Date.now()
  const response = await fetch(`http://127.0.0.1:${port}/login.php`, { signal: AbortSignal.timeout(3000) })
  t.equal(response.status, 200, 'a normal request is answered')
  t.ok(Date.now() - started < 2000, `within ${Date.now() - started} ms`)
})

t.test('storefront.close() ends within 1 s whatever the sockets are doing', async (t) => {
  const storefront = await startMockStorefront({ latency: 5000 })
  await openSocket(t, storefront.port)
  await openSocket(t, storefront.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n')
  await openSocket(t, storefront.port, 'POST /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\nab')
  await fetch(`${storefront.url}/`) // leaves an idle keep-alive connection
  const inFlight = fetch(`${storefront.url}/login.php`).then((response) => response.status, () => 'cut')
  await new Promise((resolve) => setTimeout(resolve, 100))
  const started = Date.now()
  await storefront.close()
  const elapsed = Date.now() - started
  t.ok(elapsed < 1000, `closed in ${elapsed} ms`)
  t.ok([200, 'cut'].includes(await inFlight), 'the delayed request in flight was answered (released by the close) or cut, not left hanging')
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`${signal} with silent, mid-headers and mid-body sockets: exit 0 within 1 s`, async (t) => {
    const cli = spawnCli(t, ['--port', '0', '--log-level', 'silent'])
    const port = Number(new URL(await cli.url()).port)
    await openSocket(t, port)
    await openSocket(t, port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    await openSocket(t, port, 'POST /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\nab')
    await fetch(`http://127.0.0.1:${port}/`)
    const started = Date.now()
    cli.child.kill(signal)
    const exit = await cli.waitForExit(3000)
    const elapsed = Date.now() - started
    t.same(exit, { code: 0, signal: null }, 'exit code 0')
    t.ok(elapsed < 1000, `exited ${elapsed} ms after the signal`)
  })
}

t.test('a second signal exits at once', async (t) => {
  // Each signal goes only once the CLI shows it has the step before: a request in flight (a body
  // still coming, so the first signal's close waits out its grace), then the first signal.
  const cli = spawnCli(t, ['--port', '0', '--log-level', 'info', '--log-format', 'json'])
  const port = Number(new URL(await cli.url()).port)
  await openSocket(t, port, 'POST /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\nab')
  await cli.waitForStdout(/"msg":"incoming request"/, 5000, 'the request in flight')
  cli.child.kill('SIGTERM')
  await cli.waitForStdout(/"signal":"SIGTERM","msg":"shutting down"/, 5000, 'the first signal')
  cli.child.kill('SIGINT')
  const exit = await cli.waitForExit(3000)
  t.ok(exit, 'exited')
  // 130 comes only from the second-signal path: the first close would have ended with 0.
  t.same(exit, { code: 130, signal: null }, `exit code 128 + SIGINT's number (${exit?.code}), not the clean 0`)
})

t.test('a signal sent the moment the ready line or banner shows is handled: exit 0, not killed by it', async (t) => {
  // A supervisor may stop the mock as soon as it reads that it is up; the handlers must be in place by then.
  for (const args of [['--ready-json'], []]) {
    for (let run = 0; run < 5; run++) {
      const cli = spawnCliUntracked(t, ['--port', '0', '--log-level', 'silent', ...args])
      cli.child.stdout?.once('data', () => cli.child.kill('SIGTERM'))
      const exit = await cli.waitForExit(5000)
      t.same(exit, { code: 0, signal: null }, `${args.join(' ') || 'banner'}, run ${run + 1}: exit 0`)
    }
  }
})
