import t from 'tap'
import { buildApp } from '../server/index.js'
import { DEMO } from './helpers/storefront.js'
import { decodeToken, verifyWithJose } from './helpers/tokens.js'

// Tokens minted in the same second for the same app and customer are reused; any edit of the
// app or the customer, or a tick of the clock, must still give a fresh, correct token.
t.test('the per-second token memo never serves a token for changed inputs', async (t) => {
  const now = 1_700_000_000
  const app = buildApp({ now })
  t.teardown(() => app.close())
  const json = { 'content-type': 'application/json' }
  const session = await app.inject({ method: 'POST', url: '/__mock/sessions', headers: json, payload: { customer_id: DEMO.john.id } })
  const cookie = session.json<{ cookie: string }>().cookie
  const token = async () => (await app.inject({ url: `/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, headers: { cookie } })).body

  const first = await token()
  t.equal(await token(), first, 'same second, same inputs: the same bytes')

  await app.inject({ method: 'PATCH', url: `/__mock/customers/${DEMO.john.id}`, headers: json, payload: { email: 'john.new@example.com', group_id: '9' } })
  const afterEdit = decodeToken(await token()).claims
  t.equal(afterEdit.customer.email, 'john.new@example.com', 'an edited customer is re-minted at once')
  t.equal(afterEdit.customer.group_id, '9')

  await app.inject({ method: 'PATCH', url: `/__mock/apps/${DEMO.hs512App.clientId}`, headers: json, payload: { client_secret: 'rotated-secret-0123456789' } })
  const rotated = await token()
  await verifyWithJose(rotated, { clientId: DEMO.hs512App.clientId, secret: 'rotated-secret-0123456789', algorithm: 'HS512' }, now)
  await t.rejects(verifyWithJose(rotated, { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }, now), 'not signed with the old secret')

  app.mock.clock.advance(1)
  t.equal(decodeToken(await token()).claims.iat, now + 1, 'the next second gives a new token')
})
