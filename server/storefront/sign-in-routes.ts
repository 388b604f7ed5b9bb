import fastifyPlugin from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { submitSignInForm, type SignInFormFields } from '../domain/sign-in-form.js'
import type { Store } from '../domain/store.js'
import { ERRORS } from '../errors.js'
import { takeLoginFlash } from './login-flash.js'
import { accountPage } from './pages/account-page.js'
import { loginPage } from './pages/login-page.js'
import { noteOutcome } from './request-recorder.js'
import { sendPage } from './pages/send-page.js'
import { sessionCookies, type CookiePolicy } from '../http/session-cookies.js'

interface LoginQuery {
  action?: string
}

/** Options of {@link signInRoutes}. */
export interface SignInRoutesOptions {
  store: Store
  /** Where the mock's home page is: `/`, or `/__mock/` when a front end owns `/`. */
  homePath: string
  /** The attributes the session and flash cookies are set with. */
  cookies: CookiePolicy
}

/**
 * The Stencil storefront's sign-in pages: `GET /login.php` (form), `POST
 * /login.php?action=check_login`, `GET /login.php?action=logout` and `GET /account.php`.
 */
export const signInRoutes = fastifyPlugin<SignInRoutesOptions>(
  (app, { store, homePath, cookies }, done) => {
    app.get<{ Querystring: LoginQuery }>('/login.php', async (request, reply) => {
      if (request.query.action === 'logout') {
        request.customerId = store.signOut(sessionCookies(request))?.customerId
        return cookies.clearSession(reply).redirect('/', 302)
      }
      // A refused Customer Login token leaves its "Invalid login" message in a one-time flash cookie.
      const flash = takeLoginFlash(request, reply, cookies)
      return sendPage(reply, 200, loginPage({ homePath, ...(flash !== undefined && { error: flash }) }))
    })

    app.post<{ Querystring: LoginQuery; Body: SignInFormFields | undefined }>(
      '/login.php',
      { config: { faultRoute: 'sign-in' } },
      async (request, reply) => {
        if (request.query.action !== 'check_login') throw ERRORS.unknownAction(request.query.action)
        const signedIn = submitSignInForm(store, request.body, sessionCookies(request))
        if (!signedIn.ok) {
          if (signedIn.status === 401) request.log.info({ field: 'login_email' }, 'sign-in refused: wrong email or password')
          noteOutcome(request, signedIn.outcome, signedIn.hint)
          return sendPage(reply, signedIn.status, loginPage({ error: signedIn.message, email: signedIn.email, homePath }))
        }
        request.customerId = signedIn.customer.id
        request.log.info({ customerId: signedIn.customer.id }, 'customer signed in')
        return cookies.setSession(reply, signedIn.session).redirect('/account.php', 302)
      },
    )

    app.get('/account.php', { config: { faultRoute: 'account' } }, async (request, reply) => {
      const customer = signedInCustomer(store, request)
      if (!customer) {
        noteOutcome(request, ERRORS.notLoggedIn.code, 'no customer is signed in: redirected to /login.php')
        return reply.redirect('/login.php', 302)
      }
      return sendPage(reply, 200, accountPage(customer, homePath))
    })

    done()
  },
  { name: 'bigcommerce-mock-sign-in', encapsulate: true },
)

/** The customer a request's session cookies sign in, noted on the request for the request log. */
export function signedInCustomer(store: Store, request: FastifyRequest) {
  const customer = store.resumeSession(sessionCookies(request), request.storefrontFault)?.customer
  request.customerId = customer?.id
  return customer
}
