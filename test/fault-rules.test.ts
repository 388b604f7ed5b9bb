// The rules of a fault spec, the same through every door (options, the handle, the control
// API): unknown fields named with the one meant, and every field's bounds.
import t, { type Test } from 'tap'
import { buildApp, ERRORS, MockError, startMockStorefront, type FaultSpec, type RunningMockStorefront } from '../server/index.js'

const NOW = 1_700_000_000
const BASE = { route: 'current-customer', effect: 'status' }

async function start(t: Test, faults: FaultSpec[] = []): Promise<RunningMockStorefront> {
  const storefront = await startMockStorefront({ now: NOW, faults })
  t.teardown(() => storefront.close())
  return storefront
}

function postFault(storefront: RunningMockStorefront, body: unknown) {
  return fetch(`${storefront.url}/__mock/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

t.test('a misspelt field is refused everywhere, naming it and the field meant', async (t) => {
  const storefront = await start(t)
  for (const [field, value, meant] of [
    ['time', 1, 'times'],
    ['statusCode', 503, 'status'],
    ['delayMs', 5, 'delay_ms'],
    ['clientId', 'x', 'client_id'],
  ] as const) {
    const spec = { ...BASE, [field]: value } as unknown as FaultSpec
    const named = new RegExp(`'?${field}'?.*did you mean '?${meant}'?`)
    t.throws(() => buildApp({ faults: [spec] }), { code: ERRORS.invalidOption.code, field: `faults[0].${field}`, message: named }, `buildApp option: ${field}`)
    await t.rejects(startMockStorefront({ faults: [spec] }), { code: ERRORS.invalidOption.code, field: `faults[0].${field}`, message: named }, `startMockStorefront option: ${field}`)
    t.throws(() => storefront.faults.add(spec), { code: ERRORS.invalidRequest.code, field, message: named }, `handle faults.add: ${field}`)
    const answer = await postFault(storefront, spec)
    t.equal(answer.status, 400, `control API: ${field} is a 400`)
    const body = (await answer.json()) as { errors: Record<string, string> }
    t.match(body.errors[field], named, `control API: names ${field} and suggests ${meant} (${JSON.stringify(body.errors)})`)
  }
  t.throws(() => storefront.faults.add({ ...BASE, colour: 'red' } as unknown as FaultSpec), { field: 'colour', message: /'colour' is not a fault field \(fields: route, effect, times/ }, 'no suggestion when nothing is close')
  t.same(storefront.faults.list(), [], 'none was added')
})

t.test('every field is bounded the same through the handle and the control API', async (t) => {
  const storefront = await start(t)
  const refused: [Record<string, unknown>, string][] = [
    [{ times: 0 }, 'times'],
    [{ times: -1 }, 'times'],
    [{ times: 1.5 }, 'times'],
    [{ times: 2 ** 53 }, 'times'],
    [{ times: '3' }, 'times'],
    [{ times: Number.POSITIVE_INFINITY }, 'times'],
    [{ times: Number.NaN }, 'times'],
    [{ status: 99 }, 'status'],
    [{ status: 101 }, 'status'],
    [{ status: 200 }, 'status'],
    [{ status: 399 }, 'status'],
    [{ status: 600 }, 'status'],
    [{ status: 503.5 }, 'status'],
    [{ effect: 'delay', delay_ms: -1 }, 'delay_ms'],
    [{ effect: 'delay', delay_ms: 60_001 }, 'delay_ms'],
    [{ effect: 'delay', delay_ms: 1.5 }, 'delay_ms'],
    [{ client_id: '' }, 'client_id'],
    [{ client_id: 'two words' }, 'client_id'],
    [{ client_id: 5 }, 'client_id'],
    [{ customer_id: 0 }, 'customer_id'],
    [{ route: 'Current-Customer' }, 'route'],
    [{ route: 'constructor' }, 'route'],
    [{ route: '__proto__' }, 'route'],
    [{ effect: 'toString' }, 'effect'],
  ]
  for (const [fields, field] of refused) {
    const spec = { ...BASE, ...fields } as unknown as FaultSpec
    t.throws(() => storefront.faults.add(spec), { code: ERRORS.invalidRequest.code, field }, `handle: ${JSON.stringify(fields)} names ${field}`)
    const answer = await postFault(storefront, spec)
    const body = (await answer.json()) as { errors?: Record<string, string> }
    t.ok(answer.status === 400 && body.errors?.[field], `control API: ${JSON.stringify(fields)} is a 400 naming ${field}`)
  }
  // What JSON cannot carry still gets a MockError naming the field, never a TypeError.
  t.throws(() => storefront.faults.add({ ...BASE, times: 1n } as unknown as FaultSpec), { code: ERRORS.invalidRequest.code, field: 'times', message: /got 1n/ })
  for (const spec of [null, 'current-customer:status', [BASE], undefined]) {
    t.throws(() => storefront.faults.add(spec as unknown as FaultSpec), MockError, `handle: ${JSON.stringify(spec)} is a MockError`)
  }
  t.same(storefront.faults.list(), [], 'none was added')

  for (const fields of [{ times: Number.MAX_SAFE_INTEGER }, { status: 400 }, { status: 599 }, { effect: 'delay', delay_ms: 0 }, { effect: 'delay', delay_ms: 60_000 }]) {
    t.ok(storefront.faults.add({ ...BASE, ...fields }), `accepted: ${JSON.stringify(fields)}`)
  }
})
