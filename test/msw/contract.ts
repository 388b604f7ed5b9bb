// One set of rules, two adapters: the same storefront scenarios through the server
// (`app.inject()`) and through the MSW handlers (msw's `getResponse`), asserting equal statuses,
// the headers that matter, bodies, token claims and request log entries. Run by
// contract.test.ts (msw 3) and contract-msw2.test.ts (msw 2, the same file with `msw` resolved to
// the `msw2` alias).
import { createHmac } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { getResponse } from 'msw'
import type { Test } from 'tap'
import { buildApp } from '../../server/build-app.js'
import { storeControls, type StoreControls } from '../../server/domain/store-controls.js'
import type { Store } from '../../server/domain/store.js'
import { createMockStorefrontHandlers } from '../../server/msw/index.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_480_831_863

/** What the scenarios compare of an answer. */
interface Answer {
  status: number
  location: string | undefined
  cacheControl: string | undefined
  contentType: string | undefined
  fault: string | undefined
  /** Each Set-Cookie line without its value: name and attributes. */
  setCookies: string[]
  /** The cookie pair to send next, from the Set-Cookie lines (values included). */
  cookie: string | undefined
  body: string
}

/** One adapter under test. */
interface Adapter {
  name: string
  send(request: { method?: string; url: string; headers?: Record<string, string>; body?: string }): Promise<Answer | 'unanswered'>
  controls: StoreControls
  store: Store
}

type Options = Parameters<typeof buildApp>[0] & Parameters<typeof createMockStorefrontHandlers>[0]

/** The server, through `app.inject()`. */
function serverAdapter(t: Test, options: Options): Adapter {
  const app = buildApp(options)
  t.teardown(() => app.close())
  return {
    name: 'server',
    store: app.mock,
    controls: storeControls(app.mock),
    send: async ({ method = 'GET', url, headers = {}, body }) => {
      try {
        const response = await app.inject({ method: method as 'GET', url, headers, ...(body !== undefined && { payload: body }) })
        const raw = response.headers['set-cookie']
        return answer(
          response.statusCode,
          (name) => {
            const value = response.headers[name]
            return value === undefined ? undefined : String(value)
          },
          raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
          response.body,
        )
      } catch {
        return 'unanswered'
      }
    },
  }
}

/** The MSW handlers, through msw's `getResponse`. */
function mswAdapter(options: Options): Adapter {
  const { handlers, storefront } = createMockStorefrontHandlers({
    ...(options?.now !== undefined && { now: options.now }),
    ...(options?.sessionTtl !== undefined && { sessionTtl: options.sessionTtl }),
  })
  return {
    name: 'msw',
    store: storefront.store,
    controls: storeControls(storefront.store),
    send: async ({ method = 'GET', url, headers = {}, body }) => {
      const response = await getResponse(handlers, new Request(`http://shop.test${url}`, { method, headers, body: body ?? null }))
      if (!response) throw new Error(`no handler answered ${method} ${url}`)
      if (response.type === 'error') return 'unanswered'
      return answer(
        response.status,
        (name) => response.headers.get(name) ?? undefined,
        response.headers.getSetCookie(),
        await response.text(),
      )
    },
  }
}

function answer(status: number, header: (name: string) => string | undefined, setCookieLines: string[], body: string): Answer {
  const pairs = setCookieLines.map((line) => line.split(';')[0] ?? '').filter((pair) => /^SHOP_(SESSION_)?TOKEN=./.test(pair))
  return {
    status,
    location: header('location'),
    cacheControl: header('cache-control'),
    contentType: header('content-type'),
    fault: header('x-mock-fault'),
    setCookies: setCookieLines.map((line) => line.replace(/^([^=]+)=[^;]*/, '$1=…')).sort(),
    cookie: pairs.length === 2 ? pairs.join('; ') : undefined,
    body,
  }
}

