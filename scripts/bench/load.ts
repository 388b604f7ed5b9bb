import type { IncomingHttpHeaders } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { startServer } from './children.js'
import { mib, num, percentile, table } from './figures.js'
import { int } from './knobs.js'
import { runLoad } from './run-load.js'
import { target, type Log, type Section } from './section.js'
import {
  checkToken,
  cookieHeader,
  customers,
  DEMO,
  fixturePasswords,
  FORM_HEADERS,
  headerValues,
  health,
  sessionProblem,
  setCookies,
  SIGN_IN_PATH,
  SIGN_OUT_PATH,
  signIn,
  signInBody,
  TOKEN_PATH,
  tokenProblem,
  type Customer,
} from './storefront.js'

/** The request kinds of the mixed load, and what each must answer. */
const KINDS = {
  token: `GET ${TOKEN_PATH}: 200 with a token for the connection's own session`,
  'sign-in': `POST ${SIGN_IN_PATH} (form): 302 to /account.php, both session cookies set`,
  'flow token': `GET ${TOKEN_PATH} right after that sign-in: 200 with a token for that customer`,
  'sso-url': 'POST /__mock/customer-login-url: 200 JSON with a /login/token/... path',
  sso: 'GET /login/token/{jwt}: 302 to /account.php, both session cookies set',
  'sign-out': `GET ${SIGN_OUT_PATH}, after either flow: 302 to /, SHOP_SESSION_TOKEN cleared`,
} as const
type Kind = keyof typeof KINDS

/** Answers, statuses, latencies and failures of one kind. */
interface KindFigures {
  latenciesMs: number[]
  statusCounts: Record<string, number>
  unexpected: number
  socketErrors: number
  examples: string[]
}

// One connection's flow so far: the customer of this pass through the chain, its session, its Customer Login path.
interface FlowState {
  customer: Customer
  cookie: string
  ssoPath: string
  /** The kind sent last and not answered yet. */
  pending: Kind | undefined
  sentAt: number
  /** Between the first request of a pass and the answer to its last. */
  busy: boolean
}

// One request of a flow: fill it in from the state (null when an earlier step failed), then check its answer (updating the state).
interface Step {
  kind: Kind
  setup(request: autocannon.Request, state: FlowState): autocannon.Request | null
  check(status: number, body: string, headers: IncomingHttpHeaders | undefined, state: FlowState): string | undefined
}

// A sign-in's answer: keep its session for the next steps.
function keepSession(status: number, headers: IncomingHttpHeaders | undefined, state: FlowState): string | undefined {
  const problem = sessionProblem(status, headers)
  if (problem === undefined) state.cookie = cookieHeader(headers)
  return problem
}

const signInStep = (password: (email: string) => string): Step => ({
  kind: 'sign-in',
  setup: (request, state) => ({
    ...request,
    method: 'POST',
    path: SIGN_IN_PATH,
    headers: { ...FORM_HEADERS },
    body: signInBody(state.customer.email, password(state.customer.email)),
  }),
  check: (status, _body, headers, state) => keepSession(status, headers, state),
})
const flowTokenStep: Step = {
  kind: 'flow token',
  setup: (request, state) => (state.cookie ? { ...request, method: 'GET', path: TOKEN_PATH, headers: { cookie: state.cookie } } : null),
  check: (status, body, headers, state) => tokenProblem(status, headers, body, state.customer.id),
}
const ssoUrlStep: Step = {
  kind: 'sso-url',
  setup: (request, state) => ({
    ...request,
    method: 'POST',
    path: '/__mock/customer-login-url',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: DEMO.clientId, customer_id: state.customer.id }),
  }),
  check: (status, body, _headers, state) => {
    const path = status === 200 ? /"path":"(\/login\/token\/[^"]+)"/.exec(body)?.[1] : undefined
    if (path === undefined) return `answered ${status} without a /login/token/ path: ${body.slice(0, 120)}`
    state.ssoPath = path
    return undefined
  },
}
const ssoStep: Step = {
  kind: 'sso',
  setup: (request, state) => (state.ssoPath ? { ...request, method: 'GET', path: state.ssoPath, headers: {}, body: '' } : null),
  check: (status, _body, headers, state) => keepSession(status, headers, state),
}
const signOutStep: Step = {
  kind: 'sign-out',
  setup: (request, state) =>
    state.cookie ? { ...request, method: 'GET', path: SIGN_OUT_PATH, headers: { cookie: state.cookie }, body: '' } : null,
  check: (status, _body, headers, state) => {
    const location = headerValues(headers, 'location')[0]
    if (status !== 302 || location !== '/') return `answered ${status} to ${location ?? '(no Location)'}, expected 302 to /`
    if (setCookies(headers).get('SHOP_SESSION_TOKEN') !== '') return 'did not clear SHOP_SESSION_TOKEN'
    state.cookie = ''
    return undefined
  },
}

// autocannon restarts a chain from its first request when setupRequest returns a falsy value.
const RESTART = null as unknown as autocannon.Request

