import t from 'tap'
import { jwtVerify } from 'jose'
import { buildApp } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

t.test('a customer signed in through the form gets a token that verifies with the app secret', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const response = await getToken(app, DEMO.hs512App.clientId, { cookie })
  t.equal(response.statusCode, 200)
  const { payload, protectedHeader } = await jwtVerify(response.body, new TextEncoder().encode(DEMO.hs512App.secret), {
    algorithms: ['HS512'],
    audience: DEMO.hs512App.clientId,
  })
  t.same(protectedHeader, { typ: 'JWT', alg: 'HS512' })
  t.equal((payload.customer as { id: number }).id, DEMO.john.id)
})
