import { http, HttpResponse, type HttpHandler } from 'msw'
import { CUSTOMER_LOGIN_SIGN_OUT_HINT } from '../domain/customer-login.js'
import { requestOutcome } from '../domain/request-log.js'
import type { Fault, FaultRoute } from '../domain/rules/fault-rules.js'
import { DEFAULT_FAULT_STATUS, FAULT_HEADER, faultHeaderValue, TRANSPORT_EFFECTS } from '../domain/rules/fault-rules.js'
import { submitSignInForm, type SignInFormFields } from '../domain/sign-in-form.js'
import type { Session } from '../domain/session-store.js'
import type { Store } from '../domain/store.js'
import { ERRORS } from '../errors.js'
import { prefersJson } from '../http/accept.js'
import { errorBody } from '../http/error-body.js'
import { asMockError, validationProblem } from '../http/error-handler.js'
import type { JsonSchema } from '../http/json-schema.js'
import { compileQueryCheck } from '../http/query-validator.js'
import { describeUrl } from '../http/safe-url.js'
import { CookiePolicy, LOGIN_FLASH_COOKIE, LOGIN_FLASH_OPTIONS, SESSION_COOKIE, SHOP_TOKEN_COOKIE } from '../http/session-cookies.js'
import { CUSTOMER_LOGIN_REDACTED, STOREFRONT_URL_REDACTION } from '../http/storefront-urls.js'
import { setCookieLine } from './cookies.js'
import { holdForFault } from './held-request.js'
import { json, queryObject } from './messages.js'
import type { PageSession } from './page-session.js'

/** What the handlers answer from. */
export interface HandlerContext {
  store: Store
  page: PageSession
  /** The query schema of `GET /customer/current.jwt`, from the Current Customer API description. */
  currentCustomerQuery: JsonSchema
  /** Answer on this origin only; any origin when undefined. */
  origin: string | undefined
}

/** The address a Customer Login token's `request_ip` is compared with: a page under MSW has none, so the loopback one a local mock sees. */
export const MSW_REQUEST_IP = '127.0.0.1'

/** One request on its way through a handler: what the request log will keep of it. */
interface Exchange {
  readonly request: Request
  readonly url: URL
  /** The store's generation when it began: a request begun before a reset changes nothing after it. */
  readonly startedIn: number
  readonly startedAt: number
  /** What the request log keeps instead of the path (a Customer Login token). */
  readonly secretPath?: string | undefined
  customerId?: number | undefined
  /** A Customer Login token's `impersonator_id`, for the request log. */
  impersonatorId?: string | undefined
  outcome?: string | undefined
  hint?: string | undefined
  fault?: Fault | undefined
}

/** How a request that gets no answer ends: the client sees a network error, as when the server drops the connection. */
const UNANSWERED = Symbol('unanswered')

/**
 * The storefront's routes as MSW request handlers, each calling the store's methods as the
 * server's route does (see `server/storefront/`): the same rules, faults, request log and
 * answers, without Fastify and without a socket.
 */