/**
 * `connections` connections, each looping through `steps` as one autocannon request chain, for
 * `seconds`; then each finishes the pass it is in (new passes only fetch the login page, not
 * recorded), so that no flow is left signed in. Each connection keeps its cookies, and the kind
 * it is waiting on, in its own state: a request whose connection errs or times out before it is
 * answered counts as a socket error of its kind. Consecutive passes take consecutive customers.
 * Answers the seconds until every pass had finished.
 */
async function runFlow(
  url: string,
  steps: readonly Step[],
  connections: number,
  seconds: number,
  people: readonly Customer[],
  figures: Record<Kind, KindFigures>,
): Promise<number> {
  let passes = 0
  let stopping = false
  const states: FlowState[] = []
  const example = (kind: Kind, text: string): void => void (figures[kind].examples.length < 5 && figures[kind].examples.push(text))
  const chain = (): autocannon.Request[] => {
    const state: FlowState = { customer: people[0] as Customer, cookie: '', ssoPath: '', pending: undefined, sentAt: 0, busy: false }
    states.push(state)
    return steps.map((step, index) => ({
      setupRequest: (request) => {
        if (state.pending !== undefined) {
          figures[state.pending].socketErrors++
          example(state.pending, 'no answer: connection error or timeout')
        }
        if (index === 0) Object.assign(state, { customer: people[passes++ % people.length], cookie: '', ssoPath: '', busy: !stopping })
        const idle: autocannon.Request = { ...request, method: 'GET', path: '/login.php', headers: {}, body: '' }
        const built = state.busy ? step.setup(request, state) : index === 0 ? idle : null
        state.pending = built && state.busy ? step.kind : undefined
        state.sentAt = performance.now()
        return built ?? RESTART
      },
      onResponse: (status, body, _context, headers) => {
        if (state.pending === undefined) return
        const kind = figures[step.kind]
        state.pending = undefined
        state.busy = index < steps.length - 1
        kind.latenciesMs.push(performance.now() - state.sentAt)
        kind.statusCounts[status] = (kind.statusCounts[status] ?? 0) + 1
        const problem = step.check(status, body, headers, state)
        if (problem === undefined) return
        kind.unexpected++
        example(step.kind, `customer ${state.customer.id}: ${problem}`)
      },
    }))
  }
  const startedAt = performance.now()
  let instance: autocannon.Instance | undefined
  const done = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      { url, connections, duration: seconds + 60, sampleInt: 100, setupClient: (client) => client.setRequests(chain()) },
      (error: Error | null) => (error ? reject(error) : resolve()),
    )
  })
  await sleep(seconds * 1000)
  stopping = true
  while (states.some((state) => state.busy) && performance.now() - startedAt < (seconds + 30) * 1000) await sleep(5)
  const elapsed = (performance.now() - startedAt) / 1000
  instance?.stop()
  await done
  return elapsed
}

/**
 * Mixed load against one mock on the bundled fixtures (`--log-level silent`): autocannon holds
 * `BENCH_LOAD_TOKEN_CONNECTIONS` (50) connections on the token route, each with its own session
 * (signed in through the form beforehand), while `BENCH_LOAD_SIGNIN_CLIENTS` (4) connections
 * loop sign-in -> token -> sign-out and `BENCH_LOAD_SSO_CLIENTS` (2) loop Customer Login URL ->
 * Customer Login -> sign-out, all for `BENCH_LOAD_SECONDS` (30). Target: no unexpected answer
 * and no socket error of any kind; afterwards every token session still works and is the only
 * session left.
 */
