import fastifyPlugin from 'fastify-plugin'
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
        for (const hint of result.hints) request.log.warn({ claim: 'redirect_url' }, `customer login: ${hint}`)
        if (!result.ok) {
          request.log.warn({ rule: result.rule, clientId: result.clientId }, `customer login refused (${result.rule}): ${result.detail}`)
          noteOutcome(request, result.rule, [result.detail, ...result.hints].join('; '))
          return setLoginFlash(reply, 'invalid_login', cookies).redirect('/login.php', 302)
        }
        request.customerId = result.customer.id
        if (result.hints.length > 0) request.storefrontHint = result.hints.join('; ')
        request.log.info(
          { customerId: result.customer.id, clientId: result.clientId, channelId: result.channelId },
          'customer signed in with a Customer Login token',
        )
        return cookies.setSession(reply, result.session).redirect(result.redirectTo, 302)
      },
    )
    done()
  },
  { name: 'bigcommerce-mock-customer-login', encapsulate: true },
)
