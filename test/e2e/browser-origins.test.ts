// Real-browser flows across schemes, ports and sites: `https: true` (Secure; SameSite=None
// cookies), `corsOrigins` on /customer/current.jwt, and the mock's cookie warnings. Debian's
// Chromium, driven by playwright-core, against the mock on a real port; the app's page comes from
// a second local server in this file (another port, and another site or scheme where the flow
// needs one). The mock listens on 127.0.0.1 and is reached as http(s)://localhost:PORT, where
// the browser signs in first. Each failure leaves a screenshot in test-output/screenshots/.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jwtVerify } from 'jose'
import type { Page } from 'playwright-core'
import { generate } from 'selfsigned'
import t, { type Test } from 'tap'
import { startMockStorefront, type MockStorefrontOptions, type RunningMockStorefront } from '../../server/index.js'
import { chromiumReady, openBrowser, saveScreenshot, sessionCookieNames, signInWithForm, type BrowserSession } from '../helpers/chromium.js'
import { LEVEL, LogCapture, type LogLine } from '../helpers/log-capture.js'
import { DEMO } from '../helpers/storefront.js'

const APP = DEMO.hs512App
const SECRET = new TextEncoder().encode(APP.secret)
const TOKEN_PATH = `/customer/current.jwt?app_client_id=${APP.clientId}`
const SESSION_COOKIES = ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN']
/** How long `mock.close()` may take once the browser is gone before it counts as slow. */
const CLOSE_BUDGET_MS = 2000

// One certificate cache for the whole file: the first https mock generates it, the others reuse it.
const certCacheDir = mkdtempSync(join(tmpdir(), 'bc-mock-origins-certs-'))
t.teardown(() => rmSync(certCacheDir, { recursive: true, force: true }))

/**
 * The app's page: on load it fetches the token from the mock named by `?mock=` with
 * `credentials: 'include'` (or the `?credentials=` mode given), as an app's storefront script does,
 * and writes what happened into `#out`: `data-state` answered (with `data-status` and the body)
 * or rejected (with the error).
 */
const APP_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An app on another origin</title></head>
<body><h1>An app on another origin</h1><p id="out" data-state="pending">pending</p>
<script type="module">
const out = document.getElementById('out')
const query = new URLSearchParams(location.search)
const mock = query.get('mock')
try {
  const response = await fetch(mock + ${JSON.stringify(TOKEN_PATH)}, { credentials: query.get('credentials') ?? 'include' })
  const text = await response.text()
  out.dataset.status = String(response.status)
  out.dataset.fault = response.headers.get('x-mock-fault') ?? 'not readable'
  out.textContent = text
  out.dataset.state = 'answered'
} catch (error) {
  out.dataset.error = error.name
  out.textContent = error.name + ': ' + error.message
  out.dataset.state = 'rejected'
}
</script></body></html>
`

/** The second server: serves {@link APP_PAGE} at `/` on its own port, over http or https. */
interface PageServer {
  /** The page's origin as the browser is sent to it, e.g. `http://127.0.0.1:40123`. */
  origin: string
  /** The page's URL for a mock at `mockBase`; its fetch uses `credentials` (default `include`). */
  pageUrl(mockBase: string, credentials?: 'include' | 'same-origin' | 'omit'): string
}