export const load: Section = {
  name: 'load',
  prepare() {
    const settings = {
      seconds: int('BENCH_LOAD_SECONDS', 30),
      tokenConnections: int('BENCH_LOAD_TOKEN_CONNECTIONS', 50),
      signInClients: int('BENCH_LOAD_SIGNIN_CLIENTS', 4),
      ssoClients: int('BENCH_LOAD_SSO_CLIENTS', 2),
    }
    const run = async (log: Log) => {
      const mock = await startServer('mock', ['--log-level', 'silent'])
      const password = await fixturePasswords()
      const people = (await customers(mock.url)).customers
      const pool: { customer: Customer; cookie: string }[] = []
      for (let index = 0; index < settings.tokenConnections; index++) {
        const customer = people[index % people.length] as Customer
        pool.push({ customer, cookie: await signIn(mock.url, customer.email, password(customer.email)) })
      }
      await Promise.all(pool.map(({ customer, cookie }) => checkToken(mock.url, cookie, customer.id)))
      log(
        `signed in ${pool.length} token sessions of ${Math.min(pool.length, people.length)} customers; each answers a token for its customer`,
      )

      const figures = Object.fromEntries(
        Object.keys(KINDS).map((kind) => [kind, { latenciesMs: [], statusCounts: {}, unexpected: 0, socketErrors: 0, examples: [] }]),
      ) as unknown as Record<Kind, KindFigures>
      const rssBefore = mock.rssBytes()
      const [token, ...flowSeconds] = await Promise.all([
        runLoad(
          { url: mock.url + TOKEN_PATH, perConnection: pool.map(({ cookie }) => ({ cookie })), server: mock },
          { seconds: settings.seconds },
          settings.tokenConnections,
        ),
        runFlow(mock.url, [signInStep(password), flowTokenStep, signOutStep], settings.signInClients, settings.seconds, people, figures),
        runFlow(mock.url, [ssoUrlStep, ssoStep, signOutStep], settings.ssoClients, settings.seconds, people, figures),
      ])
      const seconds = Math.max(...flowSeconds)
      const rssAfter = mock.rssBytes()
      const tokenUnexpected = token.requests - (token.statusCounts['200'] ?? 0)
      const intact = (
        await Promise.all(
          pool.map(({ customer, cookie }) =>
            checkToken(mock.url, cookie, customer.id).then(
              () => 1,
              () => 0,
            ),
          ),
        )
      ).reduce<number>((sum, ok) => sum + ok, 0)
      const sessionsLeft = (await health(mock.url)).sessions

      const rows = (Object.keys(KINDS) as Kind[]).map((kind) => {
        const f = figures[kind]
        if (kind === 'token')
          return {
            kind,
            answers: token.requests,
            reqPerSec: token.requests / token.seconds,
            p50Ms: token.p50Ms,
            p99Ms: token.p99Ms,
            unexpected: tokenUnexpected,
            socketErrors: token.errors,
            statusCounts: token.statusCounts,
            examples: [],
          }
        return {
          kind,
          answers: f.latenciesMs.length,
          reqPerSec: f.latenciesMs.length / seconds,
          p50Ms: percentile(f.latenciesMs, 50),
          p99Ms: percentile(f.latenciesMs, 99),
          unexpected: f.unexpected,
          socketErrors: f.socketErrors,
          statusCounts: f.statusCounts,
          examples: f.examples,
        }
      })
      const total = (pick: (row: (typeof rows)[number]) => number): number => rows.reduce((sum, row) => sum + pick(row), 0)
      const silent = rows.filter((row) => row.answers === 0).length
      const report = [
        `LOAD  ${settings.seconds} s mixed load (measured ${seconds.toFixed(1)} s) against one mock (bundled fixtures, ${people.length} customers, --log-level silent), all by autocannon:`,
        `  ${settings.tokenConnections} connections on the token route, one session each; ${settings.signInClients} looping sign-in -> token -> sign-out; ${settings.ssoClients} looping Customer Login URL -> Customer Login -> sign-out`,
        table(
          ['kind', 'answers', 'req/s', 'p50 ms', 'p99 ms', 'unexpected', 'socket errors', 'target 0 / 0'],
          [
            ...rows.map((row) => [
              row.kind,
              num(row.answers),
              num(row.reqPerSec),
              num(row.p50Ms, 1),
              num(row.p99Ms, 1),
              num(row.unexpected),
              num(row.socketErrors),
              row.answers > 0 && row.unexpected === 0 && row.socketErrors === 0 ? 'PASS' : 'MISS',
            ]),
            null,
            [
              'all',
              num(total((row) => row.answers)),
              num(total((row) => row.reqPerSec)),
              '',
              '',
              num(total((row) => row.unexpected)),
              num(total((row) => row.socketErrors)),
            ],
          ],
        ),
        ...Object.entries(KINDS).map(([kind, expected]) => `  ${kind.padEnd(10)} = ${expected}`),
        "  latency: token from autocannon's histogram (1 ms resolution); the others from sending the request to its parsed answer",
        `  after the load: ${intact}/${pool.length} token sessions still answer a token for their customer; /__mock/health counts ${sessionsLeft} sessions (expected ${pool.length}: every flow signed out)`,
        `  mock RSS: ${mib(rssBefore)} before the load, ${mib(rssAfter)} after`,
        ...rows.flatMap((row) => row.examples.map((text) => `  ${row.kind} unexpected: ${text}`)),
      ].join('\n')
      const targets = [
        target(
          'mixed load: unexpected answers, all kinds',
          total((row) => row.unexpected),
          '=',
          0,
          num,
        ),
        target(
          'mixed load: socket errors, all kinds',
          total((row) => row.socketErrors),
          '=',
          0,
          num,
        ),
        target('mixed load: kinds with no answer at all', silent, '=', 0),
        target('token sessions still valid after the load', intact, '=', pool.length),
        target('sessions left after the load (/__mock/health)', sessionsLeft, '=', pool.length),
      ]
      return {
        results: {
          seconds,
          customers: people.length,
          kinds: rows,
          rssBytes: { before: rssBefore, after: rssAfter },
          after: { intactTokenSessions: intact, tokenSessions: pool.length, sessionsLeft },
        },
        report,
        targets,
        problems: [],
      }
    }
    return { settings, run }
  },
}
