import t, { type Test } from 'tap'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import jwt from 'jsonwebtoken'
import { buildApp } from '../../server/index.js'
import type { AppView } from '../../server/control/apps.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

interface TokenAnswer {
  token: string
  claims: { iat: number; exp: number; aud: string; customer: { id: number; group_id: string } }
}

const SECRET = 'known-secret-4d1f9c0e-never-to-be-echoed'
const NEW_SECRET = 'rotated-secret-77b2a1-also-never-echoed'
const key = (secret: string) => new TextEncoder().encode(secret)

// Real time: jose and jsonwebtoken check `exp` against the real clock.
function setup(t: Test) {
  const app = buildApp()
  t.teardown(() => app.close())
  const api = controlClient(t, app)
  // Any answer holding one of these fails the test, whatever the endpoint.
  for (const secret of [SECRET, NEW_SECRET, DEMO.hs512App.secret, DEMO.hs256App.secret]) api.secrets.add(secret)
  return { app, api }
}

t.test('GET /__mock/apps lists the fixture apps without secrets', async (t) => {
  const { api } = setup(t)
  const list = await api.get<{ apps: AppView[] }>('/__mock/apps')
  t.equal(list.status, 200)
  t.same(list.body.apps, [
    {
      client_id: DEMO.hs512App.clientId,
      name: 'Demo app (HS512, as production)',
      algorithm: 'HS512',
      token_ttl: null,
      effective_token_ttl: 900,
      group_id: null,
    },
    {
      client_id: DEMO.hs256App.clientId,
      name: 'Demo app (HS256)',
      algorithm: 'HS256',
      token_ttl: null,
      effective_token_ttl: 900,
      group_id: null,
    },
  ])
  t.notMatch(list.text, /secret|signing/i, 'no secret, no signing key, not even the key names')
  t.same((await api.get<AppView>(`/__mock/apps/${DEMO.hs256App.clientId}`)).body, list.body.apps[1])
  const missing = await api.get<ErrorAnswer>('/__mock/apps/nope')
  t.equal(missing.status, 404)
  t.match(missing.body, { code: 'BCMOCK_UNKNOWN_APP', errors: { client_id: /registered: 6sv16tfx3j5gsopm42ss5dd67g2srvq/ } })
})

t.test('a registered secret never appears in any answer from the apps endpoints', async (t) => {
  const { api } = setup(t)
  const answers = [
    await api.post('/__mock/apps', { client_id: 'secret-app', client_secret: SECRET, name: 'Secret app' }),
    await api.get('/__mock/apps'),
    await api.get('/__mock/apps/secret-app'),
    await api.patch('/__mock/apps/secret-app', { token_ttl: 60 }),
    await api.patch('/__mock/apps/secret-app', { client_secret: NEW_SECRET }),
    await api.post('/__mock/apps', { client_id: 'secret-app', client_secret: SECRET }), // 409
    await api.post('/__mock/apps', { client_id: 'x y', client_secret: SECRET }), // 400
    await api.patch('/__mock/apps/secret-app', { client_secret: NEW_SECRET, algorithm: 'RS256' }), // 400
    await api.patch('/__mock/apps/secret-app', { client_secret: 12345 }), // 400
    await api.get('/__mock/health'),
    await api.delete('/__mock/apps/secret-app'),
  ]
  t.same(
    answers.map((answer) => answer.status),
    [201, 200, 200, 200, 200, 409, 400, 400, 400, 200, 200],
  )
  for (const answer of answers) {
    t.notOk(answer.text.includes(SECRET) || answer.text.includes(NEW_SECRET), `no secret in: ${answer.text.slice(0, 80)}`)
    t.notOk(answer.text.includes('12345'), 'a rejected secret is not echoed either')
  }
})

