// GET /customer/current.jwt: statuses, content negotiation, caching and which sessions count.
import t, { type Test } from 'tap'
import { buildApp } from '../../server/index.js'
import { DEMO } from '../helpers/storefront.js'
import { BROWSER_ACCEPT, CHECKOUT_SDK_ACCEPT, cookieHeader, getToken, signIn, tamper } from '../helpers/session.js'
import { checkToken, type AppUnderTest } from '../helpers/tokens.js'

const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }
const HS256: AppUnderTest = { clientId: DEMO.hs256App.clientId, secret: DEMO.hs256App.secret, algorithm: 'HS256' }

async function signedInApp(t: Test, options: Parameters<typeof buildApp>[0] = {}) {
  const app = buildApp(options)
  t.teardown(() => app.close())
  const session = await signIn(app, DEMO.john.email, DEMO.john.password)
  return { app, session }
}

t.test('signed-in customer: 200, the JWT as a plain-text body, not cacheable', async (t) => {
  const { app, session } = await signedInApp(t)
  for (const target of [HS512, HS256]) {
    const response = await getToken(app, target.clientId, { cookie: session.cookie })
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^text\/plain\b/, 'content-type text/plain')
    t.match(response.headers['cache-control'], /\bno-store\b/, 'Cache-Control: no-store')
    t.notMatch(response.body, /^\s|\s$|"/, 'the bare token: no quotes, no surrounding whitespace')
    const claims = await checkToken(t, response.body, target)
    t.equal(claims.customer.id, DEMO.john.id)
    t.equal(claims.customer.email, DEMO.john.email)
    t.equal(claims.customer.group_id, DEMO.john.groupId)
    t.equal(claims.store_hash, DEMO.storeHash)
  }
})

t.test('content negotiation', async (t) => {
  const { app, session } = await signedInApp(t)
  const cookie = session.cookie

  t.test('checkout SDK Accept gets JSON {"token"}', async (t) => {
    const response = await getToken(app, HS512.clientId, { cookie, accept: CHECKOUT_SDK_ACCEPT })
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^application\/json\b/)
    t.match(response.headers['cache-control'], /\bno-store\b/)
    const body = response.json<{ token: string }>()
    t.same(Object.keys(body), ['token'], 'only a token key')
    await checkToken(t, body.token, HS512)
  })

  t.test('application/json alone, or preferred by quality, gets JSON', async (t) => {
    for (const accept of ['application/json', 'text/plain;q=0.5, application/json', '*/*;q=0.1, application/json']) {
      const response = await getToken(app, HS256.clientId, { cookie, accept })
      t.match(response.headers['content-type'], /^application\/json\b/, accept)
      await checkToken(t, response.json<{ token: string }>().token, HS256)
    }
  })

  const plainCases: Array<[string, string | undefined]> = [
    ['*/*', '*/*'],
    ["a browser's Accept", BROWSER_ACCEPT],
    ['no Accept header', undefined],
    ['text/plain', 'text/plain'],
    ['text/plain preferred over JSON', 'text/plain, application/json'],
    ['JSON with a lower quality', 'application/json;q=0.5, text/plain'],
  ]
  for (const [label, accept] of plainCases) {
    t.test(`${label} gets plain text`, async (t) => {
      const response = await getToken(app, HS512.clientId, accept === undefined ? { cookie } : { cookie, accept })
      t.equal(response.statusCode, 200)
      t.match(response.headers['content-type'], /^text\/plain\b/)
      t.match(response.headers['cache-control'], /\bno-store\b/)
      await checkToken(t, response.body, HS512)
    })
  }
})

t.test('guest: 404 with an errors body, not cacheable', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  for (const accept of [undefined, CHECKOUT_SDK_ACCEPT, '*/*']) {
    const response = await getToken(app, HS512.clientId, accept === undefined ? {} : { accept })
    t.equal(response.statusCode, 404)
    t.match(response.body, /errors/, 'the body contains "errors"')
    t.match(response.headers['cache-control'], /\bno-store\b/, 'Cache-Control: no-store on the 404')
  }
})

