import t from 'tap'
import { jwtVerify } from 'jose'
import { startMockStorefront } from 'bigcommerce-mock-storefront'

const CLIENT_ID = '6sv16tfx3j5gsopm42ss5dd67g2srvq'
const secret = new TextEncoder().encode('demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes')

t.test('the token endpoint fails twice, then answers: what my retry loop sees', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const cookie = storefront.login('john.doe@example.com')
  const fault = storefront.faults.add({ route: 'current-customer', effect: 'status', status: 503, times: 2 })

  const statuses = []
  for (let attempt = 0; attempt < 3; attempt++) {
    const response = await fetch(`${storefront.url}/customer/current.jwt?app_client_id=${CLIENT_ID}`, { headers: { cookie } })
    statuses.push(`${response.status} ${response.headers.get('x-mock-fault') ?? '-'}`)
  }
  t.same(statuses, [`503 ${fault.id} status`, `503 ${fault.id} status`, '200 -'])
  t.match(storefront.requests().at(-2), { status: 503, outcome: 'fault:status' })
})

t.test('my backend refuses a token signed with a secret it no longer has, and an expired one', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const cookie = storefront.login('john.doe@example.com')
  const fetchToken = async () =>
    (await fetch(`${storefront.url}/customer/current.jwt?app_client_id=${CLIENT_ID}`, { headers: { cookie } })).text()

  const rotated = storefront.faults.add({ route: 'current-customer', effect: 'wrong-secret' })
  await t.rejects(jwtVerify(await fetchToken(), secret, { audience: CLIENT_ID }), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
  rotated.remove()

  // The same over HTTP, as a test in another language would do it.
  await fetch(`${storefront.url}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: 'current-customer', effect: 'expired-token', times: 1 }),
  })
  await t.rejects(jwtVerify(await fetchToken(), secret, { audience: CLIENT_ID, currentDate: new Date(storefront.clock.now() * 1000) }), {
    code: 'ERR_JWT_EXPIRED',
  })
  await t.resolves(jwtVerify(await fetchToken(), secret, { audience: CLIENT_ID, currentDate: new Date(storefront.clock.now() * 1000) }))
})
