// The mock says why a browser dropped the session cookies: one warn line per cause, naming the
// flag that fixes it, and the cause in the request log's hint on every such request.
import t from 'tap'
import { buildApp, ERRORS, type MockStorefrontOptions } from '../../server/index.js'
import { LEVEL, LogCapture } from '../helpers/log-capture.js'
import { DEMO } from '../helpers/storefront.js'
import { cookieHeaderOf, postLogin, setCookieLines } from '../helpers/session.js'

const TOKEN_URL = `/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`

function mock(options: MockStorefrontOptions = {}) {
  const logs = new LogCapture()
  const app = buildApp({ logLevel: 'info', logStream: logs, ...options })
  t.teardown(() => app.close())
  const warnings = (cause: string) => logs.lines.filter((line) => line.level === LEVEL.warn && line.cause === cause)
  const allWarnings = () => logs.lines.filter((line) => line.level === LEVEL.warn && typeof line.cause === 'string')
  return { app, logs, warnings, allWarnings }
}

async function signIn(app: ReturnType<typeof buildApp>, host: string): Promise<string> {
  const response = await postLogin(app, { login_email: DEMO.john.email, login_pass: DEMO.john.password }, { host })
  t.equal(response.statusCode, 302)
  return cookieHeaderOf(setCookieLines(response))
}

t.test('https_page: a page on https calls the plain-http mock', async (t) => {
  const { app, warnings } = mock()
  for (let i = 0; i < 3; i++) await app.inject({ url: '/login.php', headers: { host: 'localhost:3100', origin: 'https://localhost:5173' } })
  const lines = warnings('https_page')
  t.equal(lines.length, 1, 'logged once, however often it happens')
  t.match(lines[0]?.msg, /https:\/\/localhost:5173.*plain http.*SameSite=Lax.*--https/)
  const recorded = await app.inject({ url: '/__mock/requests' })
  const entries = (JSON.parse(recorded.body) as { requests: { hint: string | null }[] }).requests
  t.equal(entries.filter((entry) => entry.hint?.includes('https_page:')).length, 3, 'every such request carries the cause as its hint')
})

t.test('cross_site: a page on another site calls the plain-http mock', async (t) => {
  // shop.example.test is allowed: the mock answers that Host, so the warnings see it.
  const { app, warnings, allWarnings } = mock({ allowedHosts: ['shop.example.test'] })
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: 'http://localhost:5173' } })
  await app.inject({
    method: 'POST',
    url: '/login.php?action=check_login',
    headers: { host: 'localhost:3100', origin: 'http://localhost:3100', 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'login_email=x&login_pass=y',
  })
  t.same(warnings('cross_site'), [], 'the same host on another port is the same site: Lax cookies go')
  t.same(warnings('https_page'), [])

  for (const origin of ['http://127.0.0.1:5173', 'http://app.example.test'])
    await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin } })
  t.equal(
    (await app.inject({ url: '/account.php', headers: { host: 'shop.example.test:3100', origin: 'http://admin.example.test' } }))
      .statusCode,
    302,
    'answered: a guest is sent to sign in',
  )
  const lines = warnings('cross_site')
  t.equal(lines.length, 1, 'once per cause')
  t.match(lines[0]?.msg, /http:\/\/127\.0\.0\.1:5173 \(another site than localhost\).*--https --cors-origin http:\/\/127\.0\.0\.1:5173/)
  t.ok(
    allWarnings().every((line) => line.cause !== 'cross_site' || !/example\.test/.test(String(line.msg))),
    'subdomains of one site are the same site',
  )
})

t.test('over https neither cause applies: SameSite=None cookies go cross-site', async (t) => {
  const { app, allWarnings } = mock({ https: true, corsOrigins: ['http://127.0.0.1:5173', 'https://localhost:5173'] })
  for (const origin of ['http://127.0.0.1:5173', 'https://localhost:5173'])
    await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin } })
  t.same(
    allWarnings().map((line) => line.cause),
    [],
  )
})

t.test('other_host: cookies set on one host name, a request without them to another', async (t) => {
  const { app, warnings } = mock()
  const cookie = await signIn(app, 'localhost:3100')
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:4000', cookie } })
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100' } })
  t.same(warnings('other_host'), [], 'the same host name (any port), or a signed-out request there, is no cause')
  await app.inject({ url: TOKEN_URL, headers: { host: '127.0.0.1:3100' } })
  await app.inject({ url: '/account.php', headers: { host: '127.0.0.1:3100' } })
  const lines = warnings('other_host')
  t.equal(lines.length, 1)
  t.match(lines[0]?.msg, /host 127\.0\.0\.1 without session cookies, but they were set on localhost.*--host/)
  await app.inject({ url: TOKEN_URL, headers: { host: '127.0.0.1:3100', cookie } })
  t.equal(warnings('other_host').length, 1, 'a request that brings its cookies is fine wherever it goes')
})

