// Session eviction at --max-sessions: the least recently used session ends, never the newest.
import fc from 'fast-check'
import t from 'tap'
import { SessionStore } from '../../server/domain/session-store.js'
import { buildApp } from '../../server/index.js'
import { PROPERTY_SEED } from '../helpers/property.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'

t.test('at maxSessions the newest sign-in keeps its session (every held session had fetched a token)', async (t) => {
  const app = buildApp({ maxSessions: 3 })
  t.teardown(() => app.close())
  const sessions = []
  for (let i = 0; i < 3; i++) {
    const session = await signIn(app, DEMO.john.email, DEMO.john.password)
    t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie: session.cookie })).statusCode, 200, `session ${i + 1} fetched a token`)
    sessions.push(session)
  }
  const fourth = await signIn(app, DEMO.jane.email, DEMO.jane.password)
  t.equal(
    (await getToken(app, DEMO.hs512App.clientId, { cookie: fourth.cookie })).statusCode,
    200,
    'the fourth, newest sign-in gets a token',
  )
  t.equal(
    (await getToken(app, DEMO.hs512App.clientId, { cookie: sessions[0]!.cookie })).statusCode,
    404,
    'the least recently used (the first) ended',
  )
  t.equal((await getToken(app, DEMO.hs512App.clientId, { cookie: sessions[1]!.cookie })).statusCode, 200, 'the second is still signed in')
})

// A reference LRU: an array, least recently used first.
type Op = { kind: 'create' } | { kind: 'resume'; pick: number } | { kind: 'end'; pick: number } | { kind: 'forged'; pick: number }

t.test('model: the session store evicts exactly as a reference LRU', async (t) => {
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Op>({ kind: 'create' }) },
    { weight: 4, arbitrary: fc.nat(50).map<Op>((pick) => ({ kind: 'resume', pick })) },
    { weight: 1, arbitrary: fc.nat(50).map<Op>((pick) => ({ kind: 'end', pick })) },
    { weight: 1, arbitrary: fc.nat(50).map<Op>((pick) => ({ kind: 'forged', pick })) },
  )
  let runs = 0
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 80 }), (maxSessions, ops) => {
      runs++
      const store = new SessionStore({ idleTtlSeconds: 86_400, maxSessions })
      const model: { id: string; shopToken: string }[] = []
      const everIssued: { id: string; shopToken: string }[] = []
      for (const step of ops) {
        if (step.kind === 'create') {
          const session = store.create(1, 0)
          model.push({ id: session.id, shopToken: session.shopToken })
          everIssued.push(model.at(-1)!)
          if (model.length > maxSessions) model.shift()
        } else if (everIssued.length > 0) {
          const target = everIssued[step.pick % everIssued.length]!
          const index = model.findIndex((entry) => entry.id === target.id)
          if (step.kind === 'resume') {
            const found = store.resume(target.id, target.shopToken, 0)
            if ((found !== undefined) !== (index !== -1)) return false
            if (index !== -1) model.push(...model.splice(index, 1))
          } else if (step.kind === 'forged') {
            if (store.resume(target.id, 'x'.repeat(43), 0) !== undefined) return false
          } else {
            if (store.end(target.id) !== (index !== -1)) return false
            if (index !== -1) model.splice(index, 1)
          }
        }
        const held = [...store.all()].map((session) => session.id)
        if (held.join() !== model.map((entry) => entry.id).join()) return false
      }
      return true
    }),
    { seed: PROPERTY_SEED, numRuns: 500 },
  )
  t.equal(runs > 0, true, `${runs} generated sequences`)
})
