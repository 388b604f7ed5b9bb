import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify'
import { authenticate, resumeSession, signIn, signOut } from '../domain/sign-in.js'
import { MockError } from '../errors.js'
import { takeLoginFlash } from '../http/login-flash.js'
import { clearSessionCookies, sessionCookies, setSessionCookies } from '../http/session-cookies.js'
import { accountPage } from '../pages/account-page.js'
import { currentCustomerScript } from '../pages/assets.js'
import { CURRENT_CUSTOMER_SCRIPT_PATH, demoAccounts, homePage } from '../pages/home-page.js'
import { loginPage } from '../pages/login-page.js'
import type { MockState } from '../state.js'

/** The message a real storefront shows after a wrong email or password. */
export const WRONG_CREDENTIALS = 'Your email address or password is incorrect. Please try again.'

interface LoginQuery {
  action?: string
}

interface LoginForm {
  login_email?: string
  login_pass?: string
}

/**
 * The Stencil storefront's sign-in pages: `GET /login.php` (form), `POST
 * /login.php?action=check_login`, `GET /login.php?action=logout`, `GET /account.php` and `/`.
 */
export const storefrontAuthRoutes: FastifyPluginCallback<{ state: MockState; homePath?: string }> = (app, { state, homePath = '/' }, done) => {
  const signedInCustomer = (request: FastifyRequest) => {
    const { sessionId, shopToken } = sessionCookies(request)
    const customer = resumeSession(state, sessionId, shopToken)?.customer
    request.storefrontCustomerId = customer?.id
    return customer
  }

  // `homePath` moves the demo home off `/` when a proxied or static front end owns `/`.
  app.get(homePath, async (request, reply) => {
    const { accounts, more } = demoAccounts(state.fixture, (id) => state.customers.get(id))
    return sendPage(reply, 200, homePage({ customer: signedInCustomer(request), apps: [...state.apps.all()], accounts, moreAccounts: more }))
  })

  // The home page's panel script. Under /__mock, the mock's own path, so a --proxy or --static
  // front end never shadows it; registered here, outside the control API, so it loads even when
  // that is off. Marked as control traffic only so the storefront request log skips it.
  app.get(CURRENT_CUSTOMER_SCRIPT_PATH, { config: { controlApi: true } }, async (_request, reply) =>
    reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(currentCustomerScript()),
  )

  app.get<{ Querystring: LoginQuery }>('/login.php', async (request, reply) => {
    if (request.query.action === 'logout') {
      request.storefrontCustomerId = signOut(state, sessionCookies(request))?.customerId
      return clearSessionCookies(reply).redirect('/', 302)
    }
    // A refused Customer Login token leaves its "Invalid login" message in a one-time flash cookie.
    const flash = takeLoginFlash(request, reply)
    return sendPage(reply, 200, loginPage({ homePath, ...(flash !== undefined && { error: flash }) }))
  })

  app.post<{ Querystring: LoginQuery; Body: LoginForm | undefined }>('/login.php', async (request, reply) => {
    if (request.query.action !== 'check_login') {
      throw new MockError('BCMOCK_UNKNOWN_ACTION', `query parameter 'action' must be "check_login" to sign in, got ${JSON.stringify(request.query.action ?? null)}`, 400, 'action')
    }
    const email = typeof request.body?.login_email === 'string' ? request.body.login_email : ''
    const password = typeof request.body?.login_pass === 'string' ? request.body.login_pass : ''
    if (!email || !password) {
      const missing = !email ? 'login_email' : 'login_pass'
      return sendPage(reply, 400, loginPage({ error: `Please enter your ${missing === 'login_email' ? 'email address' : 'password'} (form field ${missing} was empty).`, email, homePath }))
    }
    const customer = authenticate(state, email, password)
    if (!customer) {
      request.log.info({ field: 'login_email' }, 'sign-in refused: wrong email or password')
      return sendPage(reply, 401, loginPage({ error: WRONG_CREDENTIALS, email, homePath }))
    }
    const session = signIn(state, customer, sessionCookies(request))
    request.storefrontCustomerId = customer.id
    request.log.info({ customerId: customer.id }, 'customer signed in')
    return setSessionCookies(reply, session).redirect('/account.php', 302)
  })

  app.get('/account.php', async (request, reply) => {
    const customer = signedInCustomer(request)
    if (!customer) return reply.redirect('/login.php', 302)
    return sendPage(reply, 200, accountPage(customer, homePath))
  })

  done()
}

function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page)
}
