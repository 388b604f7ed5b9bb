// The fault registry on its own, without Fastify or a Store: which fault a request takes, how
// `times` counts down and ends a fault, how `client_id`, `customer_id` and the signed-in effects
// narrow a match, and the registry's bound.
import t from 'tap'
import { FaultRegistry } from '../../server/domain/fault-registry.js'
import { DEFAULT_FAULT_STATUS, MAX_ACTIVE_FAULTS, type FaultRoute } from '../../server/domain/rules/fault-rules.js'
import { ERRORS, MockError } from '../../server/errors.js'

const NOW = 1_700_000_000_000
const signedIn = { clientId: 'app-a', customerId: 11, signedIn: true }

t.test('add: ids in creation order, the defaults filled in, the time it was made', async (t) => {
  const faults = new FaultRegistry()
  const first = faults.add({ route: 'current-customer', effect: 'status' }, NOW)
  const second = faults.add({ route: 'sign-in', effect: 'delay', delay_ms: 250, times: 2 }, NOW + 5)
  t.same(first, {
    id: 'f1',
    route: 'current-customer',
    effect: 'status',
    times: null,
    remaining: null,
    applied: 0,
    clientId: null,
    customerId: null,
    status: DEFAULT_FAULT_STATUS,
    delayMs: null,
    createdAtMs: NOW,
  })
  t.same(second, {
    id: 'f2',
    route: 'sign-in',
    effect: 'delay',
    times: 2,
    remaining: 2,
    applied: 0,
    clientId: null,
    customerId: null,
    status: null,
    delayMs: 250,
    createdAtMs: NOW + 5,
  })
  t.ok(faults.has('current-customer'))
  t.ok(faults.has('sign-in'))
  t.notOk(faults.has('account'), 'a route without faults')
})

t.test('list: every route, in creation order', async (t) => {
  const faults = new FaultRegistry()
  const routes: FaultRoute[] = ['account', 'current-customer', 'account', 'sign-in', 'current-customer']
  for (const route of routes) faults.add({ route, effect: 'reset' }, NOW)
  t.same(
    faults.list().map((fault) => [fault.id, fault.route]),
    routes.map((route, index) => [`f${index + 1}`, route]),
  )
})

t.test('a refused spec names its field and uses no id', async (t) => {
  const faults = new FaultRegistry()
  const cases: [Record<string, unknown>, string][] = [
    [{ route: 'basket', effect: 'status' }, 'route'],
    [{ route: 'sign-in', effect: 'expired-token' }, 'effect'],
    [{ route: 'current-customer', effect: 'status', times: 0 }, 'times'],
    [{ route: 'current-customer', effect: 'status', time: 1 }, 'time'],
    [{ route: 'current-customer', effect: 'delay' }, 'delay_ms'],
    [{ route: 'current-customer', effect: 'status', status: 200 }, 'status'],
  ]
  for (const [spec, field] of cases) {
    t.throws(() => faults.add(spec as never, NOW), { code: ERRORS.invalidRequest.code, field }, `${JSON.stringify(spec)} names ${field}`)
  }
  t.same(faults.list(), [], 'nothing was added')
  t.equal(faults.add({ route: 'account', effect: 'reset' }, NOW).id, 'f1', 'the next good spec still gets the first id')
})

t.test('take: the first matching fault in creation order', async (t) => {
  const faults = new FaultRegistry()
  faults.add({ route: 'current-customer', effect: 'status', status: 503 }, NOW)
  faults.add({ route: 'current-customer', effect: 'status', status: 502 }, NOW)
  faults.add({ route: 'sign-in', effect: 'status', status: 418 }, NOW)
  t.equal(faults.take('current-customer', signedIn)?.id, 'f1')
  t.equal(faults.take('current-customer', signedIn)?.id, 'f1', 'a fault without times stays first')
  t.equal(faults.take('sign-in', {})?.id, 'f3', 'each route has its own faults')
  t.equal(faults.take('account', signedIn), undefined, 'no fault on the route')
  t.equal(faults.list()[0]?.applied, 2, 'applications are counted')
  t.equal(faults.list()[0]?.remaining, null, 'an unbounded fault has no remaining count')
})

t.test('take: times counts down and ends the fault; the next one then matches', async (t) => {
  const faults = new FaultRegistry()
  faults.add({ route: 'customer-login', effect: 'status', times: 2 }, NOW)
  faults.add({ route: 'customer-login', effect: 'hang', times: 1 }, NOW)
  const first = faults.take('customer-login', {})
  t.match(first, { id: 'f1', applied: 1, remaining: 1 })
  t.match(faults.take('customer-login', {}), { id: 'f1', applied: 2, remaining: 0 }, 'the last use answers the fault')
  t.same(
    faults.list().map((fault) => fault.id),
    ['f2'],
    'the used-up fault is gone',
  )
  t.match(faults.take('customer-login', {}), { id: 'f2', remaining: 0 })
  t.equal(faults.take('customer-login', {}), undefined, 'nothing left')
  t.notOk(faults.has('customer-login'))
  t.same(faults.list(), [])
})

