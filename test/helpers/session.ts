import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/** The Accept header BigCommerce's checkout SDK (request-sender-js) sends. */
export const CHECKOUT_SDK_ACCEPT = 'application/json, text/plain, */*'
/** A desktop browser's Accept for a navigation. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8'

/** POST the storefront sign-in form; `query` defaults to `?action=check_login`. */
export function postLogin(
  app: FastifyInstance,
  fields: Record<string, string>,
  options: { query?: string; cookie?: string; host?: string } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/login.php${options.query ?? '?action=check_login'}`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.host ? { host: options.host } : {}),
    },
    payload: new URLSearchParams(fields).toString(),
  })
}

/** The `Set-Cookie` header lines of a response. */
export function setCookieLines(response: Pick<LightMyRequestResponse, 'headers'>): string[] {
  const header = response.headers['set-cookie']
  if (header === undefined) return []
  return Array.isArray(header) ? header : [String(header)]
}

/** One `Set-Cookie` line split into its name, value and attributes. */
export interface SetCookie {
  name: string
  value: string
  attributes: string[]
}

/** One raw `Set-Cookie` value split into its name, value and attributes. */
export function parseSetCookie(raw: string): SetCookie {
  const [pair = '', ...attributes] = raw.split(';').map((part) => part.trim())
  const eq = pair.indexOf('=')
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes }
}

/** The session cookies a response set, by name. */
export function sessionFrom(response: LightMyRequestResponse): { sessionId: string; shopToken: string; cookie: string } {
  const cookies = Object.fromEntries(
    setCookieLines(response)
      .map((raw) => parseSetCookie(raw))
      .map((c) => [c.name, c.value]),
  )
  const sessionId = cookies.SHOP_SESSION_TOKEN
  const shopToken = cookies.SHOP_TOKEN
  if (!sessionId || !shopToken)
    throw new Error(`no session cookies in ${response.statusCode} response: ${JSON.stringify(response.headers['set-cookie'])}`)
  return { sessionId, shopToken, cookie: cookieHeader(sessionId, shopToken) }
}

/** The `Cookie` header a browser would send for these values. */
export function cookieHeader(sessionId: string, shopToken: string): string {
  return `SHOP_SESSION_TOKEN=${sessionId}; SHOP_TOKEN=${shopToken}`
}

/** The cookies of Set-Cookie lines as a `Cookie` request header value. */
export function cookieHeaderOf(setCookies: string[]): string {
  return setCookies.map((line) => line.split(';')[0] ?? '').join('; ')
}

/** Sign in and answer the session; throws unless the form answered 302. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password: string,
  cookie?: string,
): Promise<{ sessionId: string; shopToken: string; cookie: string }> {
  const response = await postLogin(app, { login_email: email, login_pass: password }, cookie ? { cookie } : {})
  if (response.statusCode !== 302) throw new Error(`sign-in as ${email} answered ${response.statusCode}`)
  return sessionFrom(response)
}

/** Sign in through the form over a real socket (fetch); answers the `Cookie` header value. */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login.php?action=check_login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login_email: email, login_pass: password }),
  })
  if (response.status !== 302) throw new Error(`sign-in as ${email} answered ${response.status}`)
  return cookieHeaderOf(response.headers.getSetCookie())
}

/** `GET /customer/current.jwt` with optional cookie and Accept headers. */
export function getToken(
  app: FastifyInstance,
  clientId: string | undefined,
  headers: { cookie?: string; accept?: string } = {},
): Promise<LightMyRequestResponse> {
  const query = clientId === undefined ? '' : `?app_client_id=${encodeURIComponent(clientId)}`
  const clean: Record<string, string> = {}
  if (headers.cookie !== undefined) clean.cookie = headers.cookie
  if (headers.accept !== undefined) clean.accept = headers.accept
  return app.inject({ method: 'GET', url: `/customer/current.jwt${query}`, headers: clean })
}

/** Change one character of a base64url string (the middle one), keeping it base64url. */
export function tamper(value: string): string {
  const index = Math.floor(value.length / 2)
  const replacement = value[index] === 'A' ? 'B' : 'A'
  return value.slice(0, index) + replacement + value.slice(index + 1)
}