/** A Customer Login token, signed by the test as an app backend would (the same bytes for both adapters). */
function customerLoginToken(claims: Record<string, unknown>, options: { secret?: string; header?: Record<string, unknown> } = {}): string {
  const payload = {
    iss: DEMO.hs512App.clientId,
    iat: NOW,
    jti: 'jti-1',
    operation: 'customer_login',
    store_hash: DEMO.storeHash,
    customer_id: DEMO.john.id,
    ...claims,
  }
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${encode({ alg: 'HS256', typ: 'JWT', ...options.header })}.${encode(payload)}`
  return `${input}.${createHmac('sha256', options.secret ?? DEMO.hs512App.secret)
    .update(input)
    .digest('base64url')}`
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const signInBody = (email: string, password: string) =>
  `login_email=${encodeURIComponent(email)}&login_pass=${encodeURIComponent(password)}`
const tokenUrl = (clientId: string = DEMO.hs512App.clientId) => `/customer/current.jwt?app_client_id=${clientId}`

/** A step of a scenario: what it sends, given what the adapter answered before. */
type Step = (adapter: Adapter, state: { cookie: string | undefined }) => Promise<Answer | 'unanswered'>

const send =
  (request: { method?: string; url: string; headers?: Record<string, string>; body?: string }, withCookie = true): Step =>
  (adapter, state) =>
    adapter.send({ ...request, headers: { ...request.headers, ...(withCookie && state.cookie !== undefined && { cookie: state.cookie }) } })

const signIn = (email: string = DEMO.john.email, password: string = DEMO.john.password): Step =>
  send({ method: 'POST', url: '/login.php?action=check_login', headers: FORM, body: signInBody(email, password) })

const act =
  (change: (adapter: Adapter) => void | Promise<void>, then: Step): Step =>
  async (adapter, state) => {
    await change(adapter)
    return then(adapter, state)
  }

/** The scenarios: a name and its steps; every step's answer and request log entry must be equal. */
const SCENARIOS: Record<string, Step[]> = {
  'guest token: 404 with errors': [send({ url: tokenUrl() })],
  'missing, empty and repeated app_client_id: 400 naming it': [
    send({ url: '/customer/current.jwt' }),
    send({ url: '/customer/current.jwt?app_client_id=' }),
    send({ url: `${tokenUrl()}&app_client_id=x` }),
  ],
  'unknown app: 400 naming app_client_id': [signIn(), send({ url: tokenUrl('no-such-app') })],
  'form sign-in, then the token as text and as JSON': [
    signIn(),
    send({ url: tokenUrl() }),
    send({ url: tokenUrl(DEMO.hs256App.clientId), headers: { accept: 'application/json, text/plain, */*' } }),
    send({ url: tokenUrl(), headers: { accept: 'text/plain;q=0.5, application/json' } }),
  ],
  'sign-in refusals: wrong password, empty field, wrong action': [
    signIn(DEMO.john.email, 'wrong'),
    signIn(DEMO.john.email, ''),
    send({ method: 'POST', url: '/login.php?action=other', headers: FORM, body: signInBody(DEMO.john.email, DEMO.john.password) }),
  ],
  'logout ends the session': [signIn(), send({ url: '/login.php?action=logout' }), send({ url: tokenUrl() })],
  'clock moves: the token follows, an idle session ends': [
    signIn(),
    act((adapter) => adapter.controls.clock.advance(600), send({ url: tokenUrl() })),
    act((adapter) => adapter.controls.clock.set(NOW + 86_400 * 3), send({ url: tokenUrl() })),
  ],
  'Customer Login: a valid token lands on redirect_to, then the token is the customer’s': [
    send({ url: `/login/token/${customerLoginToken({ redirect_to: '/cart.php?x=1' })}` }),
    send({ url: tokenUrl() }),
    send({ url: `/login/token/${customerLoginToken({ redirect_to: '/cart.php?x=1' })}` }),
  ],
  'Customer Login: each rule refuses with its redirect': [
    send({ url: '/login/token/not-a-jwt' }),
    send({ url: `/login/token/${customerLoginToken({}, { header: { typ: 'at+jwt' } })}` }),
    send({
      url: `/login/token/${jwt.sign({ iss: DEMO.hs512App.clientId, iat: NOW, jti: 'a' }, DEMO.hs512App.secret, { algorithm: 'HS384', noTimestamp: true })}`,
    }),
    send({ url: `/login/token/${customerLoginToken({ iss: 'nobody' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'sig' }, { secret: 'another-secret' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'exp', exp: NOW - 60 })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'nbf', nbf: NOW + 60 })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'stale', iat: NOW - 31 })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'future', iat: NOW + 60 })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'iat', iat: 'now' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: undefined })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'op', operation: 'current_customer' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'hash', store_hash: 'xyz789' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'customer', customer_id: 999_999 })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'channel', channel_id: 0 })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'channel-2', channel_id: 2 })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'cart', enable_persistent_cart: 'yes' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'ip', request_ip: '10.0.0.1' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'ip-ok', request_ip: '::ffff:127.0.0.1', redirect_url: '/x' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'redirect', redirect_to: '//evil.example' })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'crit' }, { header: { crit: ['exp'] } })}` }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'hinted', redirect_url: '/x', store_hash: 'nope' })}` }),
  ],
  'Customer Login: impersonator_id is recorded, and redirect_to the logout signs the shopper out': [
    send({ url: `/login/token/${customerLoginToken({ jti: 'staff', impersonator_id: 42 })}` }),
    send({ url: tokenUrl() }),
    send({ url: `/login/token/${customerLoginToken({ jti: 'bye', redirect_to: '/login.php?action=logout' })}` }),
    send({ url: tokenUrl() }),
  ],
  'faults: status, delay, reset and the token shapes': [
    signIn(),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'current-customer', effect: 'status', status: 503, times: 1 }),
      send({ url: tokenUrl() }),
    ),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'current-customer', effect: 'delay', delay_ms: 20, times: 1 }),
      send({ url: tokenUrl() }),
    ),
    act((adapter) => void adapter.controls.faults.add({ route: 'current-customer', effect: 'reset', times: 1 }), send({ url: tokenUrl() })),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'current-customer', effect: 'expired-token', times: 1 }),
      send({ url: tokenUrl() }),
    ),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'current-customer', effect: 'wrong-secret', times: 1 }),
      send({ url: tokenUrl() }),
    ),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'current-customer', effect: 'wrong-algorithm', times: 1 }),
      send({ url: tokenUrl() }),
    ),
    act((adapter) => void adapter.controls.faults.add({ route: 'sign-in', effect: 'status', times: 1 }), signIn()),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'customer-login', effect: 'refuse', times: 1 }),
      send({ url: `/login/token/${customerLoginToken({ jti: 'refused' })}` }),
    ),
    act(
      (adapter) => void adapter.controls.faults.add({ route: 'current-customer', effect: 'signed-out', times: 1 }),
      send({ url: tokenUrl() }),
    ),
    send({ url: tokenUrl() }),
  ],
  'a hang fault holds the request until the fault is removed': [
    signIn(),
    async (adapter, state) => {
      const fault = adapter.controls.faults.add({ route: 'current-customer', effect: 'hang' })
      const held = send({ url: tokenUrl() })(adapter, state)
      await new Promise((resolve) => setTimeout(resolve, 30))
      fault.remove()
      return held
    },
  ],
}

