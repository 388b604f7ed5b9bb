import { setTimeout as sleep } from 'node:timers/promises'
import type { ChildProcesses } from './children.js'
import type { LoadConfig } from './config.js'
import { FixturePasswords, listCustomers, readHealth, type ListedCustomer } from './control.js'
import { DEMO } from './demo.js'
import { KeepAliveClient, setCookiePairs, type ClientAnswer, type ClientRequest } from './http-client.js'
import { runLoad, type LoadSample } from './load.js'
import { DEFAULT_FIXTURES } from './paths.js'
import type { Progress } from './progress.js'
import { processRssBytes } from './rss.js'
import { startServer } from './servers.js'
import { checkTokenResponse, signInWithForm } from './session.js'
import { percentile } from './stats.js'

/** The request kinds of the mixed load. */
export const LOAD_KINDS = ['token', 'sign-in', 'sign-out', 'sso-url', 'sso'] as const

/** One request kind of the mixed load (see {@link LOAD_KINDS}). */
export type LoadKind = (typeof LOAD_KINDS)[number]

/** The figures of one request kind over the whole mixed load. */
export interface KindFigures {
  kind: LoadKind
  /** The request, e.g. `GET /login.php?action=logout`. */
  request: string
  /** What counts as the expected answer. */
  expected: string
  /** Who sent it. */
  sentBy: string
  /** Answers received (expected or not). */
  responses: number
  /** Answers per second of the load's duration. */
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  /** Answers that were not the expected one (status, `Location`, cookies or body). */
  unexpected: number
  /** Requests that got no answer: connection errors and timeouts. */
  socketErrors: number
  /** Answers per status code. */
  statusCounts: Record<string, number>
  /** The first few unexpected answers or errors, described. */
  examples: string[]
}

/** Everything the mixed load measured. */
export interface MixedLoadResults {
  settings: LoadConfig
  /** Measured duration, seconds. */
  durationSeconds: number
  /** Customers of the store (the bundled default fixtures). */
  customers: number
  kinds: KindFigures[]
  /** The mock's RSS before and after the load, bytes (null where /proc cannot be read). */
  rssBytes: { before: number | null; after: number | null }
  /** Checks after the load. */
  after: {
    /** Token sessions that still answer 200 with a token for their own customer. */
    intactTokenSessions: number
    tokenSessions: number
    /** `GET /__mock/health` sessions: every looping client signed out, so only the token sessions are left. */
    healthSessions: number
  }
}

const TOKEN_PATH = `/customer/current.jwt?app_client_id=${DEMO.clientId}`
const FORM = 'application/x-www-form-urlencoded'
const EXAMPLES_KEPT = 5
// After a socket error, a client pauses before its next attempt so that a dead server is not hammered.
const ERROR_PAUSE_MS = 50

/**
 * The mixed load of issue 5 section 3 against one mock on the bundled fixtures: autocannon
 * holds `tokenConnections` connections on `GET /customer/current.jwt`, each with the cookies of
 * its own session (signed in through the form before the load), while `signInClients` clients
 * loop form sign-in -> sign-out and `ssoClients` clients loop `POST /__mock/customer-login-url`
 * -> `GET /login/token/{jwt}` -> sign-out, each client on one keep-alive connection, until the
 * token load ends. Afterwards every token session must still be valid and be the only sessions left.
 */
