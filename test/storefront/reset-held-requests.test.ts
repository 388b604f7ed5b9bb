// POST /__mock/reset (and the handle's reset()) while storefront requests are held: by a `hang`
// or `delay` fault, by --latency, by a body still arriving, or inside the Customer Login check.
// After the reset's 200 the state is exactly the fixture state: none of them leaves a session,
// a spent jti or a request log entry behind, and each held client sees its connection end.
import { connect } from 'node:net'
import { request as httpRequest } from 'node:http'
import jwt from 'jsonwebtoken'
import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { startMockStorefront, type MockStorefrontOptions, type RunningMockStorefront } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'

const NOW = 1_700_000_000

/** How a request over a real socket ended: an answer (status, cookies), or the connection ending without one. */
interface Outcome {
  status?: number
  location?: string
  cookies?: string[]
  error?: string
}

/** One request over its own connection; settles with the answer or the socket error. */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent: false }, (response) => {
      response.resume()
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          ...(response.headers.location !== undefined && { location: response.headers.location }),
          cookies: response.headers['set-cookie'] ?? [],
        }),
      )
    })
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    request.end(init.body)
  })
}

const SIGN_IN_BODY = new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString()

/** A storefront request of each kind that writes state: Customer Login, form sign-in, a token (with John's session). */
function heldRequests(storefront: RunningMockStorefront, loginUrl: string, cookie: string): Record<string, Promise<Outcome>> {
  return {
    'Customer Login': send(loginUrl),
    'sign-in': send(`${storefront.url}/login.php?action=check_login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: SIGN_IN_BODY,
    }),
    token: send(`${storefront.url}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { headers: { cookie } }),
  }
}

const RESETS: [string, (storefront: RunningMockStorefront) => Promise<void>][] = [
  [
    'POST /__mock/reset',
    async (storefront) => {
      const answer = await fetch(`${storefront.url}/__mock/reset`, { method: 'POST' })
      if (answer.status !== 200) throw new Error(`reset answered ${answer.status}`)
    },
  ],
  ["the handle's reset()", async (storefront) => storefront.reset()],
]

async function startWith(t: Test, options: MockStorefrontOptions = {}): Promise<RunningMockStorefront> {
  const storefront = await startMockStorefront({ now: NOW, ...options })
  t.teardown(() => storefront.close())
  return storefront
}