t.test('take: client_id and customer_id narrow a fault; a narrow fault made later still waits its turn', async (t) => {
  const faults = new FaultRegistry()
  faults.add({ route: 'current-customer', effect: 'status', client_id: 'app-b' }, NOW)
  faults.add({ route: 'current-customer', effect: 'status', customer_id: 12 }, NOW)
  faults.add({ route: 'current-customer', effect: 'status' }, NOW)
  faults.add({ route: 'current-customer', effect: 'status', client_id: 'app-a', customer_id: 11 }, NOW)
  t.equal(faults.take('current-customer', { clientId: 'app-b', customerId: 11, signedIn: true })?.id, 'f1', 'the app matches')
  t.equal(faults.take('current-customer', { clientId: 'app-a', customerId: 12, signedIn: true })?.id, 'f2', 'the customer matches')
  t.equal(
    faults.take('current-customer', { clientId: 'app-a', customerId: 11, signedIn: true })?.id,
    'f3',
    'the general fault comes before the narrower one made after it',
  )
  t.equal(faults.take('current-customer', {})?.id, 'f3', 'a request without app or customer matches only unnarrowed faults')
  faults.remove('f3')
  t.equal(faults.take('current-customer', { clientId: 'app-a', customerId: 11 })?.id, 'f4', 'both narrowings must match')
  t.equal(faults.take('current-customer', { clientId: 'app-a', customerId: 99 }), undefined)
})

t.test('take: a token-shaping or signed-out effect matches only a request answered signed in', async (t) => {
  const faults = new FaultRegistry()
  faults.add({ route: 'current-customer', effect: 'expired-token', times: 1 }, NOW)
  faults.add({ route: 'current-customer', effect: 'reset', times: 1 }, NOW)
  t.equal(
    faults.take('current-customer', { clientId: 'app-a' })?.id,
    'f2',
    'a guest skips the token-shaping fault and takes the transport one',
  )
  t.equal(
    faults.take('current-customer', { clientId: 'app-a', signedIn: false }),
    undefined,
    'the expired-token fault is not used up by a guest',
  )
  t.match(faults.list(), [{ id: 'f1', remaining: 1, applied: 0 }])
  t.equal(faults.take('current-customer', signedIn)?.id, 'f1')
  t.same(faults.list(), [])
})

t.test('remove and clear; ids are never reused', async (t) => {
  const faults = new FaultRegistry()
  faults.add({ route: 'account', effect: 'signed-out' }, NOW)
  faults.add({ route: 'account', effect: 'reset' }, NOW)
  t.match(faults.remove('f1'), { id: 'f1', effect: 'signed-out' })
  t.equal(faults.remove('f1'), undefined, 'already removed')
  t.equal(faults.remove('nope'), undefined)
  t.equal(faults.add({ route: 'sign-in', effect: 'reset' }, NOW).id, 'f3')
  t.equal(faults.clear(), 2, 'clear answers how many were active')
  t.equal(faults.clear(), 0)
  for (const route of ['current-customer', 'customer-login', 'sign-in', 'account'] as const) t.notOk(faults.has(route))
  t.equal(faults.add({ route: 'sign-in', effect: 'reset' }, NOW).id, 'f4', 'clear does not restart the ids')
})

t.test(`at most ${MAX_ACTIVE_FAULTS} active faults; a used-up or removed one frees its place`, async (t) => {
  const faults = new FaultRegistry()
  faults.add({ route: 'sign-in', effect: 'reset', times: 1 }, NOW)
  for (let i = 1; i < MAX_ACTIVE_FAULTS; i++) faults.add({ route: 'account', effect: 'reset' }, NOW)
  t.equal(faults.list().length, MAX_ACTIVE_FAULTS)
  const refused = t.throws(() => faults.add({ route: 'account', effect: 'reset' }, NOW), {
    code: ERRORS.tooManyFaults.code,
    statusCode: ERRORS.tooManyFaults.statusCode,
  })
  t.type(refused, MockError)
  faults.take('sign-in', {})
  t.equal(
    faults.add({ route: 'account', effect: 'reset' }, NOW).id,
    `f${MAX_ACTIVE_FAULTS + 1}`,
    'the used-up fault freed a place; the refused add used no id',
  )
  t.throws(() => faults.add({ route: 'account', effect: 'reset' }, NOW), { code: ERRORS.tooManyFaults.code })
  faults.remove('f2')
  t.ok(faults.add({ route: 'account', effect: 'reset' }, NOW), 'a removed fault frees a place')
})

t.test('a route that is none (from untyped code) is refused, naming the field', async (t) => {
  const faults = new FaultRegistry()
  t.throws(() => faults.has('basket' as FaultRoute), { code: ERRORS.invalidRequest.code, field: 'route' })
  t.throws(() => faults.take('basket' as FaultRoute, {}), { code: ERRORS.invalidRequest.code, field: 'route' })
})