/** Run every scenario through both adapters and compare them step by step. */
export async function runContract(t: Test): Promise<void> {
  for (const [name, steps] of Object.entries(SCENARIOS)) {
    await t.test(name, async (t) => {
      const adapters = [serverAdapter(t, { now: NOW }), mswAdapter({ now: NOW })]
      const states = adapters.map(() => ({ cookie: undefined as string | undefined }))
      for (const [index, step] of steps.entries()) {
        const answers: (Answer | 'unanswered')[] = []
        for (const [which, adapter] of adapters.entries()) {
          const got = await step(adapter, states[which]!)
          if (got !== 'unanswered' && got.cookie !== undefined) states[which]!.cookie = got.cookie
          answers.push(got)
        }
        const [server, msw] = answers
        t.same(comparable(msw!), comparable(server!), `step ${index + 1}: the same answer`)
        const logs = adapters.map((adapter) => adapter.store.listRequests().map(({ durationMs: _d, ...entry }) => entry))
        t.same(logs[1], logs[0], `step ${index + 1}: the same request log`)
      }
      t.same(
        adapters[1]!.store.liveSessions().map((session) => session.customerId),
        adapters[0]!.store.liveSessions().map((session) => session.customerId),
        'the same live sessions at the end',
      )
    })
  }
}

