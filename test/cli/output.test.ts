// What the CLI prints for the person or program that started it: --version, --help under the
// name it was invoked by, --ready-json's first line, and logs a person reads (one pretty line
// per request on a terminal, JSON lines otherwise), through the real CLI as a real process; the
// terminal case under a pseudo-terminal made by util-linux's `script`.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { prettyFactory } from 'pino-pretty'
import t, { type Test } from 'tap'
import { prettyOptions } from '../../server/http/logger.js'
import { inCi } from '../helpers/chromium.js'
import { CLI, CliProcess, cleanEnv, ensureBuilt, ROOT, runCli, spawnCli } from '../helpers/cli.js'
import { rawExchange } from '../helpers/raw-http.js'
import { DEMO } from '../helpers/storefront.js'
import { verifyWithJose } from '../helpers/tokens.js'
import type { ReadyLine } from '../helpers/tls.js'

ensureBuilt()

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

/** The CLI with a pseudo-terminal as stdout (`script`), `flags` after the CLI; killed, with `script`, when the test ends. */
async function onTerminal(t: Test, flags: string, env: Record<string, string>): Promise<{ cli: CliProcess; ready: ReadyLine }> {
  const child = spawn('script', ['-qefc', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ${flags}`, '/dev/null'], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const cli = new CliProcess(child)
  const started: { pid?: number } = {}
  t.teardown(async () => {
    if (started.pid !== undefined) {
      try {
        process.kill(started.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    if (!cli.exit) child.kill('SIGKILL')
    await cli.exited
  })
  const ready = JSON.parse(await firstLine(cli)) as ReadyLine
  started.pid = ready.pid
  return { cli, ready }
}

t.test('--version prints the version from package.json', async (t) => {
  const result = await runCli(t, ['--version'])
  t.equal(result.code, 0)
  t.equal(result.stdout, `${VERSION}\n`)
  t.equal(result.stderr, '')
})

t.test('--help names the command as it was invoked', async (t) => {
  const bin = await runCli(t, ['--help'])
  t.equal(bin.code, 0)
  t.match(bin.stdout, /^Usage: bigcommerce-mock \[flags\]\n/, 'the installed bin')
  for (const flag of ['--log-format <value>', 'BC_MOCK_LOG_FORMAT', '--ready-json', 'BC_MOCK_READY_JSON', '--version'])
    t.match(bin.stdout, flag)

  const npm = spawnSync('npm', ['run', 'mock', '--silent', '--', '--help'], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8' })
  t.equal(npm.status, 0, npm.stderr)
  t.match(npm.stdout, /^Usage: npm run mock -- \[flags\]\n/, 'npm run mock from the repository')
})

t.test('--ready-json: the first line on stdout is JSON with the URL, before any log line or the banner', async (t) => {
  const cli = spawnCli(t, ['--port', '0', '--ready-json'])
  const ready = await firstLine(cli)
  const line = JSON.parse(ready) as ReadyLine
  t.match(line, { url: `http://127.0.0.1:${line.port}`, host: '127.0.0.1', pid: cli.child.pid, store_hash: 'abc123' })
  t.ok(line.port > 0, 'port 0 became a real port')
  t.same(line.app_client_ids, [DEMO.hs512App.clientId, DEMO.hs256App.clientId])
  t.equal((await fetch(`${line.url}/login.php`)).status, 200, 'the URL answers')
  await cli.url()
  const rest = cli.stdout.slice(ready.length + 1)
  t.match(rest, /"msg":"Server listening at/, 'the log line written while starting comes after it')
  t.ok(rest.indexOf('"msg":"Server listening at') < rest.indexOf('BigCommerce mock storefront listening on'), 'then the banner')

  t.equal((await runCli(t, ['--ready-json=yes'])).code, 2, 'a switch takes no value')
  const fromEnv = spawnCli(t, ['--port', '0'], { BC_MOCK_READY_JSON: '1' })
  t.match(JSON.parse(await firstLine(fromEnv)), { url: /^http:\/\/127\.0\.0\.1:\d+$/ }, 'BC_MOCK_READY_JSON=1 does the same')
})

t.test('--log-format and BC_MOCK_LOG_FORMAT: a bad value names the flag or variable', async (t) => {
  const flag = await runCli(t, ['--log-format', 'xml'])
  t.equal(flag.code, 2)
  t.equal(flag.stderr, 'bigcommerce-mock: --log-format: expected json or pretty, got "xml"\n')
  const env = await runCli(t, [], { BC_MOCK_LOG_FORMAT: 'colour' })
  t.equal(env.code, 2)
  t.equal(env.stderr, 'bigcommerce-mock: BC_MOCK_LOG_FORMAT: expected json or pretty, got "colour"\n')
})

t.test('the pretty format turns a JSON request line into one readable line', async (t) => {
  const pretty = prettyFactory(prettyOptions(false))
  const line = pretty({
    level: 30,
    time: Date.UTC(2026, 0, 1, 12, 0, 0, 5),
    pid: 1,
    hostname: 'h',
    reqId: 'req-1',
    msg: 'request',
    request: { method: 'GET', path: '/customer/current.jwt?app_client_id=abc', status: 200, ms: 1.4, customer: 4927, app: 'abc' },
  })
  t.match(line, /^\[\d\d:\d\d:\d\d\.005\] INFO: GET \/customer\/current\.jwt\?app_client_id=abc 200 1\.4 ms {2}customer 4927 {2}app abc\n$/)
  const other = pretty({ level: 40, time: 0, pid: 1, hostname: 'h', reqId: 'req-2', rule: 'iat_stale', msg: 'customer login refused' })
  t.match(other, /WARN: customer login refused {"rule":"iat_stale"}\n$/, 'other lines keep their fields on the same line')
  t.notMatch(other, /req-2|hostname/, 'no request or process ids')
})

const hasScript = existsSync('/usr/bin/script') || spawnSync('script', ['--version']).status === 0

t.test('on a terminal: one readable line per request, the banner whole, no secret anywhere', async (t) => {
  if (!hasScript) {
    const message = 'the terminal test needs `script` from util-linux (apt-get install bsdutils)'
    if (inCi()) t.fail(`CI is set, so this test must run, but ${message}`)
    else t.plan(0, message)
    return
  }
  // `script` gives the CLI a pseudo-terminal as stdout; --ready-json says where it listens.
  const { cli, ready } = await onTerminal(t, '--port 0 --ready-json', { NO_COLOR: '1' })
  const base = ready.url
  await cli.url()

  // Secrets that travel in requests: the password (form body, and a query string by mistake),
  // the session cookies, a Customer Login token in the path, the minted JWT.
  const signIn = await fetch(`${base}/login.php?action=check_login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'login_email=john.doe%40example.com&login_pass=letmein',
  })
  t.equal(signIn.status, 302)
  const cookies = signIn.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!)
  const cookie = cookies.join('; ')
  const token = await (await fetch(`${base}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { headers: { cookie } })).text()
  await verifyWithJose(token, { ...DEMO.hs512App, algorithm: 'HS512' })
  t.equal((await fetch(`${base}/login.php?login_email=a%40b.c&login_pass=hunter2-in-a-query`)).status, 200)
  const { url: loginUrl } = (await (
    await fetch(`${base}/__mock/customer-login-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: DEMO.hs256App.clientId, customer_id: DEMO.jane.id }),
    })
  ).json()) as { url: string }
  t.equal((await fetch(loginUrl, { redirect: 'manual' })).status, 302)
  await new Promise((resolve) => setTimeout(resolve, 200))

  const out = cli.stdout.replace(/\r/g, '')
  const lines = out.split('\n')
  t.notMatch(out, /"level":/, 'no JSON line on a terminal')
  t.notMatch(out, /\x1b\[/, 'NO_COLOR is honoured')
  const loginTokenJwt = new URL(loginUrl).pathname.slice('/login/token/'.length)
  for (const [name, secret] of [
    ['the password', 'letmein'],
    ['the password in a query', 'hunter2-in-a-query'],
    ['the minted token', token],
    ['the Customer Login token', loginTokenJwt],
    ...cookies.map((pair): [string, string] => [`cookie ${pair.split('=')[0]}`, pair.split('=')[1]!]),
  ]) {
    // The banner shows the demo passwords on purpose (fixture values); a log line never does.
    const logLines = lines.filter((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\]/.test(line))
    t.notOk(
      logLines.some((line) => line.includes(secret!)),
      `${name} is in no log line`,
    )
  }
  t.notOk(out.includes(token), 'the token is nowhere in the output')
  t.notOk(out.includes(loginTokenJwt), 'the Customer Login token is nowhere in the output')
  t.notOk(out.includes('hunter2-in-a-query'), 'a password in a query string is nowhere in the output')

  const time = String.raw`^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: `
  const expectOne = (pattern: string, what: string) =>
    t.equal(lines.filter((line) => new RegExp(time + pattern).test(line)).length, 1, what)
  expectOne(String.raw`POST /login\.php\?action=check_login 302 [\d.]+ ms {2}customer 4927$`, 'the sign-in: one line, with the customer')
  expectOne(
    String.raw`GET /customer/current\.jwt\?app_client_id=${DEMO.hs512App.clientId} 200 [\d.]+ ms {2}customer 4927 {2}app ${DEMO.hs512App.clientId}$`,
    'the token request: customer and app',
  )
  expectOne(String.raw`GET /login\.php\?login_email=\[redacted\]&login_pass=\[redacted\] 200 [\d.]+ ms$`, 'query values redacted')
  expectOne(
    String.raw`GET /login/token/\[redacted\] 302 [\d.]+ ms {2}customer ${DEMO.jane.id} {2}app ${DEMO.hs256App.clientId}$`,
    'the Customer Login: token redacted, customer and app',
  )
  t.notMatch(out, /incoming request|request completed/, "not Fastify's two lines per request")

  // The banner is one block: from its first line to its last, no log line in between.
  const start = lines.findIndex((line) => line.startsWith('BigCommerce mock storefront listening on'))
  const end = lines.findIndex((line) => line.startsWith('  Control API:'))
  t.ok(start > 0 && end > start, 'the banner is there')
  t.same(
    lines.slice(start, end + 1).filter((line) => /^\[\d\d:/.test(line)),
    [],
    'no log line inside the banner',
  )
})

t.test('on a terminal: control characters a request carries are escaped in every pretty line', async (t) => {
  if (!hasScript) {
    const message = 'the terminal test needs `script` from util-linux (apt-get install bsdutils)'
    if (inCi()) t.fail(`CI is set, so this test must run, but ${message}`)
    else t.plan(0, message)
    return
  }
  // Colours on (no NO_COLOR): the only escape sequences allowed are pino-pretty's own colours.
  // --proxy to a port nothing listens on: its Host/Origin refusal is logged before any upstream call.
  const { cli, ready } = await onTerminal(t, '--port 0 --ready-json --proxy http://127.0.0.1:9', { NO_COLOR: '' })
  await cli.url()
  const before = cli.stdout.length

  // What any web page can make a browser send: an app_client_id with ESC (a title command),
  // BEL, LF, CR, DEL, a C1 CSI and U+2028.
  const hostile = '%1B%5D0%3Bx%07%0Aforged-line%0D%7F%C2%9B2J%E2%80%A8'
  t.equal((await fetch(`${ready.url}/customer/current.jwt?app_client_id=${hostile}`)).status, 400)
  // A Customer Login token whose unverified iss carries the same.
  const payload = Buffer.from(JSON.stringify({ iss: '\u001b]0;x\u0007\nforged-line\r\u007f\u009b2J\u2028' })).toString('base64url')
  t.equal(
    (await fetch(`${ready.url}/login/token/eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${payload}.c2ln`, { redirect: 'manual' })).status,
    302,
  )
  // A Host with C1 bytes (Node's parser lets obs-text through): the Host rule refuses it, and its warning names it.
  const otherHost = await rawExchange(ready.port, 'GET /login.php HTTP/1.1\r\nHost: evil\x9b2j\x85host\r\nConnection: close\r\n\r\n')
  t.equal(otherHost.status, 403)
  // An Origin with C1 bytes on a proxied path: the refusal names the page it came from.
  const foreign = await rawExchange(
    ready.port,
    `GET /theme.js HTTP/1.1\r\nHost: 127.0.0.1:${ready.port}\r\nOrigin: http://evil\x9b2J\x85.example\r\nConnection: close\r\n\r\n`,
  )
  t.equal(foreign.status, 403)
  await cli.waitForStdout(/proxied request refused[^\n]*\n/, 5000, 'the proxy refusal line')
  await new Promise((resolve) => setTimeout(resolve, 200))

  // The pseudo-terminal ends lines with CR LF; any other CR, and every other control byte, would be the request's.
  const out = cli.stdout.slice(before).replace(/\r\n/g, '\n')
  const withoutColours = out.replace(/\x1b\[[0-9;]*m/g, '')
  const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/.exec(withoutColours)
  // Written visibly here too: tap drops a failure whose message holds a raw U+2028.
  const visible = (text: string) => text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  t.equal(
    raw,
    null,
    `no raw control character but pino-pretty's colours (found ${visible(raw?.[0] ?? '')} in ${visible(raw ? withoutColours.slice(Math.max(0, raw.index - 80), raw.index + 40) : '')})`,
  )
  const lines = withoutColours.split('\n').filter((line) => line !== '')
  t.same(
    lines.filter((line) => !/^\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+/.test(line)).map(visible),
    [],
    'every line is a log line: none was started by a request',
  )
  t.ok(lines.length >= 6, 'the requests were logged')
  const shown = String.raw`\x1b]0;x\x07\x0aforged-line\x0d\x7f\u009b2J\u2028`
  t.ok(
    lines.some((line) => line.includes(`GET /customer/current.jwt?app_client_id=${hostile} 400`) && line.endsWith(`app ${shown}`)),
    'the request line shows the app_client_id escaped',
  )
  t.ok(
    lines.some((line) => line.includes('GET /login/token/[redacted] 302') && line.includes(`app ${shown}`)),
    'the Customer Login line shows the unverified iss escaped',
  )
  t.ok(
    lines.some((line) => line.includes('WARN') && line.includes(String.raw`evil\u009b2j\u0085host`)),
    'the Host refusal shows the Host escaped',
  )
  t.ok(
    lines.some((line) => line.includes('proxied request refused') && line.includes(String.raw`evil\u009b2J\u0085.example`)),
    'the proxy refusal shows the Origin escaped',
  )
})

t.test('--log-format pretty to a pipe: the same readable lines; json on a terminal stays JSON', async (t) => {
  const cli = spawnCli(t, ['--port', '0', '--log-format', 'pretty'])
  const url = await cli.url()
  await fetch(`${url}/login.php`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.match(cli.stdout, /\] INFO: GET \/login\.php 200 [\d.]+ ms\n/)
  t.notMatch(cli.stdout, /\x1b\[/, 'no colour codes into a pipe')
  t.notMatch(cli.stdout, /"level":/)

  const json = spawnCli(t, ['--port', '0'])
  const jsonUrl = await json.url()
  await fetch(`${jsonUrl}/login.php`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const logLines = json.stdout.split('\n').filter((line) => line.startsWith('{'))
  t.ok(logLines.length >= 3, 'a pipe gets JSON lines by default')
  t.match(
    logLines.map((line) => (JSON.parse(line) as { msg: string }).msg),
    ['Server listening at ' + jsonUrl, 'incoming request', 'request completed'],
    'as before: the incoming/completed pair',
  )
})

/** The first whole line the CLI printed on stdout. */
async function firstLine(cli: CliProcess, timeoutMs = 10_000): Promise<string> {
  return (await cli.waitForStdout(/^([^\n]*?)\r?\n/, timeoutMs, 'a first line'))[1]!
}
