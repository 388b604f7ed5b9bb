import fastifyPlugin from 'fastify-plugin'
import { CUSTOMER_LOGIN_SIGN_OUT_HINT } from '../domain/customer-login.js'
import type { Store } from '../domain/store.js'
import { setLoginFlash } from './login-flash.js'
import { CUSTOMER_LOGIN_REDACTED } from '../http/storefront-urls.js'
import { noteOutcome } from './request-recorder.js'
import { endUnanswered } from './reset-guard.js'
import { sessionCookies, type CookiePolicy } from '../http/session-cookies.js'

/**
 * `GET /login/token/{jwt}`: BigCommerce's Customer Login API (SSO). A valid token starts the
 * same session a form sign-in does and redirects (302) to its `redirect_to`, `/account.php` by
 * default. Any refusal redirects (302) to `/login.php`, which then shows "Invalid login. ...";
 * the log says which rule failed (see `verifyCustomerLogin`), never the token.
 */
export const customerLoginRoute = fastifyPlugin<{ store: Store; cookies: CookiePolicy }>(
  (app, { store, cookies }, done) => {
    app.get<{ Params: { jwt: string } }>(
      '/login/token/:jwt',
      { config: { secretPath: CUSTOMER_LOGIN_REDACTED, faultRoute: 'customer-login' } },
      async (request, reply) => {
        const result = await store.acceptCustomerLogin(
          request.params.jwt,
          request.ip,
          sessionCookies(request),
          request.storefrontFault,
          request.storefrontGeneration,
        )
        // The store was reset while the token was checked: nothing was changed, and nothing is answered.
        if (!result) return endUnanswered(request, reply)
        for (const hint of result.hints) request.log.warn({ claim: hint.claim }, `customer login: ${hint.message}`)
        const hints = result.hints.map((hint) => hint.message)
        if (!result.ok) {
          request.log.warn({ rule: result.rule, clientId: result.clientId }, `customer login refused (${result.rule}): ${result.detail}`)
          noteOutcome(request, result.rule, [result.detail, ...hints].join('; '))
          return setLoginFlash(reply, 'invalid_login', cookies).redirect('/login.php', 302)
        }
        request.customerId = result.customer.id
        if (result.impersonatorId !== undefined) request.impersonatorId = result.impersonatorId
        const { clientId, channelId, impersonatorId } = result
        if (!result.session) {
          // redirect_to /login.php?action=logout: the browser's session has ended, its cookies go,
          // and the browser still goes where the token said, the logout (which lands on /).
          request.storefrontHint = [CUSTOMER_LOGIN_SIGN_OUT_HINT, ...hints].join('; ')
          request.log.info(
            { customerId: result.customer.id, clientId, channelId, impersonatorId },
            'customer signed out with a Customer Login token',
          )
          return cookies.clearSession(reply).redirect(result.redirectTo, 302)
        }
        if (hints.length > 0) request.storefrontHint = hints.join('; ')
        request.log.info(
          { customerId: result.customer.id, clientId, channelId, impersonatorId },
          'customer signed in with a Customer Login token',
        )
        return cookies.setSession(reply, result.session).redirect(result.redirectTo, 302)
      },
    )
    done()
  },
  { name: 'bigcommerce-mock-customer-login', encapsulate: true },
)
