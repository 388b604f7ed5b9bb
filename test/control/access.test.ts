import t, { type Test } from 'tap'
import { banner } from '../../server/banner.js'
import { ControlAccess } from '../../server/control/access.js'
import { isLoopbackHost } from '../../server/http/host-policy.js'
import { buildApp, type MockStorefrontOptions } from '../../server/index.js'
import { resolveOptions } from '../../server/options/resolve.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { signIn } from '../helpers/session.js'
import { parseCliChecked } from '../helpers/cli.js'

const TOKEN = 'admin-token-9f8e7d6c5b4a'

function setup(t: Test, options: MockStorefrontOptions, clientOptions: { token?: string } = {}) {
  const app = buildApp(options)
  t.teardown(() => app.close())
  return { app, api: controlClient(t, app, clientOptions) }
}

t.test('with an admin token every call needs Authorization: Bearer <token>', async (t) => {
  const { api } = setup(t, { adminToken: TOKEN })
  for (const url of ['/__mock/health', '/__mock/openapi.yaml', '/__mock/customers', '/__mock/no-such-endpoint']) {
    const missing = await api.get<ErrorAnswer>(url)
    t.equal(missing.status, 401, `${url} without a token`)
    t.match(missing.body, { code: 'BCMOCK_ADMIN_TOKEN_REQUIRED', errors: { authorization: /Authorization: Bearer/ } })
    t.equal(missing.headers['www-authenticate'], 'Bearer realm="bigcommerce-mock control API"')
  }
  for (const authorization of [
    `Bearer ${TOKEN}x`,
    `Bearer ${TOKEN.slice(0, -1)}`,
    'Bearer wrong',
    `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`,
    TOKEN,
    'Bearer ',
  ]) {
    const wrong = await api.get<ErrorAnswer>('/__mock/health', { authorization })
    t.equal(wrong.status, 401, authorization)
    const given = authorization.replace(/^\S+\s+/, '')
    if (given.length >= 8) t.notOk(wrong.text.includes(given), 'the given token is not echoed')
    t.notOk(wrong.text.includes(TOKEN), 'nor the real one')
  }
  t.match((await api.get<ErrorAnswer>('/__mock/health', { authorization: 'Bearer wrong' })).body.code, 'BCMOCK_ADMIN_TOKEN_WRONG')
  for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer   ${TOKEN}`]) {
    t.equal((await api.get('/__mock/health', { authorization })).status, 200, authorization)
  }
  const posted = await api.post('/__mock/sessions', { customer_id: DEMO.john.id }, { authorization: `Bearer ${TOKEN}` })
  t.equal(posted.status, 201, 'writes work with the token')
  t.equal((await api.post('/__mock/reset', undefined, { authorization: 'Bearer nope' })).status, 401, 'and not without')
})

t.test('the storefront itself never needs the admin token', async (t) => {
  const { app } = setup(t, { adminToken: TOKEN, host: '0.0.0.0' })
  t.ok((await signIn(app, DEMO.john.email, DEMO.john.password)).cookie)
  t.equal((await app.inject({ url: '/login.php' })).statusCode, 200)
})

t.test('a token also opens the control API on a non-loopback host', async (t) => {
  const { api } = setup(t, { adminToken: TOKEN, host: '0.0.0.0' }, { token: TOKEN })
  t.equal((await api.get('/__mock/health')).status, 200)
})

t.test('bound to a non-loopback host without a token, the control API is off and says why', async (t) => {
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.local']) {
    const { api } = setup(t, { host })
    for (const url of ['/__mock/health', '/__mock/customers', '/__mock/openapi.yaml', '/__mock/anything']) {
      const answer = await api.get<ErrorAnswer>(url)
      t.equal(answer.status, 403, `${host} ${url}`)
      t.equal(answer.body.code, 'BCMOCK_CONTROL_OFF')
      t.match(answer.body.title, new RegExp(`listens on ${host.replace(/\./g, '\\.')}, not a loopback address.*--admin-token`))
    }
    t.equal((await api.post('/__mock/reset')).status, 403)
  }
})

t.test('admin: false (--no-admin) turns the control API off, token or not', async (t) => {
  for (const options of [{ admin: false }, { admin: false, adminToken: TOKEN }]) {
    const { api } = setup(t, options, { token: TOKEN })
    const answer = await api.get<ErrorAnswer>('/__mock/health')
    t.equal(answer.status, 403)
    t.match(answer.body.title, /turned off with --no-admin/)
  }
})

t.test('loopback hosts', async (t) => {
  for (const host of [
    '127.0.0.1',
    '127.1.2.3',
    'localhost',
    'LOCALHOST',
    'app.localhost',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])
    t.ok(isLoopbackHost(host), host)
  for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', '::ffff:10.0.0.1', '[::]', 'localhost.example.com'])
    t.notOk(isLoopbackHost(host), host)
  t.equal(ControlAccess.from(resolveOptions({})).mode, 'open')
  t.equal(ControlAccess.from(resolveOptions({ host: 'localhost' })).mode, 'open')
  t.equal(ControlAccess.from(resolveOptions({ adminToken: TOKEN })).mode, 'token')
  t.equal(ControlAccess.from(resolveOptions({ host: '0.0.0.0' })).mode, 'off')
  t.equal(ControlAccess.from(resolveOptions({ admin: false })).mode, 'off')
})

t.test('the banner says whether the control API is open, guarded or off, and why', async (t) => {
  const url = 'http://127.0.0.1:3100'
  const line = (options: MockStorefrontOptions) => {
    const app = buildApp(options)
    t.teardown(() => app.close())
    return banner(url, app.mock, resolveOptions(options))
      .split('\n')
      .find((text) => text.includes('Control API'))
  }
  t.match(line({}), `Control API: ${url}/__mock, open: bound to 127.0.0.1`)
  t.match(line({}), `${url}/__mock/openapi.yaml`)
  const guarded = line({ adminToken: TOKEN })
  t.match(guarded, 'needs Authorization: Bearer <admin token>')
  t.notMatch(guarded, TOKEN, 'the token itself is never printed')
  t.match(line({ host: '0.0.0.0' }), /Control API: off, the mock listens on 0\.0\.0\.0, not a loopback address.*--admin-token/)
  t.match(line({ admin: false }), 'Control API: off, it was turned off with --no-admin')
})

t.test('--admin-token, BC_MOCK_ADMIN_TOKEN and --no-admin', async (t) => {
  t.match(parseCliChecked(['--admin-token', TOKEN], {}), { help: false, options: { adminToken: TOKEN } })
  t.match(parseCliChecked([], { BC_MOCK_ADMIN_TOKEN: TOKEN }), { help: false, options: { adminToken: TOKEN } })
  t.match(
    parseCliChecked(['--admin-token', 'from-flag'], { BC_MOCK_ADMIN_TOKEN: TOKEN }),
    { options: { adminToken: 'from-flag' } },
    'the flag wins',
  )
  t.match(parseCliChecked(['--no-admin'], {}), { options: { admin: false } })
  t.match(parseCliChecked([], { BC_MOCK_NO_ADMIN: '1' }), { options: { admin: false } })
  const request = parseCliChecked([], {})
  t.notOk(!request.help && !request.version && 'admin' in request.options, 'no flag, no opinion: the default applies')
  t.throws(() => parseCliChecked(['--admin-token', 'has space'], {}), {
    code: 'BCMOCK_INVALID_OPTION',
    message: /^--admin-token: expected a token of printable characters/,
  })
  t.throws(() => parseCliChecked(['--no-admin=yes'], {}), { code: 'BCMOCK_INVALID_FLAG' })
  try {
    parseCliChecked(['--admin-token', 'secret value'], {})
  } catch (error) {
    t.notMatch((error as Error).message, 'secret value', 'a bad token is not echoed')
  }
  t.throws(() => resolveOptions({ adminToken: '' }), { message: /adminToken: expected a token/ })
  t.throws(() => resolveOptions({ admin: 'no' as unknown as boolean }), { message: /admin: expected true or false/ })
})

t.test('open on loopback: refused to pages on other origins (DNS rebinding, cross-site POST)', async (t) => {
  const { api } = setup(t, {})
  const ok = async (headers: Record<string, string>) => (await api.get('/__mock/health', headers)).status
  t.equal(await ok({ host: '127.0.0.1:3100' }), 200)
  t.equal(await ok({ host: 'localhost:3100' }), 200)
  t.equal(await ok({ host: '[::1]:3100' }), 200)
  t.equal(
    await ok({ host: '127.0.0.1:3100', origin: 'http://127.0.0.1:3100' }),
    200,
    "the mock's own pages (and a --proxy app) may call it",
  )
  t.equal(await ok({ host: 'localhost:3100', origin: 'http://localhost:5173' }), 200, 'a dev server on this machine may too')

  const rebound = await api.get<ErrorAnswer>('/__mock/health', { host: 'evil.example:3100' })
  t.equal(rebound.status, 403, 'a Host that is not loopback: DNS rebinding')
  t.match(
    rebound.body,
    { code: 'BCMOCK_HOST_NOT_ALLOWED', title: /Host header is "evil\.example:3100"/ },
    'refused before the control API, as on every route',
  )
  const access = resolveOptions({}).controlAccess
  t.throws(
    () => access.authorize({ method: 'GET', headers: { host: 'evil.example:3100' } }),
    { code: 'BCMOCK_CONTROL_FOREIGN', message: /Host header names evil\.example:3100/ },
    'and the control API refuses it by itself too',
  )
  for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example']) {
    const crossSite = await api.post<ErrorAnswer>('/__mock/reset', undefined, { host: '127.0.0.1:3100', origin })
    t.equal(crossSite.status, 403, `Origin ${origin}`)
    t.match(crossSite.body.title, /came from a page on/)
  }
})

t.test('with a token, any Origin may call (the token is the proof); the Host rule still holds on loopback', async (t) => {
  const { api } = setup(t, { adminToken: TOKEN }, { token: TOKEN })
  t.equal((await api.get('/__mock/health', { host: '127.0.0.1:3100', origin: 'https://ci.example' })).status, 200)
  t.equal(
    (await api.get('/__mock/health', { host: 'mock.internal:3100', origin: 'https://ci.example' })).status,
    403,
    'a foreign Host on a loopback listener, as on every route',
  )
  const { api: allowed } = setup(t, { adminToken: TOKEN, allowedHosts: ['mock.internal'] }, { token: TOKEN })
  t.equal((await allowed.get('/__mock/health', { host: 'mock.internal:3100', origin: 'https://ci.example' })).status, 200, 'unless allowed')
  const { api: network } = setup(t, { adminToken: TOKEN, host: '0.0.0.0' }, { token: TOKEN })
  t.equal(
    (await network.get('/__mock/health', { host: 'mock.internal:3100', origin: 'https://ci.example' })).status,
    200,
    'and on a non-loopback listener any Host',
  )
})

t.test('--allowed-host: the control API agrees with the Host rule, for Host and Origin', async (t) => {
  const { api } = setup(t, { allowedHosts: ['mystore.test', '.example.test'] })
  const allowed: Record<string, string>[] = [
    { host: 'mystore.test:3100' },
    { host: 'MyStore.Test.' },
    { host: 'mystore.test:3100', origin: 'http://mystore.test:3100' },
    { host: 'a.example.test' },
    { host: '127.0.0.1:3100', origin: 'http://app.example.test:5173' },
  ]
  for (const headers of allowed) {
    t.equal((await api.post('/__mock/reset', undefined, headers)).status, 200, JSON.stringify(headers))
  }
  const foreign: Record<string, string>[] = [
    { host: 'other.test:3100' },
    { host: 'mystore.test.evil.example' },
    { host: '127.0.0.1:3100', origin: 'http://other.test' },
  ]
  for (const headers of foreign) {
    t.equal((await api.post('/__mock/reset', undefined, headers)).status, 403, JSON.stringify(headers))
  }
})
