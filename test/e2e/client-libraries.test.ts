// A real BigCommerce client library against the mock: bigcommerce-oauth-client (npm), whose
// `verifyCustomerJwt` checks a Current Customer token (jsonwebtoken, HS256 only, audience =
// client id) and whose `createCustomerLoginJwt(customerId, redirectUrl, channelId)` signs a
// Customer Login token (HS256, `redirect_url`, `exp` 24 h ahead). Its functions are called as
// they are, against the mock on a real port; nothing of the library is re-implemented here.
import { BigCommerceOAuthClient } from 'bigcommerce-oauth-client'
import t from 'tap'
import { startMockStorefront } from '../../server/index.js'
import { LEVEL, LogCapture } from '../helpers/log-capture.js'
import { DEMO } from '../helpers/storefront.js'
import { signInOverHttp } from '../helpers/session.js'

const client = (app: { clientId: string; secret: string }) =>
  // Its options: clientId, clientSecret, storeHash (baseURL/timeout/retries only matter for its OAuth calls).
  new BigCommerceOAuthClient({ clientId: app.clientId, clientSecret: app.secret, storeHash: DEMO.storeHash })

function signIn(url: string): Promise<string> {
  return signInOverHttp(url, DEMO.john.email, DEMO.john.password)
}

const currentJwt = async (url: string, clientId: string, cookie: string) =>
  fetch(`${url}/customer/current.jwt?app_client_id=${clientId}`, { headers: { cookie } })

t.test("verifyCustomerJwt accepts the HS256 demo app's token and rejects the HS512 one", async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const cookie = await signIn(storefront.url)

  const hs256 = await currentJwt(storefront.url, DEMO.hs256App.clientId, cookie)
  t.equal(hs256.status, 200)
  const payload = client(DEMO.hs256App).verifyCustomerJwt(await hs256.text())
  t.match(payload, {
    customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: DEMO.john.groupId },
    aud: DEMO.hs256App.clientId,
    store_hash: DEMO.storeHash,
  })

  // Production signs HS512; this library only allows HS256, so it refuses the default app's token.
  const hs512 = await currentJwt(storefront.url, DEMO.hs512App.clientId, cookie)
  t.equal(hs512.status, 200)
  const hs512Token = await hs512.text()
  t.throws(() => client(DEMO.hs512App).verifyCustomerJwt(hs512Token), { name: 'JsonWebTokenError', message: 'invalid algorithm' })
  const another = await (await currentJwt(storefront.url, DEMO.hs256App.clientId, cookie)).text()
  t.throws(
    () => client({ clientId: DEMO.hs256App.clientId, secret: 'not-the-secret' }).verifyCustomerJwt(another),
    { message: 'invalid signature' },
    'and a token checked with another secret',
  )
})

t.test('createCustomerLoginJwt URLs sign the shopper in', async (t) => {
  const logs = new LogCapture()
  const storefront = await startMockStorefront({ logLevel: 'warn', logStream: logs })
  t.teardown(() => storefront.close())

  for (const [name, jwt] of [
    ['customer id only', client(DEMO.hs256App).createCustomerLoginJwt(DEMO.jane.id)],
    ['with a redirect URL and channel 1', client(DEMO.hs256App).createCustomerLoginJwt(DEMO.jane.id, '/cart.php', 1)],
  ] as const) {
    const login = await fetch(`${storefront.url}/login/token/${jwt}`, { redirect: 'manual' })
    t.equal(login.status, 302, name)
    // It sends redirect_url, which BigCommerce does not read: the shopper lands on the default.
    t.equal(login.headers.get('location'), '/account.php', `${name}: lands on /account.php`)
    const cookies = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!)
    t.same(cookies.map((cookie) => cookie.split('=')[0]).sort(), ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN'], `${name}: session cookies set`)

    const token = await currentJwt(storefront.url, DEMO.hs256App.clientId, cookies.join('; '))
    t.equal(token.status, 200, `${name}: the token endpoint answers 200`)
    t.match(
      client(DEMO.hs256App).verifyCustomerJwt(await token.text()),
      { customer: { id: DEMO.jane.id, email: DEMO.jane.email } },
      `${name}: for the shopper the URL named`,
    )

    const again = await fetch(`${storefront.url}/login/token/${jwt}`, { redirect: 'manual' })
    t.equal(again.headers.get('location'), '/login.php', `${name}: the same URL works once`)
  }
  const hints = logs.lines.filter((line) => line.level === LEVEL.warn && /redirect_url/.test(line.msg))
  t.ok(hints.length > 0, 'the mock warns that redirect_url is ignored')
  t.ok(
    hints.every((line) => /use redirect_to/.test(line.msg)),
    'and names redirect_to',
  )
})