export async function runMixedLoad(children: ChildProcesses, settings: LoadConfig, progress: Progress): Promise<MixedLoadResults> {
  const mock = await startServer(children, 'mock', 'silent')
  try {
    const passwords = await FixturePasswords.fromFile(DEFAULT_FIXTURES)
    const { customers } = await listCustomers(mock.baseUrl, 0, 10_000)
    if (customers.length === 0) throw new Error('the default fixtures hold no customers')

    const pool: { customer: ListedCustomer; cookie: string }[] = []
    for (let index = 0; index < settings.tokenConnections; index++) {
      const customer = customers[index % customers.length] as ListedCustomer
      const cookie = await signInWithForm(mock.baseUrl, customer.email, passwords.passwordOf(customer.email))
      await checkTokenResponse(mock.baseUrl + TOKEN_PATH, cookie, { clientId: DEMO.clientId, customerId: customer.id })
      pool.push({ customer, cookie })
    }
    progress(`  signed in ${pool.length} token sessions (${Math.min(pool.length, customers.length)} customers, through the form); each answers a token for its customer`)

    const recorders = new Map<LoadKind, KindRecorder>(LOAD_KINDS.filter((kind) => kind !== 'token').map((kind) => [kind, new KindRecorder()]))
    const record = (kind: LoadKind): KindRecorder => recorders.get(kind) as KindRecorder
    const clients: KeepAliveClient[] = []
    const stop = { stopped: false }
    const rssBefore = processRssBytes(mock.child.process.pid) ?? null

    const startedAt = performance.now()
    const tokenRun = runLoad(
      { name: 'token', url: mock.baseUrl + TOKEN_PATH, headers: {}, connectionHeaders: pool.map(({ cookie }) => ({ cookie })), serverPid: mock.child.process.pid },
      { seconds: settings.seconds, connections: settings.tokenConnections, pipelining: 1 },
    )
    const loops: Promise<void>[] = []
    for (let index = 0; index < settings.signInClients; index++) {
      const client = new KeepAliveClient(mock.baseUrl)
      clients.push(client)
      loops.push(signInLoop(client, customers, passwords, { offset: index, stride: settings.signInClients }, record, stop))
    }
    for (let index = 0; index < settings.ssoClients; index++) {
      const client = new KeepAliveClient(mock.baseUrl)
      clients.push(client)
      loops.push(ssoLoop(client, customers, { offset: index, stride: settings.ssoClients }, record, stop))
    }
    let token: LoadSample
    try {
      token = await tokenRun
    } finally {
      stop.stopped = true
      await Promise.all(loops)
      for (const client of clients) client.close()
    }
    const durationSeconds = (performance.now() - startedAt) / 1000
    const rssAfter = processRssBytes(mock.child.process.pid) ?? null

    let intact = 0
    for (const { customer, cookie } of pool) {
      try {
        await checkTokenResponse(mock.baseUrl + TOKEN_PATH, cookie, { clientId: DEMO.clientId, customerId: customer.id })
        intact++
      } catch (error) {
        progress(`  after the load, the session of customer ${customer.id} no longer works: ${(error as Error).message.slice(0, 200)}`)
      }
    }
    const health = await readHealth(mock.baseUrl)

    const tokenUnexpected = token.requests - (token.statusCounts['200'] ?? 0)
    const kinds: KindFigures[] = [
      {
        kind: 'token',
        request: `GET ${TOKEN_PATH}`,
        expected: '200 (the token; every session checked before and after)',
        sentBy: `autocannon, ${settings.tokenConnections} connections, one session each`,
        responses: token.requests,
        reqPerSec: token.requests / token.durationSeconds,
        p50Ms: token.p50Ms,
        p99Ms: token.p99Ms,
        unexpected: tokenUnexpected,
        socketErrors: token.errors,
        statusCounts: token.statusCounts,
        examples: tokenUnexpected > 0 || token.errors > 0 ? [`statuses ${JSON.stringify(token.statusCounts)}, errors ${token.errors} (timeouts ${token.timeouts})`] : [],
      },
      record('sign-in').figures('sign-in', 'POST /login.php?action=check_login (form)', '302 to /account.php, both session cookies set', `${settings.signInClients} clients`, durationSeconds),
      record('sign-out').figures('sign-out', 'GET /login.php?action=logout', '302 to /, SHOP_SESSION_TOKEN cleared', `the ${settings.signInClients + settings.ssoClients} clients above`, durationSeconds),
      record('sso-url').figures('sso-url', 'POST /__mock/customer-login-url', '200 JSON {url, path} with path /login/token/...', `${settings.ssoClients} clients`, durationSeconds),
      record('sso').figures('sso', 'GET /login/token/{jwt}', '302 to /account.php, both session cookies set', `the ${settings.ssoClients} clients above`, durationSeconds),
    ]
    return {
      settings,
      durationSeconds,
      customers: customers.length,
      kinds,
      rssBytes: { before: rssBefore, after: rssAfter },
      after: { intactTokenSessions: intact, tokenSessions: pool.length, healthSessions: health.sessions },
    }
  } finally {
    await mock.child.stop()
  }
}

/** Latencies, statuses and failures of one request kind, as the looping clients send it. */
class KindRecorder {
  readonly latencies: number[] = []
  readonly statusCounts: Record<string, number> = {}
  unexpected = 0
  socketErrors = 0
  readonly examples: string[] = []

