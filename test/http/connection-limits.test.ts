// Slow and silent clients are cut off in bounded time; closing (API or signal) ends within 1 s.
import { mkdtempSync, readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import t, { type Test } from 'tap'
import { composeApp } from '../../server/build-app.js'
import { MAX_PIPELINED_REQUESTS, SERVER_TIMEOUTS } from '../../server/http/limits.js'
import { buildApp, startMockStorefront } from '../../server/index.js'
import { resolveOptions } from '../../server/options/resolve.js'
import { spawnCli, spawnCliUntracked } from '../helpers/cli.js'
import { rawExchange } from '../helpers/raw-http.js'
import { readyLine } from '../helpers/tls.js'

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
  const app = composeApp(resolveOptions({}), {
    timeouts: { ...SERVER_TIMEOUTS, headersMs: 600, requestMs: 1200, keepAliveMs: 500, idleSocketMs: 3000, checkIntervalMs: 100 },
  })
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
    [
      'mid-body',
      'POST /login.php?action=check_login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlogin_email=a',
      false,
    ],
  ]
  const answers = await Promise.all(cases.map(([, data]) => rawExchange(port, data, { end: false, timeoutMs: 4000 })))
  for (const [index, [name]] of cases.entries()) {
    const answer = answers[index]!
    t.notOk(answer.timedOut, `${name}: the server closed the connection`)
    t.ok(answer.elapsedMs < 2500, `${name}: within ${answer.elapsedMs} ms`)
    t.equal(answer.status, 408, `${name}: 408`)
  }
  // A body sent a byte every 200 ms never finishes in time either.
  const drip = await openSocket(
    t,
    port,
    'POST /login.php?action=check_login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n',
  )
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
  const inFlight = fetch(`${storefront.url}/login.php`).then(
    (response) => response.status,
    () => 'cut',
  )
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

// Resident memory of a process, MiB.
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no VmRSS for process ${pid}`)
  return Number(match[1]) / 1024
}

/** A connection that writes `data` at once and reads nothing until `drain()`, which reads to the end and counts the answers' status lines. */
interface FloodSocket {
  drain(timeoutMs: number): Promise<{ answers: number; closed: boolean }>
}

function floodSocket(t: Test, port: number, data: string, ca?: string): Promise<FloodSocket> {
  return new Promise((resolve, reject) => {
    let answers = 0
    let tail = ''
    const onConnect = () => {
      socket.pause()
      socket.write(data)
      socket.setEncoding('latin1')
      socket.on('data', (chunk: string) => {
        // Status lines counted across chunk boundaries without keeping the answers.
        const text = tail + chunk
        answers += text.split('HTTP/1.1 ').length - 1
        tail = text.slice(-8)
      })
      resolve({
        drain: async (timeoutMs) => {
          socket.resume()
          let timer: NodeJS.Timeout | undefined
          const ended = await Promise.race([
            closed.then(() => true),
            new Promise<false>((done) => (timer = setTimeout(() => done(false), timeoutMs))),
          ])
          clearTimeout(timer)
          return { answers, closed: ended }
        },
      })
    }
    const socket: Socket =
      ca === undefined
        ? connect(port, '127.0.0.1', onConnect)
        : tlsConnect({ host: '127.0.0.1', port, ca, servername: '127.0.0.1' }, onConnect)
    // A reset (the server cut the connection while our request bytes were unread) closes it even unread.
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    // Before connecting, a failure fails the test; after, a reset is how the server cuts the flood.
    socket.on('error', (error) => reject(error))
    t.teardown(() => socket.destroy())
  })
}

for (const https of [false, true]) {
  t.test(
    `16 connections of 3,000 pipelined requests never read${https ? ', over --https' : ''}: memory bounded, the connections cut at once, others served`,
    async (t) => {
      const args = ['--port', '0', '--ready-json', '--log-format', 'json', '--log-level', 'warn']
      if (https) args.push('--https', '--cert-cache-dir', mkdtempSync(join(tmpdir(), 'bcmock-flood-')))
      const cli = spawnCli(t, args)
      const ready = await readyLine(cli)
      const ca = ready.cert_file ? readFileSync(ready.cert_file, 'utf8') : undefined
      const normal = async () =>
        (
          await rawExchange(ready.port, 'GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', {
            timeoutMs: 5000,
            ...(ca !== undefined && { tlsCa: ca }),
          })
        ).status
      t.equal(await normal(), 200)
      const before = rssMiB(ready.pid)

      const pipeline = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${ready.port}\r\n\r\n`.repeat(3000)
      const sockets = await Promise.all(Array.from({ length: 16 }, () => floodSocket(t, ready.port, pipeline, ca)))
      let peak = before
      for (let sample = 0; sample < 15; sample++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        peak = Math.max(peak, rssMiB(ready.pid))
      }
      t.equal(await normal(), 200, 'a normal request is answered during the flood')
      t.ok(
        peak - before < 100,
        `RSS grew ${(peak - before).toFixed(1)} MiB (${before.toFixed(0)} -> ${peak.toFixed(0)} MiB), less than 100`,
      )

      // Reading now: each connection was closed by the server, long before its 3,000 answers.
      const drained = await Promise.all(sockets.map((socket) => socket.drain(3000)))
      t.same(drained.filter((result) => !result.closed).length, 0, 'every flooding connection is closed (not held until a timeout)')
      t.ok(
        drained.every((result) => result.answers <= MAX_PIPELINED_REQUESTS),
        `at most ${MAX_PIPELINED_REQUESTS} answers on each (${drained.map((result) => result.answers).join(', ')})`,
      )
      t.equal(await normal(), 200, 'and after')
      await cli.waitForStdout(/"cause":"pipelined_flood"/, 3000, 'the warning')
      t.equal(
        cli.stdout.split('\n').filter((line) => line.includes('"cause":"pipelined_flood"')).length,
        16,
        'one warning per connection cut',
      )
    },
  )
}