t.test('session cookies that do not name a live session: 404', async (t) => {
  const { app, session } = await signedInApp(t)
  const cases: Array<[string, string]> = [
    ['an unknown session id', cookieHeader('A'.repeat(43), session.shopToken)],
    ['one character of SHOP_SESSION_TOKEN changed', cookieHeader(tamper(session.sessionId), session.shopToken)],
    ['a wrong SHOP_TOKEN', cookieHeader(session.sessionId, tamper(session.shopToken))],
    ['SHOP_TOKEN of another session', cookieHeader(session.sessionId, (await signIn(app, DEMO.jane.email, DEMO.jane.password)).shopToken)],
    ['SHOP_TOKEN missing', `SHOP_SESSION_TOKEN=${session.sessionId}`],
    ['SHOP_SESSION_TOKEN missing', `SHOP_TOKEN=${session.shopToken}`],
    ['empty values', 'SHOP_SESSION_TOKEN=; SHOP_TOKEN='],
    ['a truncated session id', cookieHeader(session.sessionId.slice(0, -1), session.shopToken)],
  ]
  for (const [label, cookie] of cases) {
    const response = await getToken(app, HS512.clientId, { cookie })
    t.equal(response.statusCode, 404, label)
    t.match(response.body, /errors/, label)
    t.match(response.headers['cache-control'], /\bno-store\b/, label)
  }
  const still = await getToken(app, HS512.clientId, { cookie: session.cookie })
  t.equal(still.statusCode, 200, 'the real cookies still work after the tampered attempts')
  await checkToken(t, still.body, HS512)
})

t.test('an expired session: 404', async (t) => {
  const now = Math.floor(Date.now() / 1000)
  const { app, session } = await signedInApp(t, { now, sessionTtl: 600 })
  app.mock.changeClock({ advance: 601 })
  const response = await getToken(app, HS512.clientId, { cookie: session.cookie })
  t.equal(response.statusCode, 404)
  t.match(response.body, /errors/)
  t.match(response.headers['cache-control'], /\bno-store\b/)
})

t.test('app_client_id missing or empty: 400 naming app_client_id', async (t) => {
  const { app, session } = await signedInApp(t)
  for (const [label, url] of [
    ['missing', '/customer/current.jwt'],
    ['empty', '/customer/current.jwt?app_client_id='],
    ['another parameter only', '/customer/current.jwt?client_id=6sv16tfx3j5gsopm42ss5dd67g2srvq'],
  ] as const) {
    for (const cookie of [session.cookie, undefined]) {
      const response = await app.inject({ url, headers: cookie ? { cookie } : {} })
      const who = cookie ? 'signed in' : 'guest'
      t.equal(response.statusCode, 400, `${label}, ${who}`)
      t.match(response.body, /app_client_id/, `${label}, ${who}: the message names app_client_id`)
      t.match(response.body, /errors/, `${label}, ${who}`)
      t.match(response.headers['cache-control'], /\bno-store\b/, `${label}, ${who}: not cacheable either`)
    }
  }
})

t.test('an unknown app_client_id: 400 listing the registered ids, for guests too', async (t) => {
  const { app, session } = await signedInApp(t)
  for (const cookie of [session.cookie, undefined]) {
    const response = await getToken(app, 'not-a-registered-app', cookie ? { cookie } : {})
    t.equal(response.statusCode, 400, 'not mistaken for a guest (404)')
    t.match(response.body, /app_client_id/)
    t.match(response.body, /not-a-registered-app/, 'names the id it was given')
    t.match(response.body, DEMO.hs512App.clientId, 'lists the first registered id')
    t.match(response.body, DEMO.hs256App.clientId, 'lists the second registered id')
    t.notMatch(response.body, DEMO.hs512App.secret, 'never a secret')
  }
  const caseChanged = await getToken(app, DEMO.hs512App.clientId.toUpperCase(), { cookie: session.cookie })
  t.equal(caseChanged.statusCode, 400, 'client ids are compared exactly')
})

t.test('each customer gets their own token', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const john = await signIn(app, DEMO.john.email, DEMO.john.password)
  const jane = await signIn(app, DEMO.jane.email, DEMO.jane.password)
  const johnClaims = await checkToken(t, (await getToken(app, HS256.clientId, { cookie: john.cookie })).body, HS256)
  const janeClaims = await checkToken(t, (await getToken(app, HS256.clientId, { cookie: jane.cookie })).body, HS256)
  t.same(johnClaims.customer, { id: DEMO.john.id, email: DEMO.john.email, group_id: '6' })
  t.same(janeClaims.customer, { id: DEMO.jane.id, email: DEMO.jane.email, group_id: '0' }, 'group_id defaults to "0"')
})
