/** The two cookies a signed-in storefront session is made of. */
const SESSION_COOKIES = ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN'] as const

/**
 * Sign in through the storefront's real login form (`POST /login.php?action=check_login`) and
 * answer the `Cookie` header a browser would then send. Throws unless the form answers 302 with
 * both session cookies.
 */
export async function signInWithForm(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login.php?action=check_login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login_email: email, login_pass: password }).toString(),
  })
  const body = await response.text()
  if (response.status !== 302) throw new Error(`sign-in as ${email} answered ${response.status}, expected 302: ${body.slice(0, 200)}`)
  const pairs = response.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='))
  for (const name of SESSION_COOKIES) {
    if (!pairs.some((pair) => pair.startsWith(`${name}=`) && pair.length > name.length + 1)) throw new Error(`sign-in as ${email} set no ${name} cookie (set-cookie: ${pairs.join(' | ')})`)
  }
  return pairs.join('; ')
}

/** What {@link checkTokenResponse} expects the token to name. */
export interface ExpectedToken {
  clientId: string
  customerId: number
}

/**
 * One request exactly as the load will send it: it must answer 200, `Cache-Control: no-store`,
 * and a three-part JWT whose claims name the expected customer and app. Throws otherwise.
 */
export async function checkTokenResponse(url: string, cookie: string, expected: ExpectedToken): Promise<void> {
  const response = await fetch(url, { headers: { cookie } })
  const body = await response.text()
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}, expected 200: ${body.slice(0, 300)}`)
  if (response.headers.get('cache-control') !== 'no-store') throw new Error(`GET ${url}: Cache-Control is ${response.headers.get('cache-control')}, expected no-store`)
  const parts = body.split('.')
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) throw new Error(`GET ${url}: the body is not a compact JWT: ${body.slice(0, 120)}`)
  const claims: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'))
  if (!isTokenFor(claims, expected)) throw new Error(`GET ${url}: the token's claims do not name customer ${expected.customerId} and app ${expected.clientId}: ${JSON.stringify(claims)}`)
}

function isTokenFor(claims: unknown, expected: ExpectedToken): boolean {
  if (typeof claims !== 'object' || claims === null) return false
  const record = claims as Record<string, unknown>
  const customer = record.customer
  return typeof customer === 'object' && customer !== null && (customer as Record<string, unknown>).id === expected.customerId && record.aud === expected.clientId
}