t.test('cors_not_listed: a page on another origin fetches the token, once per origin', async (t) => {
  const { app, warnings } = mock({ corsOrigins: ['http://localhost:5173'] })
  const cookie = await signIn(app, 'localhost:3100')
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', cookie, origin: 'http://localhost:5173' } })
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', cookie, origin: 'http://localhost:3100' } })
  t.same(warnings('cors_not_listed'), [], "a listed origin, or the mock's own, is no cause")
  for (let i = 0; i < 2; i++) {
    await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', cookie, origin: 'http://localhost:5174' } })
    await app.inject({
      method: 'OPTIONS',
      url: TOKEN_URL,
      headers: { host: 'localhost:3100', origin: 'http://localhost:5175', 'access-control-request-method': 'GET' },
    })
  }
  const lines = warnings('cors_not_listed')
  t.equal(lines.length, 2, 'one line per origin')
  t.match(
    lines[0]?.msg,
    /http:\/\/localhost:5174 fetched \/customer\/current\.jwt.*the listed ones are http:\/\/localhost:5173.*--cors-origin http:\/\/localhost:5174/,
  )
  t.match(lines[1]?.msg, /http:\/\/localhost:5175/)
  await app.inject({ url: '/login.php', headers: { host: 'localhost:3100', origin: 'http://localhost:5176' } })
  t.equal(warnings('cors_not_listed').length, 2, 'only the token route has CORS to miss')
  const entries = (
    JSON.parse((await app.inject({ url: '/__mock/requests' })).body) as {
      requests: { method: string; outcome: string | null; hint: string | null }[]
    }
  ).requests
  const preflights = entries.filter((entry) => entry.method === 'OPTIONS')
  t.equal(preflights.length, 2)
  for (const entry of preflights) {
    t.equal(entry.outcome, ERRORS.corsOriginNotListed.code, 'the preflight was refused')
    t.equal(
      entry.hint?.split('Start the mock with --cors-origin http://localhost:5175').length,
      2,
      'its hint says the fix once: the refusal, not the warning again',
    )
  }
})

t.test('without --cors-origin, the warning says none is listed', async (t) => {
  const { app, warnings } = mock()
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: 'http://localhost:5173' } })
  t.match(warnings('cors_not_listed')[0]?.msg, /not a --cors-origin \(none is listed\)/)
})

t.test('warnings name no cookie value, session id or token', async (t) => {
  const { app, logs } = mock()
  const cookie = await signIn(app, 'localhost:3100')
  const token = (await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', cookie } })).body
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', cookie, origin: 'https://localhost:5173' } })
  await app.inject({ url: TOKEN_URL, headers: { host: '127.0.0.1:3100', origin: 'http://localhost:9' } })
  const text = JSON.stringify(logs.lines)
  for (const secret of [...cookie.split('; ').map((pair) => pair.split('=')[1] ?? ''), token])
    t.notOk(text.includes(secret), 'a secret stays out of the log')
})

t.test('third_party_blocked: over https, a cross-site page arrives without the cookies set on this host', async (t) => {
  const { app, warnings } = mock({ https: true, corsOrigins: ['http://127.0.0.1:5173'] })
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: 'http://127.0.0.1:5173' } })
  t.same(warnings('third_party_blocked'), [], 'no cookies were ever set here: nothing to have been blocked')
  const cookie = await signIn(app, 'localhost:3100')
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: 'http://127.0.0.1:5173', cookie } })
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: 'https://localhost:5173' } })
  t.same(warnings('third_party_blocked'), [], 'cookies that arrive, or a same-site page, are no cause')
  for (let i = 0; i < 2; i++) await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: 'http://127.0.0.1:5173' } })
  const lines = warnings('third_party_blocked')
  t.equal(lines.length, 1)
  t.match(lines[0]?.msg, /http:\/\/127\.0\.0\.1:5173 \(another site\).*set on localhost.*blocks third-party cookies/)
})

