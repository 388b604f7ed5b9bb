import type { FastifyInstance } from 'fastify'

/** The bundled default fixtures' demo values, as docs/fixtures.md publishes them. */
export const DEMO = {
  storeHash: 'abc123',
  hs512App: { clientId: '6sv16tfx3j5gsopm42ss5dd67g2srvq', secret: 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq' },
  hs256App: { clientId: 'hs256demo0app0client0id00000000', secret: 'demo-client-secret-hs256demo0app0client0id00000000' },
  john: { id: 4927, email: 'john.doe@example.com', password: 'letmein', groupId: '6' },
  jane: { id: 4928, email: 'jane.roe@example.com', password: 'letmein', groupId: '0' },
} as const

/** Sign in through the storefront form; answers the `Cookie` header value the browser would send. */
export async function signInWithForm(app: FastifyInstance, email: string, password: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/login.php?action=check_login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ login_email: email, login_pass: password }).toString(),
  })
  if (response.statusCode !== 302) throw new Error(`sign-in as ${email} answered ${response.statusCode}: ${response.body}`)
  return response.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
}

/** `GET /customer/current.jwt` for an app with the given cookies. */
export function fetchCurrentCustomer(app: FastifyInstance, clientId: string, cookie?: string, accept?: string) {
  return app.inject({
    method: 'GET',
    url: `/customer/current.jwt?app_client_id=${encodeURIComponent(clientId)}`,
    headers: { ...(cookie ? { cookie } : {}), ...(accept ? { accept } : {}) },
  })
}
