import t, { type Test } from 'tap'
import { buildApp } from '../../server/index.js'
import type { SessionView } from '../../server/control/sessions.js'
import { controlClient, type ErrorAnswer } from '../helpers/control.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

type CreatedSession = SessionView & { cookie: string }

const NOW = 1_700_000_000

function setup(t: Test, options: { sessionTtl?: number } = {}) {
  const app = buildApp({ now: NOW, ...options })
  t.teardown(() => app.close())
  return { app, api: controlClient(t, app) }
}

// The raw values of the two session cookies inside a Cookie header.
function cookieValues(cookie: string): string[] {
  return cookie.split(';').map((pair) => pair.trim().split('=')[1] ?? '')
}

t.test('POST /__mock/sessions {customer_id}: 201, Set-Cookie and a ready cookie header', async (t) => {
  const { app, api } = setup(t)
  const created = await api.post<CreatedSession>('/__mock/sessions', { customer_id: DEMO.john.id })
  t.equal(created.status, 201)
  t.match(created.body, {
    customer_id: DEMO.john.id,
    email: DEMO.john.email,
    created_at: new Date(NOW * 1000).toISOString(),
    expires_at: new Date((NOW + 86_400) * 1000).toISOString(),
  })
  t.match(created.body.id, /^[A-Za-z0-9_-]{16}$/)
  t.match(created.body.cookie, /^SHOP_SESSION_TOKEN=[\w-]{43}; SHOP_TOKEN=[\w-]{43}$/)
  t.equal(created.headers['cache-control'], 'no-store')

  const setCookies = ([] as string[]).concat(created.headers['set-cookie'] ?? [])
  t.equal(setCookies.length, 2)
  for (const line of setCookies) t.match(line, /; Path=\/; HttpOnly; SameSite=Lax$/)
  const jar = created.response.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
  t.equal(jar, created.body.cookie, 'Set-Cookie and the body hold the same session')

  const token = await getToken(app, DEMO.hs512App.clientId, { cookie: created.body.cookie })
  t.equal(token.statusCode, 200, 'the cookie signs the storefront in')
  for (const value of cookieValues(created.body.cookie))
    t.notOk(created.body.id.includes(value.slice(0, 16)), 'the handle is not the cookie')
})

t.test('POST /__mock/sessions {email}, without regard to case', async (t) => {
  const { app, api } = setup(t)
  const created = await api.post<CreatedSession>('/__mock/sessions', { email: DEMO.jane.email.toUpperCase() })
  t.equal(created.status, 201)
  t.equal(created.body.customer_id, DEMO.jane.id)
  t.equal((await getToken(app, DEMO.hs256App.clientId, { cookie: created.body.cookie })).statusCode, 200)
})

t.test('POST /__mock/sessions: 400 naming the field, 404 for an unknown customer', async (t) => {
  const { api } = setup(t)
  const cases: [unknown, string, RegExp][] = [
    [{}, 'customer_id', /exactly one of customer_id or email/],
    [{ customer_id: DEMO.john.id, email: DEMO.john.email }, 'email', /exactly one/],
    [{ customer_id: '4927' }, 'customer_id', /positive whole number/],
    [{ customer_id: 0 }, 'customer_id', /positive whole number/],
    [{ email: 'nope' }, 'email', /email address/],
    [{ customerId: 4927 }, 'customerId', /not accepted here \(expected one of: customer_id, email\)/],
  ]
  for (const [body, field, message] of cases) {
    const answer = await api.post<ErrorAnswer>('/__mock/sessions', body)
    t.equal(answer.status, 400, JSON.stringify(body))
    t.match(answer.body.errors[field], message, answer.body.title)
  }
  const unknownId = await api.post<ErrorAnswer>('/__mock/sessions', { customer_id: 999_999 })
  t.equal(unknownId.status, 404)
  t.ok(unknownId.body.errors.customer_id)
  const unknownEmail = await api.post<ErrorAnswer>('/__mock/sessions', { email: 'ghost@example.com' })
  t.equal(unknownEmail.status, 404)
  t.match(unknownEmail.body.errors.email, /ghost@example.com/)
})