t.test('credentials_omitted: a page on the same site, another port, calls without asking for the cookies', async (t) => {
  for (const mode of [
    { https: false, page: 'http://localhost:3001' },
    { https: true, page: 'https://localhost:5173' },
  ]) {
    const { app, warnings, allWarnings } = mock({ https: mode.https, corsOrigins: [mode.page] })
    await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: mode.page } })
    t.same(warnings('credentials_omitted'), [], `${mode.page}: no cookies were ever set here, so none were left out`)
    const cookie = await signIn(app, 'localhost:3100')
    await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: mode.page, cookie } })
    await app.inject({
      method: 'POST',
      url: '/login.php?action=check_login',
      headers: {
        host: 'localhost:3100',
        origin: `${mode.https ? 'https' : 'http'}://localhost:3100`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'login_email=x&login_pass=y',
    })
    t.same(allWarnings(), [], `${mode.page}: a call that brings the cookies, or one from the mock's own origin, is no cause`)

    for (let i = 0; i < 2; i++) {
      const answer = await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: mode.page } })
      t.equal(answer.statusCode, 404, 'the customer looks signed out')
    }
    const lines = warnings('credentials_omitted')
    t.equal(lines.length, 1, `${mode.page}: once`)
    t.match(
      lines[0]?.msg,
      new RegExp(
        `a page on ${mode.page.replace(/[/.]/g, '\\$&')} \\(the same site, another origin\\) called the mock without the session cookies, though they were set on localhost.*credentials: 'include'.*withCredentials`,
      ),
    )
    t.same(
      allWarnings().map((line) => line.cause),
      ['credentials_omitted'],
      'and no other cause: the cookies would have gone',
    )
    const entries = (
      JSON.parse((await app.inject({ url: '/__mock/requests' })).body) as { requests: { status: number; hint: string | null }[] }
    ).requests
    t.equal(
      entries.filter((entry) => entry.status === 404 && entry.hint?.includes('credentials_omitted:') === true).length,
      2,
      'both refusals carry the cause in the request log',
    )
  }
})

t.test('warnings are remembered per cause: 64+ unlisted origins cannot silence a later https_page', async (t) => {
  const { app, warnings } = mock()
  for (let port = 6000; port < 6070; port++)
    await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: `http://localhost:${port}` } })
  t.equal(warnings('cors_not_listed').length, 70, 'one line per origin, each new origin too')
  for (let i = 0; i < 3; i++) await app.inject({ url: '/login.php', headers: { host: 'localhost:3100', origin: 'https://localhost:5173' } })
  t.equal(warnings('https_page').length, 1, 'another cause is still logged, once')
  await app.inject({ url: TOKEN_URL, headers: { host: 'localhost:3100', origin: 'http://localhost:6069' } })
  t.equal(warnings('cors_not_listed').length, 70, 'a recent origin is not logged again')
})

t.test('the hosts cookies were set on: the most recent are kept, and refused Hosts never get there', async (t) => {
  const page = (host: string) => `http://${host}:5173`
  const omitted = async (app: ReturnType<typeof buildApp>, host: string) => {
    await app.inject({ url: TOKEN_URL, headers: { host: `${host}:3100`, origin: page(host) } })
  }

  // Sign-ins with chosen Hosts: on a loopback listener each is refused before any cookie is set.
  const refused = mock()
  for (let i = 0; i < 20; i++) {
    const answer = await refused.app.inject({
      method: 'POST',
      url: '/login.php?action=check_login',
      headers: { host: `h${i}.evil.example:3100`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString(),
    })
    t.equal(answer.statusCode, 403, 'refused')
  }
  await signIn(refused.app, 'localhost:3100')
  await omitted(refused.app, 'localhost')
  t.equal(refused.warnings('credentials_omitted').length, 1, 'the real host was recorded: the warning knows the cookies are there')
  t.same(refused.warnings('other_host'), [])

  // Sign-ins on more names than are kept (every *.localhost name is this machine's): the newest wins a place.
  const many = mock()
  for (let i = 0; i < 17; i++) await signIn(many.app, `h${i}.localhost:3100`)
  await omitted(many.app, 'h16.localhost')
  t.equal(many.warnings('credentials_omitted').length, 1, 'the 17th host was recorded, the oldest forgotten')
  const entries = (
    JSON.parse((await many.app.inject({ url: '/__mock/requests' })).body) as { requests: { path: string; hint: string | null }[] }
  ).requests
  t.match(entries.at(-1), { path: TOKEN_URL, hint: / credentials_omitted: / }, 'and the request to it is not said to be on another host')
  t.notMatch(entries.at(-1)?.hint, /other_host/)
})
