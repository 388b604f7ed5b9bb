import { readFile } from 'node:fs/promises'
import type { IncomingHttpHeaders } from 'node:http'
import { parse as parseYaml } from 'yaml'
import { DEFAULT_FIXTURES } from './paths.js'

/** The demo app and customer of the bundled fixtures, as docs/fixtures.md publishes them (the app signs with HS512). */
export const DEMO = {
  clientId: '6sv16tfx3j5gsopm42ss5dd67g2srvq',
  customerId: 4927,
  email: 'john.doe@example.com',
  password: 'letmein',
} as const

/** The token route, for the demo app. */
export const TOKEN_PATH = `/customer/current.jwt?app_client_id=${DEMO.clientId}`
/** The login form's target. */
export const SIGN_IN_PATH = '/login.php?action=check_login'
/** Sign-out. */
export const SIGN_OUT_PATH = '/login.php?action=logout'
/** The request headers of a form post (autocannon adds to the headers it is given: pass it a copy). */
export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' } as const

/** A customer as `GET /__mock/customers` lists it. */
export interface Customer {
  id: number
  email: string
}

/** The login form's body. */
export function signInBody(email: string, password: string): string {
  return new URLSearchParams({ login_email: email, login_pass: password }).toString()
}

/** Every value of header `name` (any case) in `headers`. */
export function headerValues(headers: IncomingHttpHeaders | undefined, name: string): string[] {
  return Object.entries(headers ?? {})
    .filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, value]) => (value === undefined ? [] : Array.isArray(value) ? value : [String(value)]))
}

/** The `name=value` pairs of the `Set-Cookie` lines of `headers`. */
export function setCookies(headers: IncomingHttpHeaders | undefined): Map<string, string> {
  const pairs = headerValues(headers, 'set-cookie').map((line) => (line.split(';', 1)[0] ?? '').split('='))
  return new Map(pairs.map(([name = '', ...value]) => [name.trim(), value.join('=').trim()]))
}

/** What is wrong with a sign-in's answer (form or Customer Login): it must be a 302 to `/account.php` that sets both session cookies. */
export function sessionProblem(status: number, headers: IncomingHttpHeaders | undefined): string | undefined {
  const location = headerValues(headers, 'location')[0]
  if (status !== 302 || location !== '/account.php')
    return `answered ${status} to ${location ?? '(no Location)'}, expected 302 to /account.php`
  const cookies = setCookies(headers)
  const missing = ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN'].filter((name) => !cookies.get(name))
  return missing.length > 0 ? `302 without ${missing.join(', ')}` : undefined
}

/** The `Cookie` header a browser sends after a sign-in answered with `headers`. */
export function cookieHeader(headers: IncomingHttpHeaders | undefined): string {
  return [...setCookies(headers)].map(([name, value]) => `${name}=${value}`).join('; ')
}

/** What is wrong with a token route's answer: it must be a 200, `Cache-Control: no-store`, with a JWT for the demo app and `customerId`. */
export function tokenProblem(
  status: number,
  headers: IncomingHttpHeaders | undefined,
  body: string,
  customerId: number,
): string | undefined {
  if (status !== 200) return `answered ${status}, expected 200: ${body.slice(0, 120)}`
  if (headerValues(headers, 'cache-control')[0] !== 'no-store') return 'Cache-Control is not no-store'
  try {
    const claims = JSON.parse(Buffer.from(body.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      aud?: unknown
      customer?: { id?: unknown }
    }
    return claims.aud === DEMO.clientId && claims.customer?.id === customerId
      ? undefined
      : `the token is not for customer ${customerId} of app ${DEMO.clientId}`
  } catch {
    return `the body is not a JWT: ${body.slice(0, 120)}`
  }
}

/** Sign in through the login form; answers the `Cookie` header of the session. Throws unless the answer is a sign-in's. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(baseUrl + SIGN_IN_PATH, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...FORM_HEADERS },
    body: signInBody(email, password),
  })
  await response.arrayBuffer()
  const headers = { location: response.headers.get('location') ?? undefined, 'set-cookie': response.headers.getSetCookie() }
  const problem = sessionProblem(response.status, headers)
  if (problem) throw new Error(`sign-in as ${email}: ${problem}`)
  return cookieHeader(headers)
}

/** Request the token route with `cookie` once; throws unless it answers a token for `customerId`. */
export async function checkToken(baseUrl: string, cookie: string, customerId: number): Promise<void> {
  const response = await fetch(baseUrl + TOKEN_PATH, { headers: { cookie } })
  const problem = tokenProblem(response.status, Object.fromEntries(response.headers), await response.text(), customerId)
  if (problem) throw new Error(`GET ${TOKEN_PATH}: ${problem}`)
}

/** `GET` a control API route and parse its JSON answer; throws unless it answers 200. */
async function control<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(baseUrl + path)
  const text = await response.text()
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 200)}`)
  return JSON.parse(text) as T
}

/** The customers and live sessions `GET /__mock/health` counts. */
export function health(baseUrl: string): Promise<{ customers: number; sessions: number }> {
  return control(baseUrl, '/__mock/health')
}

/** Customers `offset` to `offset + limit` of `GET /__mock/customers` (limit at most 10,000), and the total. */
export function customers(baseUrl: string, offset = 0, limit = 10_000): Promise<{ customers: Customer[]; total: number }> {
  return control(baseUrl, `/__mock/customers?offset=${offset}&limit=${limit}`)
}

/** The customer the store lists last: a look-up at the far end of a large store. */
export async function lastCustomer(baseUrl: string): Promise<Customer> {
  const { total } = await customers(baseUrl, 0, 1)
  const last = (await customers(baseUrl, Math.max(0, total - 1), 1)).customers[0]
  if (!last) throw new Error('GET /__mock/customers: the store has no customers')
  return last
}

/** The password of each customer of a fixture file: its own if listed with one, else `generate.password` (default `storefront`). */
export async function fixturePasswords(path = DEFAULT_FIXTURES): Promise<(email: string) => string> {
  const fixture = parseYaml(await readFile(path, 'utf8')) as {
    customers?: { email?: string; password?: string }[]
    generate?: { password?: string }
  }
  const listed = new Map((fixture.customers ?? []).map((customer) => [customer.email?.toLowerCase(), customer.password]))
  return (email) => listed.get(email.toLowerCase()) ?? fixture.generate?.password ?? 'storefront'
}