export function storefrontHandlers(context: HandlerContext): HttpHandler[] {
  const { store, page } = context
  const at = (path: string) => `${context.origin ?? '*'}${path}`
  const checkQuery = compileQueryCheck(context.currentCustomerQuery)
  const cookies = new CookiePolicy(context.origin?.startsWith('https:') ?? false)

  /** Run a route as the server's storefront scope does: `no-store`, faults, errors as catalogue bodies, the request log. */
  const serve = async (
    exchange: Exchange,
    route: FaultRoute | undefined,
    prepare: () => Promise<{ drawn?: Parameters<Store['drawFault']>[1] }>,
    answer: () => Response | Promise<Response | typeof UNANSWERED>,
  ): Promise<Response> => {
    let response: Response | typeof UNANSWERED
    try {
      const { drawn } = await prepare()
      const fault = route === undefined || drawn === undefined ? undefined : store.drawFault(route, drawn)
      exchange.fault = fault
      response =
        fault && route && TRANSPORT_EFFECTS.has(fault.effect)
          ? await applyTransportFault(store, exchange, fault, route, answer)
          : await answer()
    } catch (error) {
      const mock = asMockError(error as Parameters<typeof asMockError>[0])
      if (exchange.outcome === undefined) {
        exchange.outcome = mock.code
        exchange.hint = exchange.hint === undefined ? mock.message : `${mock.message} ${exchange.hint}`
      }
      response = json(mock.statusCode, errorBody(mock))
    }
    if (response === UNANSWERED) {
      record(store, exchange, 0)
      return HttpResponse.error()
    }
    response.headers.set('cache-control', 'no-store')
    if (exchange.fault) response.headers.set(FAULT_HEADER, faultHeaderValue(exchange.fault))
    record(store, exchange, response.status)
    return response
  }

  const begin = (request: Request, secretPath?: string): Exchange => ({
    request,
    url: new URL(request.url),
    startedIn: store.generation,
    startedAt: performance.now(),
    secretPath,
  })

  return [
    http.get(at('/customer/current.jwt'), async ({ request }) => {
      const exchange = begin(request)
      const sessionCookies = page.cookiesOf(request)
      let clientId = ''
      return serve(
        exchange,
        'current-customer',
        async () => {
          const problem = checkQuery(queryObject(exchange.url))
          if (problem) {
            const { field, message } = validationProblem('querystring', problem, '')
            throw ERRORS.invalidRequest(field, message)
          }
          clientId = exchange.url.searchParams.get('app_client_id') ?? ''
          return { drawn: { clientId, cookies: sessionCookies } }
        },
        () => {
          const { token, customer } = store.issueCurrentCustomerToken(clientId, sessionCookies, exchange.fault)
          exchange.customerId = customer.id
          if (prefersJson(request.headers.get('accept') ?? undefined)) return json(200, { token })
          return new HttpResponse(token, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } })
        },
      )
    }),

    http.get(at('/login/token/:jwt'), async ({ request, params }) => {
      const exchange = begin(request, CUSTOMER_LOGIN_REDACTED)
      const jwt = typeof params.jwt === 'string' ? params.jwt : ''
      const previous = page.cookiesOf(request)
      return serve(
        exchange,
        'customer-login',
        async () => ({ drawn: { loginJwt: jwt } }),
        async () => {
          const result = await store.acceptCustomerLogin(jwt, MSW_REQUEST_IP, previous, exchange.fault, exchange.startedIn)
          // The store was reset since the request began: nothing was changed, and nothing is answered.
          if (!result) return UNANSWERED
          const hints = result.hints.map((hint) => hint.message)
          if (!result.ok) {
            exchange.outcome = result.rule
            exchange.hint = [result.detail, ...hints].join('; ')
            return redirect('/login.php', [flashSetCookie(cookies)])
          }
          exchange.customerId = result.customer.id
          exchange.impersonatorId = result.impersonatorId
          if (!result.session) {
            // redirect_to /login.php?action=logout: the page's session has ended and its cookies go.
            exchange.hint = [CUSTOMER_LOGIN_SIGN_OUT_HINT, ...hints].join('; ')
            page.forget()
            return redirect(result.redirectTo, sessionSetCookies(cookies, undefined))
          }
          if (hints.length > 0) exchange.hint = hints.join('; ')
          page.use(result.session, true)
          return redirect(result.redirectTo, sessionSetCookies(cookies, result.session))
        },
      )
    }),

    http.post(at('/login.php'), async ({ request }) => {
      const exchange = begin(request)
      const action = exchange.url.searchParams.get('action') ?? undefined
      const previous = page.cookiesOf(request)
      let form: SignInFormFields | undefined
      return serve(
        exchange,
        'sign-in',
        async () => {
          form = await readForm(request)
          const email = typeof form?.login_email === 'string' ? form.login_email : undefined
          return { drawn: { action, email, cookies: previous } }
        },
        () => {
          if (action !== 'check_login') throw ERRORS.unknownAction(action)
          const signedIn = submitSignInForm(store, form, previous)
          if (!signedIn.ok) {
            exchange.outcome = signedIn.outcome
            exchange.hint = signedIn.hint
            return new HttpResponse(signInPage(signedIn.message), {
              status: signedIn.status,
              headers: { 'content-type': 'text/html; charset=utf-8' },
            })
          }
          exchange.customerId = signedIn.customer.id
          page.use(signedIn.session, true)
          return redirect('/account.php', sessionSetCookies(cookies, signedIn.session))
        },
      )
    }),

    http.get(at('/login.php'), async ({ request }) => {
      const url = new URL(request.url)
      // The sign-in page itself is the app's own to serve (or not): only the sign-out is the storefront's here.
      if (url.searchParams.get('action') !== 'logout') return undefined
      const exchange = begin(request)
      const sessionCookies = page.cookiesOf(request)
      return serve(
        exchange,
        undefined,
        async () => ({}),
        () => {
          exchange.customerId = store.signOut(sessionCookies)?.customerId
          page.forget()
          return redirect('/', sessionSetCookies(cookies, undefined))
        },
      )
    }),
  ]
}

