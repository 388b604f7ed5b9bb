import type { FastifyReply, FastifyRequest } from 'fastify'
import { LOGIN_FLASH_COOKIE, LOGIN_FLASH_OPTIONS, type CookiePolicy } from '../http/session-cookies.js'

export { LOGIN_FLASH_COOKIE }

/**
 * The message a real storefront shows on `/login.php` after a refused Customer Login token
 * (BigCommerce's wording, as developers report it).
 */
export const INVALID_LOGIN = 'Invalid login. Please attempt to log in again.'

/** Codes the flash cookie may carry, and the message each shows. */
const FLASH_MESSAGES: Record<string, string> = { invalid_login: INVALID_LOGIN }

/** The codes {@link setLoginFlash} accepts. */
export type LoginFlashCode = 'invalid_login'

/** Ask the next `/login.php` page to show a message. */
export function setLoginFlash(reply: FastifyReply, code: LoginFlashCode, cookies: CookiePolicy): FastifyReply {
  return reply.setCookie(LOGIN_FLASH_COOKIE, code, cookies.attributes(LOGIN_FLASH_OPTIONS))
}

/** The message a flash cookie asks for, if any; the cookie is cleared so it shows once. */
export function takeLoginFlash(request: FastifyRequest, reply: FastifyReply, cookies: CookiePolicy): string | undefined {
  const code = request.cookies[LOGIN_FLASH_COOKIE]
  if (code === undefined) return undefined
  reply.clearCookie(LOGIN_FLASH_COOKIE, cookies.attributes(LOGIN_FLASH_OPTIONS))
  return Object.hasOwn(FLASH_MESSAGES, code) ? FLASH_MESSAGES[code] : undefined
}
