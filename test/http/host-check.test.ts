// DNS rebinding: on a loopback listener every route refuses a request whose Host is not this
// machine's, unless the name is allowed (--allowed-host, BC_MOCK_ALLOWED_HOSTS, allowedHosts,
// or a name of the --https certificate); over real sockets, and through the real CLI.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { jwtVerify } from 'jose'
import t, { type Test } from 'tap'
import { banner } from '../../server/banner.js'
import { buildApp, ERRORS, startMockStorefront, type MockStorefrontOptions, type RunningMockStorefront } from '../../server/index.js'
import { resolveOptions } from '../../server/options/resolve.js'
import { ensureBuilt, parseCliChecked, runCli, spawnCli } from '../helpers/cli.js'
import { LEVEL, LogCapture } from '../helpers/log-capture.js'
import { rawExchange } from '../helpers/raw-http.js'
import { DEMO } from '../helpers/storefront.js'
import { developerCertificate, request, tempDir, type Answer } from '../helpers/tls.js'
import { cookieHeaderOf } from '../helpers/session.js'
import { countingUpstream } from '../helpers/upstream.js'

const TOKEN_PATH = `/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`
const FORM = new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString()
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' }

async function start(t: Test, options: MockStorefrontOptions = {}): Promise<RunningMockStorefront> {
  const storefront = await startMockStorefront(options)
  t.teardown(() => storefront.close())
  return storefront
}

/** Sign in through the form as this machine's own page; answers the Cookie header value. */
async function signIn(url: string, host?: string, ca?: string): Promise<string> {
  const answer = await request(`${url}/login.php?action=check_login`, {
    method: 'POST',
    headers: { ...FORM_HEADERS, ...(host && { host }) },
    body: FORM,
    ...(ca && { ca, servername: 'localhost' }),
  })
  if (answer.status !== 302) throw new Error(`sign-in answered ${answer.status}: ${answer.body}`)
  return cookieHeaderOf(answer.setCookies)
}

/** The refusal: 403, the code, and a message naming the Host, why, and the fix; nothing of the store. */
function refused(t: Test, answer: Answer, label: string, name = 'evil.example'): void {
  t.equal(answer.status, 403, `${label}: 403`)
  let body: { code?: string; title?: string } = {}
  try {
    body = JSON.parse(answer.body) as typeof body
  } catch {
    t.fail(`${label}: a JSON error body (${answer.body.slice(0, 200)})`)
  }
  t.equal(body.code, ERRORS.hostNotAllowed.code, `${label}: ${ERRORS.hostNotAllowed.code}`)
  t.match(body.title, /DNS rebinding/, `${label}: says why`)
  t.match(
    body.title,
    `--allowed-host ${name} (or BC_MOCK_ALLOWED_HOSTS=${name}, option allowedHosts: ['${name}'])`,
    `${label}: says how to allow it`,
  )
  t.same(answer.setCookies, [], `${label}: no cookie set`)
  for (const secret of [DEMO.hs512App.clientId, DEMO.john.email, DEMO.john.password, DEMO.hs512App.secret])
    t.notOk(answer.body.includes(secret), `${label}: nothing of the store`)
}

t.test('a rebinding page gets nothing: every route refuses a foreign Host over a real socket', async (t) => {
  const storefront = await start(t, { corsOrigins: ['http://evil.example:3100'] })
  const cookie = await signIn(storefront.url)
  const host = `evil.example:${storefront.port}`
  const calls: [string, { method?: string; headers?: Record<string, string>; body?: string }][] = [
    ['/', {}],
    ['/login.php', {}],
    ['/login.php?action=check_login', { method: 'POST', headers: FORM_HEADERS, body: FORM }],
    [TOKEN_PATH, { headers: { cookie } }],
    [TOKEN_PATH, { method: 'OPTIONS', headers: { origin: 'http://evil.example:3100', 'access-control-request-method': 'GET' } }],
    ['/account.php', { headers: { cookie } }],
    ['/login/token/abc.def.ghi', {}],
    ['/__mock/health', {}],
    ['/__mock/customers', {}],
    ['/__mock/reset', { method: 'POST' }],
    ['/__mock/assets/current-customer.js', {}],
    ['/no-such-page', {}],
  ]
  const label = (path: string, options: { method?: string }) => `${options.method ?? 'GET'} ${path}`
  for (const [path, options] of calls)
    refused(t, await request(`${storefront.url}${path}`, { ...options, headers: { ...options.headers, host } }), label(path, options))
  t.equal(storefront.app.mock.liveSessions().length, 1, 'the refused sign-in started no session, the refused reset ended none')
  const token = await request(`${storefront.url}${TOKEN_PATH}`, { headers: { cookie } })
  t.equal(token.status, 200, "John's session still works")
  for (const [path, options] of calls) {
    const own = await request(`${storefront.url}${path}`, {
      ...options,
      headers: { ...options.headers, host: `localhost:${storefront.port}` },
    })
    t.notOk(own.body.includes(ERRORS.hostNotAllowed.code), `${label(path, options)}: answered as usual on localhost (${own.status})`)
  }
})