/** Add the exchange to the store's request log, as the server's recorder does. */
function record(store: Store, exchange: Exchange, status: number): void {
  const { path, clientId } = describeUrl(exchange.url.pathname + exchange.url.search, STOREFRONT_URL_REDACTION, exchange.secretPath)
  store.recordRequest(
    {
      method: exchange.request.method,
      path,
      status,
      customerId: exchange.customerId,
      clientId,
      ...(exchange.impersonatorId !== undefined && { impersonatorId: exchange.impersonatorId }),
      durationMs: Math.round((performance.now() - exchange.startedAt) * 10) / 10,
      ...requestOutcome(status, exchange.fault, { outcome: exchange.outcome, hint: exchange.hint }),
    },
    exchange.startedIn,
  )
}

/**
 * The effects the server's HTTP layer applies (see `server/storefront/faults.ts`): `status`
 * answers with the fault's status and a catalogue body; `delay` answers after `delay_ms`;
 * `hang` waits until the fault ends (then answers), the client gives up or the bound passes;
 * `reset` answers nothing. A reset of the store ends a waiting request unanswered.
 */
async function applyTransportFault(
  store: Store,
  exchange: Exchange,
  fault: Fault,
  route: FaultRoute,
  answer: () => Response | Promise<Response | typeof UNANSWERED>,
): Promise<Response | typeof UNANSWERED> {
  if (fault.effect === 'status') {
    const status = fault.status ?? DEFAULT_FAULT_STATUS
    return json(status, { ...errorBody(ERRORS.injectedFault(fault.id, route)), status })
  }
  if (fault.effect === 'reset') return UNANSWERED
  return (await holdForFault(store, fault, exchange.request.signal, exchange.startedIn)) ? answer() : UNANSWERED
}

/** The session cookies' `Set-Cookie` lines, with the server's attributes. */
function sessionSetCookies(cookies: CookiePolicy, session: Session | undefined): string[] {
  return [
    setCookieLine(SESSION_COOKIE, session?.id ?? '', session ? cookies.session : { ...cookies.session, maxAge: 0 }),
    setCookieLine(SHOP_TOKEN_COOKIE, session?.shopToken ?? '', session ? cookies.session : { ...cookies.session, maxAge: 0 }),
  ]
}

/** The flash cookie that makes the next `/login.php` say "Invalid login". */
function flashSetCookie(cookies: CookiePolicy): string {
  return setCookieLine(LOGIN_FLASH_COOKIE, 'invalid_login', cookies.attributes(LOGIN_FLASH_OPTIONS))
}

/** A `302` to `location`, setting these cookies. */
function redirect(location: string, setCookies: string[]): Response {
  const headers = new Headers({ location })
  for (const line of setCookies) headers.append('set-cookie', line)
  return new HttpResponse(null, { status: 302, headers })
}

/**
 * The sign-in form's fields, read as the server's body parsers read them: a URL-encoded form or
 * a JSON object; no body is an empty form; any other type is the server's `415`.
 */
async function readForm(request: Request): Promise<SignInFormFields | undefined> {
  const text = await request.text()
  if (text === '') return undefined
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text))
  if (type === 'application/json') {
    try {
      const body: unknown = JSON.parse(text)
      return typeof body === 'object' && body !== null ? body : undefined
    } catch {
      throw ERRORS.invalidJson('it does not parse (the text is not shown: it may hold a secret)')
    }
  }
  throw ERRORS.unsupportedMediaType()
}

/** The sign-in page's refusal, as little of it as a test reads: its status (400, 401) and the storefront's message. */
function signInPage(message: string): string {
  const text = message.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)
  return `<!doctype html>\n<title>Sign in</title>\n<p role="alert">${text}</p>\n`
}
