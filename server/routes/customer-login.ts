import type { FastifyPluginCallback } from 'fastify'
import { verifyCustomerLogin } from '../domain/customer-login.js'
import { signIn } from '../domain/sign-in.js'
import { setLoginFlash } from '../http/login-flash.js'
import { sessionCookies, setSessionCookies } from '../http/session-cookies.js'
import type { MockState } from '../state.js'

/**
 * `GET /login/token/{jwt}`: BigCommerce's Customer Login API (SSO). A valid token starts the
 * same session a form sign-in does and redirects (302) to its `redirect_to`, `/account.php` by
 * default. Any refusal redirects (302) to `/login.php`, which then shows "Invalid login. ...";
 * the log says which rule failed (see {@link verifyCustomerLogin}), never the token.
 */
export const customerLoginRoutes: FastifyPluginCallback<{ state: MockState }> = (app, { state }, done) => {
  app.get<{ Params: { jwt: string } }>('/login/token/:jwt', async (request, reply) => {
    // The URL holds a credential: keep it and its answer out of every cache.
    reply.header('cache-control', 'no-store')
    const result = await verifyCustomerLogin(state, request.params.jwt, request.ip)
    for (const hint of result.hints) request.log.warn({ claim: 'redirect_url' }, `customer login: ${hint}`)

    if (!result.ok) {
      request.log.warn({ rule: result.rule, clientId: result.clientId }, `customer login refused (${result.rule}): ${result.detail}`)
      return setLoginFlash(reply, 'invalid_login').redirect('/login.php', 302)
    }

    const session = signIn(state, result.customer, sessionCookies(request))
    request.storefrontCustomerId = result.customer.id
    request.log.info({ customerId: result.customer.id, clientId: result.clientId, channelId: result.channelId }, 'customer signed in with a Customer Login token')
    return setSessionCookies(reply, session).redirect(result.redirectTo, 302)
  })
  done()
}