t.test('--static: a foreign Host gets no file', async (t) => {
  const root = tempDir(t, 'bc-mock-host-static-')
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'index.html'), '<h1>built home</h1>')
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")')
  const storefront = await start(t, { static: root })
  for (const path of ['/', '/index.html', '/assets/app.js', '/__mock/']) {
    refused(t, await request(`${storefront.url}${path}`, { headers: { host: 'evil.example' } }), path)
  }
  const own = await request(`${storefront.url}/assets/app.js`)
  t.equal(own.status, 200)
  t.equal(own.body, 'console.log("app")')
})

t.test('--proxy: a foreign Host never reaches the dev server', async (t) => {
  const upstream = await countingUpstream(t)
  const storefront = await start(t, { proxy: upstream.origin })
  for (const path of ['/', '/src/main.ts', '/@vite/client'])
    refused(t, await request(`${storefront.url}${path}`, { headers: { host: `evil.example:${storefront.port}` } }), path)
  t.equal(upstream.hits(), 0, 'the dev server saw none of them')
  t.equal((await request(`${storefront.url}/src/main.ts`)).body, 'dev server')
})

t.test('allowedHosts: the names allowed get the mock, exactly and under a leading dot', async (t) => {
  const storefront = await start(t, { allowedHosts: ['MyStore.Test', '.example.test'] })
  for (const name of ['mystore.test', 'MYSTORE.TEST', 'mystore.test.', 'example.test', 'shop.example.test', 'a.b.example.test']) {
    const host = `${name}:${storefront.port}`
    const home = await request(`${storefront.url}/`, { headers: { host } })
    t.equal(home.status, 200, `${name}: the home page`)
    const cookie = await signIn(storefront.url, host)
    const token = await request(`${storefront.url}${TOKEN_PATH}`, { headers: { host, cookie } })
    t.equal(token.status, 200, `${name}: the token`)
    await jwtVerify(token.body, new TextEncoder().encode(DEMO.hs512App.secret), { audience: DEMO.hs512App.clientId })
  }
  for (const name of [
    'other.test',
    'mystore.test.evil.example',
    'evilmystore.test',
    'xexample.test',
    'example.test.evil.example',
    'mystore.tests',
  ]) {
    refused(t, await request(`${storefront.url}/`, { headers: { host: `${name}:${storefront.port}` } }), name, name)
  }
})