t.test('POST /__mock/apps registers an app with the fixture defaults', async (t) => {
  const { app, api } = setup(t)
  const created = await api.post<AppView>('/__mock/apps', { client_id: 'new-app', client_secret: SECRET })
  t.equal(created.status, 201)
  t.equal(created.headers.location, '/__mock/apps/new-app')
  t.same(created.body, { client_id: 'new-app', name: null, algorithm: 'HS512', token_ttl: null, effective_token_ttl: 900, group_id: null })

  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const response = await getToken(app, 'new-app', { cookie })
  t.equal(response.statusCode, 200, 'the storefront knows the app at once')
  const { payload, protectedHeader } = await jwtVerify(response.body, key(SECRET), { algorithms: ['HS512'], audience: 'new-app' })
  t.same(protectedHeader, { typ: 'JWT', alg: 'HS512' })
  t.equal(payload.exp! - payload.iat!, 900)

  const full = await api.post<AppView>('/__mock/apps', {
    client_id: 'full-app',
    client_secret: SECRET,
    name: 'Full',
    token_ttl: 120,
    algorithm: 'HS384',
    group_id: 5,
  })
  t.same(full.body, { client_id: 'full-app', name: 'Full', algorithm: 'HS384', token_ttl: 120, effective_token_ttl: 120, group_id: '5' })
})

t.test('POST /__mock/apps: fixture rules, each failure names its field; 409 for a taken client id', async (t) => {
  const { api } = setup(t)
  const cases: [string, unknown, string, RegExp][] = [
    ['no client id', { client_secret: SECRET }, 'client_id', /is required/],
    ['no secret', { client_id: 'a' }, 'client_secret', /is required/],
    ['blank secret', { client_id: 'a', client_secret: ' ' }, 'client_secret', /non-empty string/],
    ['numeric secret', { client_id: 'a', client_secret: 99 }, 'client_secret', /non-empty string/],
    ['client id with a space', { client_id: 'a b', client_secret: SECRET }, 'client_id', /printable characters without spaces/],
    ['empty client id', { client_id: '', client_secret: SECRET }, 'client_id', /printable characters/],
    ['ttl zero', { client_id: 'a', client_secret: SECRET, token_ttl: 0 }, 'token_ttl', /positive whole number of seconds/],
    ['ttl text', { client_id: 'a', client_secret: SECRET, token_ttl: '60' }, 'token_ttl', /positive whole number of seconds/],
    ['algorithm', { client_id: 'a', client_secret: SECRET, algorithm: 'none' }, 'algorithm', /one of HS256, HS384, HS512/],
    ['group id', { client_id: 'a', client_secret: SECRET, group_id: 'gold' }, 'group_id', /customer group id/],
    ['null name', { client_id: 'a', client_secret: SECRET, name: null }, 'name', /non-empty string/],
    ['unknown field', { client_id: 'a', client_secret: SECRET, clientSecret: SECRET }, 'clientSecret', /not accepted here/],
  ]
  for (const [name, body, field, message] of cases) {
    const answer = await api.post<ErrorAnswer>('/__mock/apps', body)
    t.equal(answer.status, 400, name)
    t.match(answer.body.errors[field], message, `${name}: ${answer.body.title}`)
  }
  const taken = await api.post<ErrorAnswer>('/__mock/apps', { client_id: DEMO.hs512App.clientId, client_secret: SECRET })
  t.equal(taken.status, 409)
  t.match(taken.body.errors.client_id, /already registered/)
  t.equal((await api.get<{ apps: AppView[] }>('/__mock/apps')).body.apps.length, 2, 'nothing was registered by the failures')
})

t.test('PATCH /__mock/apps/{client_id} changes token_ttl, algorithm and group_id; null clears', async (t) => {
  const { app, api } = setup(t)
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const patched = await api.patch<AppView>(`/__mock/apps/${DEMO.hs512App.clientId}`, { token_ttl: 30, algorithm: 'HS256', group_id: '42' })
  t.equal(patched.status, 200)
  t.match(patched.body, {
    algorithm: 'HS256',
    token_ttl: 30,
    effective_token_ttl: 30,
    group_id: '42',
    name: 'Demo app (HS512, as production)',
  })

  const token = (await getToken(app, DEMO.hs512App.clientId, { cookie })).body
  const { payload, protectedHeader } = await jwtVerify(token, key(DEMO.hs512App.secret), { algorithms: ['HS256'] })
  t.equal(protectedHeader.alg, 'HS256')
  t.equal(payload.exp! - payload.iat!, 30)
  t.equal((payload.customer as { group_id: string }).group_id, '42', 'group forced')

  const cleared = await api.patch<AppView>(`/__mock/apps/${DEMO.hs512App.clientId}`, { token_ttl: null, group_id: null, name: null })
  t.match(cleared.body, { token_ttl: null, effective_token_ttl: 900, group_id: null, name: null, algorithm: 'HS256' })
  const after = (await getToken(app, DEMO.hs512App.clientId, { cookie })).body
  const again = await jwtVerify(after, key(DEMO.hs512App.secret), { algorithms: ['HS256'] })
  t.equal(again.payload.exp! - again.payload.iat!, 900)
  t.equal((again.payload.customer as { group_id: string }).group_id, DEMO.john.groupId, "the customer's own group again")

  const empty = await api.patch<AppView>(`/__mock/apps/${DEMO.hs512App.clientId}`, {})
  t.equal(empty.status, 200, 'an empty PATCH changes nothing')
  t.same(empty.body, cleared.body)
})