// What must be equal: everything but HTML pages' markup (the server renders its sign-in page;
// the handlers answer only its message) and the session cookies' random values.
function comparable(answer: Answer | 'unanswered') {
  if (answer === 'unanswered') return answer
  const { cookie: _cookie, body, ...rest } = answer
  if (answer.contentType?.startsWith('text/html')) {
    const message = /<p role="alert">([^<]*)<\/p>/.exec(body)?.[1] ?? /role="alert"[^>]*>([^<]*)</.exec(body)?.[1]
    return { ...rest, message: message?.trim() }
  }
  return { ...rest, body }
}

/**
 * The page's session through msw's own interception (`setupServer`, real `fetch`): msw 2 keeps
 * answered cookies and sends them again, sometimes a lone `SHOP_SESSION_TOKEN`; none of that may
 * turn the page's shopper into a guest, while a pair the test sends itself is honoured.
 */
export async function runPageSession(t: Test): Promise<void> {
  const { setupServer } = await import('msw/node')
  const { handlers, storefront } = createMockStorefrontHandlers({ now: NOW })
  const server = setupServer(...handlers)
  // msw 3 names it onUnhandledFrame, msw 2 onUnhandledRequest: an unhandled request fails either way.
  server.listen({ onUnhandledFrame: 'error', ...({ onUnhandledRequest: 'error' } as object) })
  t.teardown(() => server.close())
  const origin = 'http://shop.test'
  const customerOf = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${origin}${tokenUrl()}`, { headers })
    if (response.status !== 200) return response.status
    const token = await response.text()
    return (jwt.verify(token, DEMO.hs512App.secret, { algorithms: ['HS512'], clockTimestamp: NOW }) as { customer: { id: number } })
      .customer.id
  }
  t.equal(await customerOf(), 404, 'a guest page first')
  const signedIn = await fetch(`${origin}/login.php?action=check_login`, {
    method: 'POST',
    headers: FORM,
    body: signInBody(DEMO.john.email, DEMO.john.password),
    redirect: 'manual',
  })
  t.equal(signedIn.status, 302, 'the form signs John in')
  t.equal(await customerOf(), DEMO.john.id, 'the page is John’s, whatever msw replays')
  t.equal(
    await customerOf({ cookie: 'SHOP_SESSION_TOKEN=a-lone-session-id' }),
    DEMO.john.id,
    'a lone SHOP_SESSION_TOKEN does not make a guest',
  )
  const janeCookie = storefront.login(DEMO.jane.email)
  t.equal(await customerOf(), DEMO.jane.id, 'login() makes the page Jane’s, the cookies msw kept from John’s answer notwithstanding')
  storefront.login(DEMO.john.id)
  t.equal(
    await customerOf({ cookie: janeCookie }),
    404,
    'a pair the test sends is answered as sent: Jane’s session ended when John signed in',
  )
  const johnCookie = storefront.login(DEMO.john.id)
  storefront.logout()
  t.equal(await customerOf(), 404, 'logout(): a guest again')
  t.equal(await customerOf({ cookie: johnCookie }), 404, 'and the ended session’s own cookies are a guest’s too')
  const url = await storefront.customerLoginUrl(DEMO.hs512App.clientId, DEMO.jane.id, '/cart.php')
  t.match(url, /^\/login\/token\/[\w-]+\.[\w-]+\.[\w-]+$/, 'without a page origin, the Customer Login URL is a path')
  const landed = await fetch(`${origin}${url}`, { redirect: 'manual' })
  t.equal(landed.headers.get('location'), '/cart.php', 'Customer Login lands on redirect_to')
  t.equal(await customerOf(), DEMO.jane.id, 'and makes the page Jane’s')
  t.equal(storefront.requests().at(-1)?.outcome, 'ok', 'the request log has it')
}