t.test('--https: the names of the certificate are allowed, as TLS matches them', async (t) => {
  const dir = tempDir(t, 'bc-mock-host-cert-')
  const pair = await developerCertificate(['localhost', '127.0.0.1', 'mystore.test', '*.dev.test'])
  writeFileSync(join(dir, 'cert.pem'), pair.cert)
  writeFileSync(join(dir, 'key.pem'), pair.key)
  const storefront = await start(t, { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') })
  const get = (host: string) =>
    request(`${storefront.url}/`, { headers: { host: `${host}:${storefront.port}` }, ca: pair.cert, servername: 'localhost' })
  for (const name of ['mystore.test', 'app.dev.test']) t.equal((await get(name)).status, 200, `${name}: answered`)
  for (const name of ['dev.test', 'a.b.dev.test', 'evil.example']) refused(t, await get(name), name, name)
})

t.test('a non-loopback listener answers every Host, as before', async (t) => {
  const app = buildApp({ host: '0.0.0.0' })
  t.teardown(() => app.close())
  for (const host of ['evil.example', 'dev-box.lan:3100', '192.168.1.20:3100'])
    t.equal((await app.inject({ url: '/', headers: { host } })).statusCode, 200, host)
  t.equal(resolveOptions({ host: '0.0.0.0' }).hostPolicy.loopbackOnly, false)
  for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2', 'mock.localhost'])
    t.equal(resolveOptions({ host }).hostPolicy.loopbackOnly, true, `${host} is loopback`)
  t.match(
    banner('http://127.0.0.1:3100', app.mock, resolveOptions({ host: '0.0.0.0', allowedHosts: ['mystore.test'] })),
    /Hosts: listening on 0\.0\.0\.0, every Host is answered; --allowed-host changes nothing here/,
    'the banner says --allowed-host does nothing there',
  )
})

t.test('Host spellings over a real socket: HTTP/1.0 without Host, empty, odd and long ones', async (t) => {
  const storefront = await start(t)
  const get = async (hostLine: string, version = '1.1') => {
    const answer = await rawExchange(storefront.port, `GET / HTTP/${version}\r\n${hostLine}Connection: close\r\n\r\n`)
    return answer.status
  }
  t.equal(await get('', '1.0'), 200, 'HTTP/1.0 without a Host: no page could have sent it')
  t.equal(await get('Host:\r\n'), 403, 'an empty Host names nothing this machine is')
  for (const host of [
    '127.0.0.1',
    'LOCALHOST',
    'localhost.',
    'app.localhost',
    '[::1]',
    '[0:0:0:0:0:0:0:1]',
    '[::ffff:127.0.0.1]',
    '127.0.0.2',
    '127.1',
    '0x7f.1',
    '2130706433',
    '0177.0.0.1',
  ]) {
    t.equal(await get(`Host: ${host}:${storefront.port}\r\n`), 200, `${host}: this machine`)
  }
  for (const host of [
    '127.0.0.1.evil.example',
    'localhost.evil.example',
    'evil-localhost',
    'localhost..',
    '[::2]',
    '[::ffff:10.0.0.1]',
    '0.0.0.0',
    '10.0.0.1',
    '%6cocalhost',
    'evil@127.0.0.1',
    '127.0.0.1/x',
    'x'.repeat(2000),
  ]) {
    t.equal(await get(`Host: ${host}\r\n`), 403, `${host.slice(0, 40)}: refused`)
  }
  t.equal(await get('Host: l\u00f6calhost\r\n'), 403, 'a latin-1 byte in the Host: refused')
})

t.test('each refused Host is logged once at warn; the verdicts kept stay bounded', async (t) => {
  const logs = new LogCapture()
  const app = buildApp({ logLevel: 'warn', logStream: logs })
  t.teardown(() => app.close())
  for (let i = 0; i < 3; i++) await app.inject({ url: '/', headers: { host: 'evil.example:3100' } })
  const lines = logs.lines.filter((line) => line.level === LEVEL.warn && line.code === ERRORS.hostNotAllowed.code)
  t.equal(lines.length, 1, 'one line for three requests')
  t.match(lines[0]?.msg, /evil\.example:3100.*--allowed-host/)
  for (let i = 0; i < 600; i++) t.equal((await app.inject({ url: '/', headers: { host: `h${i}.evil.example` } })).statusCode, 403)
  t.equal((await app.inject({ url: '/', headers: { host: 'localhost' } })).statusCode, 200, 'this machine is still answered')
  t.equal(
    (await app.inject({ url: '/', headers: { host: 'evil.example:3100' } })).statusCode,
    403,
    'a forgotten verdict is made again the same way',
  )
})

t.test('--allowed-host and BC_MOCK_ALLOWED_HOSTS: parsed, checked, the error naming the flag', async (t) => {
  const options = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const parsed = parseCliChecked(argv, env)
    if (parsed.help || parsed.version) throw new Error('unexpected --help or --version')
    return parsed.options
  }
  t.same(
    options(['--allowed-host', 'mystore.test', '--allowed-host', '.Example.Test', '--allowed-host', 'mystore.test']).allowedHosts,
    ['mystore.test', '.example.test'],
    'repeatable; lower-cased; repeats dropped',
  )
  t.same(options([], { BC_MOCK_ALLOWED_HOSTS: 'mystore.test, ::1 ,[::2],b\u00fccher.test,trailing.test.' }).allowedHosts, [
    'mystore.test',
    '::1',
    '::2',
    'xn--bcher-kva.test',
    'trailing.test',
  ])
  t.same(options(['--allowed-host', 'flag.test'], { BC_MOCK_ALLOWED_HOSTS: 'env.test' }).allowedHosts, ['flag.test'], 'the flag wins')
  t.equal(options([]).allowedHosts, undefined, 'none by default')
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [
      ['--allowed-host', 'http://mystore.test:3000'],
      {},
      /^--allowed-host: expected a host name .*: drop the scheme, write mystore\.test, got "http:\/\/mystore\.test:3000"$/,
    ],
    [['--allowed-host', 'mystore.test:3000'], {}, /^--allowed-host: .*drop the port.*write mystore\.test, got/],
    [['--allowed-host', '[::1]:3000'], {}, /^--allowed-host: .*drop the port.*write \[::1\]/],
    [['--allowed-host', '*.example.test'], {}, /^--allowed-host: .*leading dot: \.example\.test/],
    [['--allowed-host', 'mystore.test/app'], {}, /^--allowed-host: .*no path/],
    [['--allowed-host', '.127.0.0.1'], {}, /^--allowed-host: .*a leading dot takes a domain name/],
    [['--allowed-host', ''], {}, /^--allowed-host: expected a host name/],
    [[], { BC_MOCK_ALLOWED_HOSTS: 'ok.test,bad host' }, /^BC_MOCK_ALLOWED_HOSTS: expected a host name.*"bad host"/],
    [[], { BC_MOCK_ALLOWED_HOSTS: 'ok.test,' }, /^BC_MOCK_ALLOWED_HOSTS: expected a host name/],
  ]
  for (const [argv, env, message] of cases)
    t.throws(() => parseCliChecked(argv, env), { code: ERRORS.invalidOption.code, message }, [...argv, JSON.stringify(env)].join(' '))
  t.throws(() => buildApp({ allowedHosts: 'mystore.test' as unknown as string[] }), {
    code: ERRORS.invalidOption.code,
    field: 'allowedHosts',
  })
  t.throws(() => buildApp({ allowedHosts: ['ok.test', 'http://x.test'] }), {
    field: 'allowedHosts[1]',
    message: /drop the scheme, write x\.test/,
  })
  t.throws(() => buildApp({ allowedHost: ['x.test'] } as MockStorefrontOptions), {
    code: ERRORS.unknownOption.code,
    message: /did you mean allowedHosts/,
  })
})