t.test('PATCH /__mock/apps/{client_id}: 404 and 400 naming the field', async (t) => {
  const { api } = setup(t)
  t.equal((await api.patch<ErrorAnswer>('/__mock/apps/nope', { token_ttl: 5 })).status, 404)
  for (const [body, field] of [
    [{ token_ttl: -5 }, 'token_ttl'],
    [{ algorithm: null }, 'algorithm'],
    [{ client_secret: null }, 'client_secret'],
    [{ client_secret: '' }, 'client_secret'],
    [{ group_id: 'x' }, 'group_id'],
    [{ client_id: 'renamed' }, 'client_id'],
  ] as const) {
    const answer = await api.patch<ErrorAnswer>(`/__mock/apps/${DEMO.hs512App.clientId}`, body)
    t.equal(answer.status, 400, JSON.stringify(body))
    t.ok(answer.body.errors[field], `${JSON.stringify(body)}: ${answer.body.title}`)
  }
})

t.test('rotating client_secret: new tokens verify with the new secret only', async (t) => {
  const { app, api } = setup(t)
  await api.post('/__mock/apps', { client_id: 'rotating', client_secret: SECRET, algorithm: 'HS256' })
  const cookie = (await signIn(app, DEMO.jane.email, DEMO.jane.password)).cookie
  const before = (await getToken(app, 'rotating', { cookie })).body
  await jwtVerify(before, key(SECRET), { algorithms: ['HS256'] })

  const rotated = await api.patch<AppView>('/__mock/apps/rotating', { client_secret: NEW_SECRET })
  t.equal(rotated.status, 200)

  const fromStorefront = (await getToken(app, 'rotating', { cookie })).body
  const fromControl = (await api.post<TokenAnswer>('/__mock/tokens', { client_id: 'rotating', customer_id: DEMO.jane.id })).body.token
  for (const token of [fromStorefront, fromControl]) {
    await t.resolves(jwtVerify(token, key(NEW_SECRET), { algorithms: ['HS256'] }), 'verifies with the new secret (jose)')
    t.doesNotThrow(
      () => jwt.verify(token, NEW_SECRET, { algorithms: ['HS256'], audience: 'rotating' }),
      'verifies with the new secret (jsonwebtoken)',
    )
    await t.rejects(jwtVerify(token, key(SECRET), { algorithms: ['HS256'] }), 'not with the old one (jose)')
    t.throws(() => jwt.verify(token, SECRET, { algorithms: ['HS256'] }), 'not with the old one (jsonwebtoken)')
  }
})

t.test('DELETE /__mock/apps/{client_id} unregisters the app', async (t) => {
  const { app, api } = setup(t)
  const removed = await api.delete<{ client_id: string }>(`/__mock/apps/${DEMO.hs256App.clientId}`)
  t.equal(removed.status, 200)
  t.same(removed.body, { client_id: DEMO.hs256App.clientId })
  t.equal((await api.get(`/__mock/apps/${DEMO.hs256App.clientId}`)).status, 404)
  t.equal((await api.delete(`/__mock/apps/${DEMO.hs256App.clientId}`)).status, 404, 'twice is a 404')
  const cookie = (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie
  const response = await getToken(app, DEMO.hs256App.clientId, { cookie })
  t.equal(response.statusCode, 400, 'the storefront no longer knows it')
  t.equal(decodeProtectedHeader((await getToken(app, DEMO.hs512App.clientId, { cookie })).body).alg, 'HS512', 'the other app is untouched')
})
