import type { CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CookiePolicy } from '../http/session-cookies.js'

/**
 * The message a real storefront shows on `/login.php` after a refused Customer Login token
 * (BigCommerce's wording, as developers report it).
 */
export const INVALID_LOGIN = 'Invalid login. Please attempt to log in again.'

/**
 * The flash cookie that carries a sign-in error from a redirect to the login page.
 *
 * A cookie rather than a query parameter so the redirect is to plain `/login.php`, as on a real
 * storefront, and the message shows once: `/login.php` clears it when it renders it. The cookie
 * holds a code, never text: only messages the mock knows can appear, so a crafted cookie cannot
 * inject content into the page.
 */
export const LOGIN_FLASH_COOKIE = 'BCMOCK_LOGIN_FLASH'

/** Codes the flash cookie may carry, and the message each shows. */
const FLASH_MESSAGES: Record<string, string> = { invalid_login: INVALID_LOGIN }

/** The codes {@link setLoginFlash} accepts. */
export type LoginFlashCode = 'invalid_login'

// Scoped to the login page and short-lived: a flash that is never shown dies within a minute
// (`Secure` added over https by the cookie policy).
const FLASH_OPTIONS: CookieSerializeOptions = { httpOnly: true, sameSite: 'lax', path: '/login.php', maxAge: 60 }

/** Ask the next `/login.php` page to show a message. */
export function setLoginFlash(reply: FastifyReply, code: LoginFlashCode, cookies: CookiePolicy): FastifyReply {
  return reply.setCookie(LOGIN_FLASH_COOKIE, code, cookies.attributes(FLASH_OPTIONS))
}

/** The message a flash cookie asks for, if any; the cookie is cleared so it shows once. */
export function takeLoginFlash(request: FastifyRequest, reply: FastifyReply, cookies: CookiePolicy): string | undefined {
  const code = request.cookies[LOGIN_FLASH_COOKIE]
  if (code === undefined) return undefined
  reply.clearCookie(LOGIN_FLASH_COOKIE, cookies.attributes(FLASH_OPTIONS))
  return Object.hasOwn(FLASH_MESSAGES, code) ? FLASH_MESSAGES[code] : undefined
}