/** The server's open connections, as last counted. */
let counted = 0
function connections(storefront: RunningMockStorefront): number {
  storefront.app.server.getConnections((_error, count) => (counted = count))
  return counted
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** What must hold right after the reset answered, and still once every held request has ended. */
async function expectFixtureState(
  t: Test,
  storefront: RunningMockStorefront,
  held: Record<string, Promise<Outcome>>,
  loginUrl: string,
  settleMs: number,
): Promise<void> {
  const state = async () => ({
    sessions: ((await (await fetch(`${storefront.url}/__mock/sessions`)).json()) as { sessions: unknown[] }).sessions,
    requests: ((await (await fetch(`${storefront.url}/__mock/requests`)).json()) as { requests: unknown[] }).requests,
  })
  t.same(await state(), { sessions: [], requests: [] }, 'right after the reset: no session, an empty request log')
  for (const [what, outcome] of Object.entries(held)) {
    const ended = await outcome
    t.ok(
      ended.error !== undefined && ended.status === undefined,
      `${what}: the held client sees its connection end unanswered (${JSON.stringify(ended)})`,
    )
  }
  // Anything still on its way (a timer, an await) has had its chance to write.
  await new Promise((resolve) => setTimeout(resolve, settleMs))
  t.same(await state(), { sessions: [], requests: [] }, 'and after: still no session and no request log entry from before the reset')
  t.same(storefront.faults.list(), [], 'no faults')
  const again = await send(loginUrl)
  t.match(again, { status: 302, location: '/account.php' }, 'the jti was not spent: the same Customer Login URL signs in')
  t.ok(
    again.cookies?.some((cookie) => cookie.startsWith('SHOP_SESSION_TOKEN=')),
    'with a session cookie',
  )
}

for (const [via, reset] of RESETS) {
  t.test(`${via} ends requests a hang fault holds, unanswered; none finishes into the fresh state`, async (t) => {
    const storefront = await startWith(t)
    const cookie = storefront.login(DEMO.john.email)
    const loginUrl = await storefront.customerLoginUrl(DEMO.hs512App.clientId, DEMO.john.id)
    for (const route of ['customer-login', 'sign-in', 'current-customer'] as const) storefront.faults.add({ route, effect: 'hang' })
    const held = heldRequests(storefront, loginUrl, cookie)
    await waitFor('every request to be held', () => storefront.faults.list().every((fault) => fault.applied === 1))

    await reset(storefront)
    await expectFixtureState(t, storefront, held, loginUrl, 300)
  })

  t.test(`${via} ends requests a delay fault holds; they do not go on when the delay is over`, async (t) => {
    const storefront = await startWith(t)
    const cookie = storefront.login(DEMO.john.email)
    const loginUrl = await storefront.customerLoginUrl(DEMO.hs512App.clientId, DEMO.john.id)
    // Long enough that the reset surely comes first, even on a loaded machine.
    for (const route of ['customer-login', 'sign-in', 'current-customer'] as const)
      storefront.faults.add({ route, effect: 'delay', delay_ms: 1500 })
    const held = heldRequests(storefront, loginUrl, cookie)
    await waitFor('every request to be delayed', () => storefront.faults.list().every((fault) => fault.applied === 1))

    await reset(storefront)
    await expectFixtureState(t, storefront, held, loginUrl, 1800)
  })

  t.test(`${via} ends requests --latency holds; they do not go on when the latency is over`, async (t) => {
    const storefront = await startWith(t, { latency: 1500 })
    const cookie = storefront.login(DEMO.john.email)
    const loginUrl = await storefront.customerLoginUrl(DEMO.hs512App.clientId, DEMO.john.id)
    const held = heldRequests(storefront, loginUrl, cookie)
    // The connections are open and the requests waiting out their latency.
    await waitFor('three connections', () => connections(storefront) >= 3)
    await new Promise((resolve) => setTimeout(resolve, 100))

    await reset(storefront)
    await expectFixtureState(t, storefront, held, loginUrl, 1800)
  })
}

t.test('a sign-in whose body arrives after the reset signs nobody in and is not answered', async (t) => {
  const storefront = await startWith(t)
  const loginUrl = await storefront.customerLoginUrl(DEMO.hs512App.clientId, DEMO.john.id)
  const socket = connect(storefront.port, '127.0.0.1')
  let received = ''
  socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk))
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  socket.on('error', () => {})
  const half = Math.floor(SIGN_IN_BODY.length / 2)
  socket.write(
    `POST /login.php?action=check_login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${SIGN_IN_BODY.length}\r\n\r\n${SIGN_IN_BODY.slice(0, half)}`,
  )
  await waitFor('the connection', () => connections(storefront) >= 1)
  await new Promise((resolve) => setTimeout(resolve, 200))

  t.equal((await fetch(`${storefront.url}/__mock/reset`, { method: 'POST' })).status, 200)
  socket.write(SIGN_IN_BODY.slice(half))
  await closed
  t.equal(received, '', 'the connection ends without an answer (no 302, no cookies)')
  const sessions = ((await (await fetch(`${storefront.url}/__mock/sessions`)).json()) as { sessions: unknown[] }).sessions
  t.same(sessions, [], 'no session')
  t.same(storefront.requests(), [], 'no request log entry')
  t.match(await send(loginUrl), { status: 302, location: '/account.php' }, 'and the store works as before')
  t.equal(storefront.requests().length, 1, 'requests begun after the reset are recorded')
})

t.test('a Customer Login request begun before a reset: its jti is not spent, no session starts', async (t) => {
  const storefront = await startWith(t)
  const store = storefront.app.mock
  const token = jwt.sign(
    {
      iss: DEMO.hs512App.clientId,
      iat: NOW,
      jti: randomUUID(),
      operation: 'customer_login',
      store_hash: DEMO.storeHash,
      customer_id: DEMO.john.id,
    },
    DEMO.hs512App.secret,
    { algorithm: 'HS256' },
  )
  // The token is checked synchronously, so a reset can only come before the check starts.
  const startedIn = store.generation
  storefront.reset()
  const answer = await store.acceptCustomerLogin(token, '127.0.0.1', { sessionId: undefined, shopToken: undefined }, undefined, startedIn)
  t.equal(answer, undefined, 'answers nothing: the request goes unanswered')
  t.same(store.liveSessions(), [], 'no session')
  const again = await send(`${storefront.url}/login/token/${token}`)
  t.match(again, { status: 302, location: '/account.php' }, 'the jti was not spent')
})
