// The app's backend, as an MSW handler: `POST /api/customer-session` verifies the token with the
// app's client secret (jose), as the real backend does, and answers the customer it names. It
// runs wherever the handlers run: in Node under Vitest (jsdom), and in the browser page.
import { jwtVerify } from 'jose'
import { http, HttpResponse } from 'msw'

/** The default fixtures' demo app (HS512), as docs/fixtures.md lists it. */
export const DEMO_APP = {
  clientId: '6sv16tfx3j5gsopm42ss5dd67g2srvq',
  clientSecret: 'demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes',
}

/**
 * The backend's handler. `now` answers the backend's time in epoch seconds: give it the mock's
 * clock (`() => storefront.clock.now()`) so that a test that moves one moves both.
 */
export function appBackend({ clientId, clientSecret, now = () => Date.now() / 1000 }) {
  // A CryptoKey, not bytes: under jsdom the global Uint8Array is jsdom's, and jose refuses the
  // byte arrays TextEncoder and Buffer make there; a Web Crypto key works in every realm.
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(clientSecret), { name: 'HMAC', hash: 'SHA-512' }, false, ['verify'])
  return http.post('*/api/customer-session', async ({ request }) => {
    const { token } = await request.json()
    try {
      const { payload } = await jwtVerify(token, await key, {
        algorithms: ['HS512'],
        audience: clientId,
        currentDate: new Date(now() * 1000),
      })
      return HttpResponse.json({ customer: payload.customer, exp: payload.exp })
    } catch (error) {
      return HttpResponse.json({ error: error.code ?? 'ERR_INVALID_TOKEN' }, { status: 401 })
    }
  })
}