t.test('GET /__mock/sessions lists sessions by handle, never by cookie value', async (t) => {
  const { app, api } = setup(t)
  const viaControl = await api.post<CreatedSession>('/__mock/sessions', { customer_id: DEMO.john.id })
  const viaForm = (await signIn(app, DEMO.jane.email, DEMO.jane.password)).cookie
  const list = await api.get<{ sessions: SessionView[] }>('/__mock/sessions')
  t.equal(list.status, 200)
  t.same(
    list.body.sessions.map((session) => [session.customer_id, session.email]),
    [
      [DEMO.john.id, DEMO.john.email],
      [DEMO.jane.id, DEMO.jane.email],
    ],
  )
  t.equal(list.body.sessions[0]?.id, viaControl.body.id, 'the same handle as POST gave')
  for (const value of [...cookieValues(viaControl.body.cookie), ...cookieValues(viaForm)]) {
    t.notOk(list.text.includes(value), 'no session id or shop token in the listing')
  }
  t.notMatch(list.text, /cookie|SHOP_/i)
})

t.test('DELETE /__mock/sessions/{id} signs one session out', async (t) => {
  const { app, api } = setup(t)
  const john = await api.post<CreatedSession>('/__mock/sessions', { customer_id: DEMO.john.id })
  const jane = await api.post<CreatedSession>('/__mock/sessions', { customer_id: DEMO.jane.id })
  const ended = await api.delete<{ id: string; customer_id: number }>(`/__mock/sessions/${john.body.id}`)
  t.equal(ended.status, 200)
  t.same(ended.body, { id: john.body.id, customer_id: DEMO.john.id })
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie: john.body.cookie })).statusCode, 404, 'signed out')
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie: jane.body.cookie })).statusCode, 200, 'the other session stays')
  const again = await api.delete<ErrorAnswer>(`/__mock/sessions/${john.body.id}`)
  t.equal(again.status, 404)
  t.match(again.body, { code: 'BCMOCK_UNKNOWN_SESSION', errors: { id: /GET \/__mock\/sessions/ } })
  const bad = await api.delete<ErrorAnswer>('/__mock/sessions/not-a-handle')
  t.equal(bad.status, 400)
  t.match(bad.body.errors.id, /session handle/)
  const cookieAsId = await api.delete<ErrorAnswer>(`/__mock/sessions/${cookieValues(jane.body.cookie)[0]}`)
  t.equal(cookieAsId.status, 400, 'a cookie value is not a handle')
})

t.test('DELETE /__mock/sessions signs everyone out', async (t) => {
  const { app, api } = setup(t)
  const cookies = [
    (await api.post<CreatedSession>('/__mock/sessions', { customer_id: DEMO.john.id })).body.cookie,
    (await api.post<CreatedSession>('/__mock/sessions', { customer_id: DEMO.jane.id })).body.cookie,
    (await signIn(app, DEMO.john.email, DEMO.john.password)).cookie,
  ]
  const ended = await api.delete<{ ended: number }>('/__mock/sessions')
  t.same(ended.body, { ended: 3 })
  for (const cookie of cookies) t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie })).statusCode, 404)
  t.same((await api.get('/__mock/sessions')).body, { sessions: [] })
  t.same((await api.delete('/__mock/sessions')).body, { ended: 0 })
})

t.test('sessions idle past the session TTL (by the mock clock) are no longer listed', async (t) => {
  const { app, api } = setup(t, { sessionTtl: 60 })
  const created = await api.post<CreatedSession>('/__mock/sessions', { customer_id: DEMO.john.id })
  await api.put('/__mock/clock', { advance: 59 })
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie: created.body.cookie })).statusCode, 200, 'used at 59 s')
  const listed = await api.get<{ sessions: SessionView[] }>('/__mock/sessions')
  t.equal(listed.body.sessions[0]?.last_seen_at, new Date((NOW + 59) * 1000).toISOString())
  t.equal(listed.body.sessions[0]?.expires_at, new Date((NOW + 119) * 1000).toISOString())
  await api.put('/__mock/clock', { advance: 61 })
  t.same((await api.get('/__mock/sessions')).body, { sessions: [] })
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie: created.body.cookie })).statusCode, 404)
})