  /**
   * Send one request and check its answer; answers it when expected, undefined otherwise (the
   * failure is counted and, for the first few, described).
   */
  async send(client: KeepAliveClient, request: ClientRequest, check: (answer: ClientAnswer) => string | undefined): Promise<ClientAnswer | undefined> {
    let answer: ClientAnswer
    try {
      answer = await client.send(request)
    } catch (error) {
      this.socketErrors++
      this.#example(`${request.method} ${request.path.slice(0, 60)}: ${(error as Error).message}`)
      await sleep(ERROR_PAUSE_MS)
      return undefined
    }
    this.latencies.push(answer.ms)
    this.statusCounts[answer.status] = (this.statusCounts[answer.status] ?? 0) + 1
    const problem = check(answer)
    if (problem === undefined) return answer
    this.unexpected++
    this.#example(`${request.method} ${request.path.slice(0, 60)}: ${problem}`)
    return undefined
  }

  figures(kind: LoadKind, request: string, expected: string, sentBy: string, seconds: number): KindFigures {
    const responses = this.latencies.length
    return {
      kind,
      request,
      expected,
      sentBy,
      responses,
      reqPerSec: responses / seconds,
      p50Ms: percentile(this.latencies, 50),
      p99Ms: percentile(this.latencies, 99),
      unexpected: this.unexpected,
      socketErrors: this.socketErrors,
      statusCounts: this.statusCounts,
      examples: this.examples,
    }
  }

  #example(text: string): void {
    if (this.examples.length < EXAMPLES_KEPT) this.examples.push(text)
  }
}

type Recorders = (kind: LoadKind) => KindRecorder

interface Rotation {
  /** This client's first customer index. */
  offset: number
  /** Step between its customers, so that the clients take turns through the list. */
  stride: number
}

async function signInLoop(client: KeepAliveClient, customers: readonly ListedCustomer[], passwords: FixturePasswords, rotation: Rotation, record: Recorders, stop: { stopped: boolean }): Promise<void> {
  for (let index = rotation.offset; !stop.stopped; index += rotation.stride) {
    const customer = customers[index % customers.length] as ListedCustomer
    const body = new URLSearchParams({ login_email: customer.email, login_pass: passwords.passwordOf(customer.email) }).toString()
    const signedIn = await record('sign-in').send(client, { method: 'POST', path: '/login.php?action=check_login', headers: { 'content-type': FORM }, body }, expectSession('/account.php'))
    if (signedIn) await signOut(client, signedIn, record)
  }
}

async function ssoLoop(client: KeepAliveClient, customers: readonly ListedCustomer[], rotation: Rotation, record: Recorders, stop: { stopped: boolean }): Promise<void> {
  for (let index = rotation.offset; !stop.stopped; index += rotation.stride) {
    const customer = customers[index % customers.length] as ListedCustomer
    const body = JSON.stringify({ client_id: DEMO.clientId, customer_id: customer.id })
    const signed = await record('sso-url').send(client, { method: 'POST', path: '/__mock/customer-login-url', headers: { 'content-type': 'application/json' }, body }, expectLoginUrl)
    if (!signed) continue
    const path = (JSON.parse(signed.body) as { path: string }).path
    const signedIn = await record('sso').send(client, { method: 'GET', path }, expectSession('/account.php'))
    if (signedIn) await signOut(client, signedIn, record)
  }
}

async function signOut(client: KeepAliveClient, signedIn: ClientAnswer, record: Recorders): Promise<void> {
  const cookies = setCookiePairs(signedIn.headers)
  const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  await record('sign-out').send(client, { method: 'GET', path: '/login.php?action=logout', headers: { cookie } }, (answer) => {
    if (answer.status !== 302 || answer.headers.location !== '/') return `answered ${answer.status} to ${answer.headers.location ?? '(no Location)'}, expected 302 to /`
    if (setCookiePairs(answer.headers).get('SHOP_SESSION_TOKEN') !== '') return 'did not clear SHOP_SESSION_TOKEN'
    return undefined
  })
}

function expectSession(location: string): (answer: ClientAnswer) => string | undefined {
  return (answer) => {
    if (answer.status !== 302 || answer.headers.location !== location) return `answered ${answer.status} to ${answer.headers.location ?? '(no Location)'}, expected 302 to ${location}`
    const cookies = setCookiePairs(answer.headers)
    for (const name of ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN']) if (!cookies.get(name)) return `302 without a ${name} cookie`
    return undefined
  }
}

function expectLoginUrl(answer: ClientAnswer): string | undefined {
  if (answer.status !== 200) return `answered ${answer.status}: ${answer.body.slice(0, 120)}`
  try {
    const { path } = JSON.parse(answer.body) as { path?: unknown }
    return typeof path === 'string' && path.startsWith('/login/token/') ? undefined : `no /login/token/ path in ${answer.body.slice(0, 120)}`
  } catch {
    return `not JSON: ${answer.body.slice(0, 120)}`
  }
}