let pageCertificate: Promise<{ cert: string; key: string }> | undefined
/** A self-signed certificate for the https page server, made once per file. */
function pageServerCertificate(): Promise<{ cert: string; key: string }> {
  pageCertificate ??= generate([{ name: 'commonName', value: 'app page (localhost)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }))
  return pageCertificate
}

async function startPageServer(t: Test, scheme: 'http' | 'https', hostname: 'localhost' | '127.0.0.1'): Promise<PageServer> {
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'GET' && new URL(request.url ?? '/', 'http://page').pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(APP_PAGE)
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    }
  }
  const server: Server = scheme === 'https' ? createHttpsServer(await pageServerCertificate(), handler) : createHttpServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const origin = `${scheme}://${hostname}:${(server.address() as AddressInfo).port}`
  return {
    origin,
    pageUrl: (mockBase, credentials) =>
      `${origin}/?mock=${encodeURIComponent(mockBase)}${credentials ? `&credentials=${credentials}` : ''}`,
  }
}

/** What an origin flow gets: the mock (logging at warn), its localhost base URL, a fresh browser, and maybe a page server. */
interface OriginFlow extends BrowserSession {
  mock: RunningMockStorefront
  /** `http://localhost:PORT` or `https://localhost:PORT`: where the browser reaches the mock. */
  mockBase: string
  /** The mock's warn lines, parsed. */
  logs: LogCapture
  /** The second server, when the flow asked for one. */
  app: PageServer | undefined
}

interface OriginFlowSetup {
  /** The app page's server: scheme and the host name the browser is sent to. */
  page?: { scheme: 'http' | 'https'; hostname: 'localhost' | '127.0.0.1' }
  /** The mock's options, given the page's origin (for `corsOrigins`). */
  mock: (pageOrigin: string | undefined) => MockStorefrontOptions
  /**
   * The browser's third-party cookie setting. Default `allow`, as Chrome ships outside incognito,
   * so only SameSite decides which cookies go; `default` leaves the fresh profile as this Chromium
   * makes it (Debian's blocks them).
   */
  thirdPartyCookies?: 'allow' | 'block' | 'default'
}

/**
 * A subtest like `browserTest`: a page server (if asked), then the mock on port 0 with a temp
 * `certCacheDir` and its warn log captured, then a fresh Chromium that accepts self-signed
 * certificates (`ignoreHTTPSErrors`, as a developer accepts the exception) and, unless told, allows
 * third-party cookies. Screenshot on failure;
 * fails when the page reached off this machine. At the end the browser is closed before the mock,
 * and the mock's `close()` is timed.
 */
function originTest(t: Test, name: string, setup: OriginFlowSetup, body: (t: Test, flow: OriginFlow) => Promise<void>): void {
  t.test(name, async (t) => {
    const app = setup.page ? await startPageServer(t, setup.page.scheme, setup.page.hostname) : undefined
    const logs = new LogCapture()
    const mock = await startMockStorefront({ certCacheDir, ...setup.mock(app?.origin), logLevel: 'warn', logStream: logs })
    let closing: Promise<number> | undefined
    const closeMock = () => (closing ??= timed(() => mock.close()))
    t.teardown(async () => void (await closeMock()))
    // Registered last, so torn down first (tap runs teardowns last-in, first-out): browser, mock, page server.
    const thirdPartyCookies = setup.thirdPartyCookies ?? 'allow'
    const session = await openBrowser(
      t,
      undefined,
      { ignoreHTTPSErrors: true },
      thirdPartyCookies === 'default' ? {} : { thirdPartyCookies },
    )
    const mockBase = `${mock.url.startsWith('https:') ? 'https' : 'http'}://localhost:${mock.port}`
    try {
      await body(t, { ...session, mock, mockBase, logs, app })
    } catch (error) {
      await saveScreenshot(t, session.page, name)
      throw error
    }
    t.same(session.offMachine, [], 'the page loaded nothing from off this machine')
    if (!t.passing()) await saveScreenshot(t, session.page, name)

    // The browser first (its idle keep-alive or preconnect sockets go with it), then the mock.
    await session.context.close()
    const closeMs = await Promise.race([closeMock(), new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 10_000).unref())])
    t.comment(`mock.close() took ${Number.isFinite(closeMs) ? `${Math.round(closeMs)} ms` : 'over 10 s'}`)
    t.ok(closeMs < CLOSE_BUDGET_MS, `mock.close() is done within ${CLOSE_BUDGET_MS} ms of the browser closing`, { closeMs })
  })
}

async function timed(action: () => Promise<void>): Promise<number> {
  const start = performance.now()
  await action()
  return performance.now() - start
}

/** What the app page's fetch came to. */
interface FetchOutcome {
  state: 'answered' | 'rejected'
  status: number | undefined
  error: string | undefined
  /** The `X-Mock-Fault` header as the page could read it, or `not readable`. */
  fault: string | undefined
  text: string
}

async function appFetchOutcome(page: Page): Promise<FetchOutcome> {
  const out = page.locator('#out')
  await page.waitForSelector('#out:not([data-state=pending])')
  const state = await out.getAttribute('data-state')
  if (state !== 'answered' && state !== 'rejected') throw new Error(`unexpected #out state ${String(state)}`)
  const status = await out.getAttribute('data-status')
  return {
    state,
    status: status === null ? undefined : Number(status),
    error: (await out.getAttribute('data-error')) ?? undefined,
    fault: (await out.getAttribute('data-fault')) ?? undefined,
    text: (await out.innerText()).trim(),
  }
}