t.test('keep-alive clients and short pipelines that read their answers are never cut', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  // One connection, one request at a time: what browsers, autocannon and undici do.
  const sequential = await openSocket(t, storefront.port)
  sequential.setEncoding('latin1')
  let received = ''
  sequential.on('data', (chunk: string) => (received += chunk))
  for (let n = 0; n < 300; n++) {
    sequential.write(`GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
    const deadline = Date.now() + 3000
    while (received.split('HTTP/1.1 200').length - 1 < n + 1 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 1))
  }
  t.equal(received.split('HTTP/1.1 200').length - 1, 300, '300 requests in turn on one connection, all answered')
  t.notOk(sequential.destroyed, 'and the connection is still open')

  // A pipeline of exactly the limit, read as it comes: every answer.
  const pipeline =
    `GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`.repeat(MAX_PIPELINED_REQUESTS - 1) +
    'GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
  const answer = await rawExchange(storefront.port, pipeline, { timeoutMs: 5000 })
  t.notOk(answer.timedOut)
  t.equal(
    answer.text.split('HTTP/1.1 200').length - 1,
    MAX_PIPELINED_REQUESTS,
    `${MAX_PIPELINED_REQUESTS} pipelined requests: all answered`,
  )
})

t.test('a client that sends short pipelines and never reads: the mock stops reading it once its answers back up', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const socket = await openSocket(t, storefront.port)
  socket.pause()
  socket.on('error', () => {})
  // Batches under the limit, each answered with 11 KiB pages into the socket buffers until the
  // kernel's are full; Node then stops reading the connection, so the rest is never parsed.
  const perBatch = MAX_PIPELINED_REQUESTS / 2
  const batches = 100
  for (let n = 0; n < batches; n++) {
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`.repeat(perBatch))
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
  const handled = storefront.app.mock.stats().requestsTotal
  t.ok(handled < (batches * perBatch) / 2, `${handled} of ${batches * perBatch} requests handled: the rest wait unread in the kernel`)
  t.equal((await fetch(`${storefront.url}/login.php`)).status, 200, 'others are served')
})