t.test('the CLI: a bad --allowed-host exits 2 naming it; a good one is answered', async (t) => {
  ensureBuilt()
  const bad = await runCli(t, ['--allowed-host', 'http://mystore.test:3000', '--port', '0'])
  t.equal(bad.code, 2)
  t.equal(bad.stderr.trimEnd().split('\n').length, 1, 'one line')
  t.match(bad.stderr, /--allowed-host: .*drop the scheme, write mystore\.test/)
  for (const [args, env] of [
    [['--allowed-host', 'mystore.test'], {}],
    [[], { BC_MOCK_ALLOWED_HOSTS: 'other.test,mystore.test' }],
  ] as const) {
    const cli = spawnCli(t, ['--port', '0', '--log-level', 'warn', ...args], env)
    const url = await cli.url()
    t.match(cli.stdout, /Hosts: also answers requests for .*mystore\.test \(--allowed-host\)/, 'the banner says so')
    const port = new URL(url).port
    t.equal(
      (await request(`${url}/`, { headers: { host: `mystore.test:${port}` } })).status,
      200,
      `${JSON.stringify(env)} ${args.join(' ')}: the allowed name`,
    )
    refused(t, await request(`${url}/`, { headers: { host: `evil.example:${port}` } }), 'another name')
    cli.child.kill('SIGTERM')
    await cli.exited
  }
})