/** The token verifies with the app's secret (HS512) and is John's. */
async function verifyJohnsToken(t: Test, token: string): Promise<void> {
  const { payload, protectedHeader } = await jwtVerify(token.trim(), SECRET, { algorithms: ['HS512'], audience: APP.clientId })
  t.equal(protectedHeader.alg, 'HS512')
  t.match(payload, { customer: { id: DEMO.john.id, email: DEMO.john.email } }, "the token verifies with the app's secret and is John's")
}

/** The mock's `cookies:` warn lines with this cause. */
function warnings(logs: LogCapture, cause: string): LogLine[] {
  return logs.find('cookies:').filter((line) => line.cause === cause && line.level === LEVEL.warn)
}

/** Wait until the mock has recorded `count` token requests; answers them. */
async function tokenRequests(mock: RunningMockStorefront, count: number): Promise<ReturnType<RunningMockStorefront['requests']>> {
  const deadline = Date.now() + 5000
  for (;;) {
    const found = mock.requests().filter((entry) => entry.path.startsWith('/customer/current.jwt'))
    if (found.length >= count || Date.now() > deadline) return found
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A page server on another port of localhost over http, and a mock that lists its origin. */
const LISTED_PAGE_ON_ANOTHER_PORT: OriginFlowSetup = {
  page: { scheme: 'http', hostname: 'localhost' },
  mock: (origin) => ({ corsOrigins: [origin ?? ''] }),
}

if (chromiumReady(t)) {
  originTest(
    t,
    'origins 1: over https the form sign-in sets Secure; SameSite=None; HttpOnly session cookies and the page gets the token',
    { mock: () => ({ https: true }) },
    async (t, { page, context, mock, mockBase, logs }) => {
      t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/)
      t.ok(mock.tls?.certFile?.startsWith(certCacheDir), 'the certificate is kept in the temp certCacheDir')
      t.match(mock.tls?.names, ['localhost', '127.0.0.1', '::1'])
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      const answer = await page.evaluate(async (path) => {
        const response = await fetch(path, { credentials: 'include' })
        return { status: response.status, text: await response.text() }
      }, TOKEN_PATH)
      t.match(answer, { status: 200 }, 'the same-origin fetch is answered 200')
      await verifyJohnsToken(t, answer.text)

      const cookies = (await context.cookies(mockBase)).filter((cookie) => SESSION_COOKIES.includes(cookie.name))
      t.same(cookies.map((cookie) => cookie.name).sort(), [...SESSION_COOKIES].sort(), 'both session cookies are set')
      for (const cookie of cookies)
        t.match(
          cookie,
          { secure: true, sameSite: 'None', httpOnly: true, path: '/', domain: 'localhost' },
          `${cookie.name} has production attributes`,
        )
      t.same(logs.find('cookies:'), [], 'no cookie warning for a same-origin page')
    },
  )

  originTest(
    t,
    'origins 2: a listed origin on another port of localhost reads the token with credentials (Lax cookies are same-site)',
    LISTED_PAGE_ON_ANOTHER_PORT,
    async (t, { page, context, mock, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      for (const cookie of (await context.cookies(mockBase)).filter((cookie) => SESSION_COOKIES.includes(cookie.name))) {
        t.match(cookie, { secure: false, sameSite: 'Lax', httpOnly: true, path: '/' }, `${cookie.name} is Lax over http`)
      }
      await page.goto(app.pageUrl(mockBase))
      const outcome = await appFetchOutcome(page)
      t.match(outcome, { state: 'answered', status: 200 }, 'the cross-origin fetch is answered 200 and the page reads it')
      await verifyJohnsToken(t, outcome.text)
      t.match(await tokenRequests(mock, 1), [{ status: 200, customerId: DEMO.john.id, outcome: 'ok' }])
      t.same(logs.find('cookies:'), [], 'no cookie warning')
    },
  )

  originTest(
    t,
    "origins 2b: the same listed page fetching without credentials: 'include' is a guest (404), and the mock says why",
    LISTED_PAGE_ON_ANOTHER_PORT,
    async (t, { page, context, mock, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      await page.goto(app.pageUrl(mockBase, 'same-origin'))
      t.match(await appFetchOutcome(page), { state: 'answered', status: 404 }, 'the page reads a 404: the customer looks signed out')
      const [request] = await tokenRequests(mock, 1)
      t.match(request, { status: 404, customerId: undefined, hint: /\bcredentials_omitted: / }, 'the request log says why')
      t.same(
        await sessionCookieNames(context, mockBase),
        SESSION_COOKIES,
        'the browser still holds the cookies; the call did not ask for them',
      )
      const lines = warnings(logs, 'credentials_omitted')
      t.equal(lines.length, 1)
      t.match(lines[0]?.msg, `a page on ${app.origin} (the same site, another origin) called the mock without the session cookies`)
      t.match(lines[0]?.msg, "credentials: 'include'")
      t.same(
        logs.find('cookies:').map((line) => line.cause),
        ['credentials_omitted'],
        'and no other cookie warning',
      )
    },
  )

  originTest(
    t,
    'origins 2c: a listed page reads which fault answered (X-Mock-Fault is exposed to it)',
    {
      page: { scheme: 'http', hostname: 'localhost' },
      mock: (origin) => ({ corsOrigins: [origin ?? ''], faults: [{ route: 'current-customer', effect: 'status', status: 503 }] }),
    },
    async (t, { page, mockBase, app }) => {
      if (!app) throw new Error('no page server')
      await page.goto(app.pageUrl(mockBase))
      t.match(
        await appFetchOutcome(page),
        { state: 'answered', status: 503, fault: /^f\d+ status$/ },
        "the page reads the fault's 503 and its X-Mock-Fault header",
      )
    },
  )

  originTest(
    t,
    'origins 3: without corsOrigins the page cannot read the token, and the mock warns once, naming --cors-origin',
    { page: { scheme: 'http', hostname: 'localhost' }, mock: () => ({}) },
    async (t, { page, mock, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      await page.goto(app.pageUrl(mockBase))
      t.match(await appFetchOutcome(page), { state: 'rejected', error: 'TypeError' }, 'the fetch rejects: CORS')
      await page.reload()
      t.match(await appFetchOutcome(page), { state: 'rejected', error: 'TypeError' }, 'and again')

      // Both requests reached the mock with the cookies (the token was issued; the browser hid it).
      const requests = await tokenRequests(mock, 2)
      t.match(requests, [
        { status: 200, customerId: DEMO.john.id, hint: /^cors_not_listed: / },
        { status: 200, customerId: DEMO.john.id, hint: /^cors_not_listed: / },
      ])
      const lines = warnings(logs, 'cors_not_listed')
      t.equal(lines.length, 1, 'one cors_not_listed warn line for two fetches')
      t.match(lines[0]?.msg, `--cors-origin ${app.origin}`)
      t.match(lines[0]?.msg, `a page on ${app.origin} fetched /customer/current.jwt`)
      t.same(
        logs.find('cookies:').map((line) => line.cause),
        ['cors_not_listed'],
        'and no other cookie warning',
      )
    },
  )

  originTest(
    t,
    'origins 4: over https a page on another site (127.0.0.1) reads the token with credentials: SameSite=None cookies are sent',
    { page: { scheme: 'http', hostname: '127.0.0.1' }, mock: (origin) => ({ https: true, corsOrigins: [origin ?? ''] }) },
    async (t, { page, mock, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      await page.goto(app.pageUrl(mockBase))
      const outcome = await appFetchOutcome(page)
      t.match(outcome, { state: 'answered', status: 200 }, 'the cross-origin fetch is answered 200 and the page reads it')
      await verifyJohnsToken(t, outcome.text)
      t.match(await tokenRequests(mock, 1), [{ status: 200, customerId: DEMO.john.id, outcome: 'ok' }])
      t.same(logs.find('cookies:'), [], 'no cookie warning over https')
    },
  )

  originTest(
    t,
    'origins 4b: the same cross-site https fetch from a browser that blocks third-party cookies is a guest (404)',
    {
      page: { scheme: 'http', hostname: '127.0.0.1' },
      mock: (origin) => ({ https: true, corsOrigins: [origin ?? ''] }),
      thirdPartyCookies: 'block',
    },
    async (t, { page, context, mock, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      await page.goto(app.pageUrl(mockBase))
      const outcome = await appFetchOutcome(page)
      t.match(outcome, { state: 'answered', status: 404 }, 'SameSite=None is not enough when the browser blocks third-party cookies')
      const [request] = await tokenRequests(mock, 1)
      t.match(request, { status: 404, customerId: undefined })
      t.same(await sessionCookieNames(context, mockBase), SESSION_COOKIES, 'the browser still holds the cookies; it did not send them')
      t.match(request, { hint: /\bthird_party_blocked: / }, 'the request log says why')
      t.same(
        logs.find('cookies:').map((line) => line.cause),
        ['third_party_blocked'],
        'one warning, naming the cause',
      )
      t.match(logs.find('cookies:')[0]?.msg, /blocks third-party cookies/)
    },
  )

  originTest(
    t,
    "origins 4c: a fresh profile left at this Chromium's default blocks third-party cookies too: the cross-site https fetch is a guest",
    {
      page: { scheme: 'http', hostname: '127.0.0.1' },
      mock: (origin) => ({ https: true, corsOrigins: [origin ?? ''] }),
      thirdPartyCookies: 'default',
    },
    async (t, { page, mock, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      await page.goto(app.pageUrl(mockBase))
      t.match(await appFetchOutcome(page), { state: 'answered', status: 404 }, 'what docs/https-cookies-cors.md says of the default')
      t.match(await tokenRequests(mock, 1), [{ status: 404, hint: /\bthird_party_blocked: / }])
      t.same(
        logs.find('cookies:').map((line) => line.cause),
        ['third_party_blocked'],
      )
    },
  )

  originTest(
    t,
    "origins 4d: the same-site setup works at this Chromium's default: a page on localhost:PORT reads the token from the mock on localhost",
    { page: { scheme: 'http', hostname: 'localhost' }, mock: (origin) => ({ corsOrigins: [origin ?? ''] }), thirdPartyCookies: 'default' },
    async (t, { page, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      await page.goto(app.pageUrl(mockBase))
      const outcome = await appFetchOutcome(page)
      t.match(outcome, { state: 'answered', status: 200 }, 'same site: no third-party cookie involved')
      await verifyJohnsToken(t, outcome.text)
      t.same(logs.find('cookies:'), [], 'no cookie warning')
    },
  )

  originTest(
    t,
    'origins 5: over http a page on another site (127.0.0.1) gets 404, the Lax cookies stay behind, and the mock warns cross_site naming --https',
    { page: { scheme: 'http', hostname: '127.0.0.1' }, mock: (origin) => ({ corsOrigins: [origin ?? ''] }) },
    async (t, { page, mock, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      await page.goto(app.pageUrl(mockBase))
      const outcome = await appFetchOutcome(page)
      t.match(outcome, { state: 'answered', status: 404 }, 'the listed origin reads the answer: 404, a guest')
      t.match(await tokenRequests(mock, 1), [{ status: 404, customerId: undefined, hint: /\bcross_site: / }])
      const lines = warnings(logs, 'cross_site')
      t.equal(lines.length, 1, 'one cross_site warn line')
      t.match(lines[0]?.msg, `a page on ${app.origin}`)
      t.match(lines[0]?.msg, `--https --cors-origin ${app.origin}`)
    },
  )

  originTest(
    t,
    'origins 6: an https page calling the http mock: the mock warns https_page naming --https',
    { page: { scheme: 'https', hostname: 'localhost' }, mock: (origin) => ({ corsOrigins: [origin ?? ''] }) },
    async (t, { page, mock, mockBase, logs, app }) => {
      if (!app) throw new Error('no page server')
      await signInWithForm(page, mockBase, DEMO.john.email, DEMO.john.password)
      await page.goto(app.pageUrl(mockBase))
      const outcome = await appFetchOutcome(page)
      t.match(
        outcome,
        { state: 'answered', status: 404 },
        "the https page's fetch reaches the mock (http://localhost is trustworthy, not mixed content) without the Lax cookies: 404",
      )
      t.match(await tokenRequests(mock, 1), [{ status: 404, customerId: undefined, hint: /\bhttps_page: / }])
      const lines = warnings(logs, 'https_page')
      t.equal(lines.length, 1, 'one https_page warn line')
      t.match(lines[0]?.msg, `a page on ${app.origin} called the mock over plain http`)
      t.match(lines[0]?.msg, `--https (and --cors-origin ${app.origin})`)
    },
  )
}
