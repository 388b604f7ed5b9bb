// The rules of a fault spec, the same through every door (options, the handle, the control
// API, --fault / BC_MOCK_FAULTS): unknown fields named with the one meant, every field's
// bounds, the start list's size; and which requests a token-shaping or signed-out fault
// applies to (only those it can change: never a guest's, never an unknown app's).
import { readFileSync } from 'node:fs'
import { errors as joseErrors } from 'jose'
import t, { type Test } from 'tap'
import { parse as parseYaml } from 'yaml'
import { FAULT_SPEC_FIELDS } from '../../server/domain/rules/fault-rules.js'
import {
  buildApp,
  ERRORS,
  FAULT_HEADER,
  MockError,
  startMockStorefront,
  type FaultSpec,
  type RunningMockStorefront,
} from '../../server/index.js'
import { runCli } from '../helpers/cli.js'
import { DEMO } from '../helpers/storefront.js'
import { verifyWithJose, type AppUnderTest } from '../helpers/tokens.js'

const NOW = 1_700_000_000
const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }
const BASE = { route: 'current-customer', effect: 'status' }

async function start(t: Test, faults: FaultSpec[] = []): Promise<RunningMockStorefront> {
  const storefront = await startMockStorefront({ now: NOW, faults })
  t.teardown(() => storefront.close())
  return storefront
}

function postFault(storefront: RunningMockStorefront, body: unknown) {
  return fetch(`${storefront.url}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
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
    t.throws(
      () => buildApp({ faults: [spec] }),
      { code: ERRORS.invalidOption.code, field: `faults[0].${field}`, message: named },
      `buildApp option: ${field}`,
    )
    await t.rejects(
      startMockStorefront({ faults: [spec] }),
      { code: ERRORS.invalidOption.code, field: `faults[0].${field}`, message: named },
      `startMockStorefront option: ${field}`,
    )
    t.throws(() => storefront.faults.add(spec), { code: ERRORS.invalidRequest.code, field, message: named }, `handle faults.add: ${field}`)
    const answer = await postFault(storefront, spec)
    t.equal(answer.status, 400, `control API: ${field} is a 400`)
    const body = (await answer.json()) as { errors: Record<string, string> }
    t.match(body.errors[field], named, `control API: names ${field} and suggests ${meant} (${JSON.stringify(body.errors)})`)
  }
  t.throws(
    () => storefront.faults.add({ ...BASE, colour: 'red' } as unknown as FaultSpec),
    { field: 'colour', message: /'colour' is not a fault field \(fields: route, effect, times/ },
    'no suggestion when nothing is close',
  )
  t.same(storefront.faults.list(), [], 'none was added')
})

t.test("the fields a spec has are the control document's, so every door knows the same ones", async (t) => {
  const document = parseYaml(readFileSync(new URL('../../openapi/mock-control.yaml', import.meta.url), 'utf8')) as {
    components: { schemas: { FaultCreate: { properties: Record<string, unknown> } } }
  }
  t.same([...FAULT_SPEC_FIELDS].sort(), Object.keys(document.components.schemas.FaultCreate.properties).sort())
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
    // Longer than any client id an app may have (the app rules' MAX_CLIENT_ID_LENGTH).
    [{ client_id: 'x'.repeat(129) }, 'client_id'],
    [{ customer_id: 0 }, 'customer_id'],
    [{ route: 'Current-Customer' }, 'route'],
    [{ route: 'constructor' }, 'route'],
    [{ route: '__proto__' }, 'route'],
    [{ effect: 'toString' }, 'effect'],
  ]
  for (const [fields, field] of refused) {
    const spec = { ...BASE, ...fields } as unknown as FaultSpec
    t.throws(
      () => storefront.faults.add(spec),
      { code: ERRORS.invalidRequest.code, field },
      `handle: ${JSON.stringify(fields)} names ${field}`,
    )
    const answer = await postFault(storefront, spec)
    const body = (await answer.json()) as { errors?: Record<string, string> }
    t.ok(answer.status === 400 && body.errors?.[field], `control API: ${JSON.stringify(fields)} is a 400 naming ${field}`)
  }
  // What JSON cannot carry still gets a MockError naming the field, never a TypeError.
  t.throws(() => storefront.faults.add({ ...BASE, times: 1n } as unknown as FaultSpec), {
    code: ERRORS.invalidRequest.code,
    field: 'times',
    message: /got 1n/,
  })
  for (const spec of [null, 'current-customer:status', [BASE], undefined]) {
    t.throws(() => storefront.faults.add(spec as unknown as FaultSpec), MockError, `handle: ${JSON.stringify(spec)} is a MockError`)
  }
  t.same(storefront.faults.list(), [], 'none was added')

  for (const fields of [
    { times: Number.MAX_SAFE_INTEGER },
    { status: 400 },
    { status: 599 },
    { effect: 'delay', delay_ms: 0 },
    { effect: 'delay', delay_ms: 60_000 },
    { client_id: 'x'.repeat(128) },
  ]) {
    t.ok(storefront.faults.add({ ...BASE, ...fields }), `accepted: ${JSON.stringify(fields)}`)
  }
})

for (const [effect, check] of [
  ['expired-token', (t: Test, token: string) => t.rejects(verifyWithJose(token, HS512, NOW), { code: 'ERR_JWT_EXPIRED' }, 'jose: expired')],
  [
    'wrong-secret',
    (t: Test, token: string) =>
      t.rejects(verifyWithJose(token, HS512, NOW), joseErrors.JWSSignatureVerificationFailed, 'jose: the signature fails'),
  ],
  [
    'wrong-algorithm',
    (t: Test, token: string) =>
      t.rejects(verifyWithJose(token, HS512, NOW), { code: 'ERR_JOSE_ALG_NOT_ALLOWED' }, 'jose: the algorithm is not allowed'),
  ],
] as const) {
  t.test(`${effect}: a guest's 404 and an unknown app's 400 pass it by; the next signed-in request gets the token`, async (t) => {
    const storefront = await start(t)
    const cookie = storefront.login(DEMO.john.email)
    const fault = storefront.faults.add({ route: 'current-customer', effect, times: 1 })
    const token = (clientId: string, withCookie: boolean) =>
      fetch(`${storefront.url}/customer/current.jwt?app_client_id=${clientId}`, { headers: withCookie ? { cookie } : {} })

    const guest = await token(HS512.clientId, false)
    t.equal(guest.status, 404, 'a guest: 404')
    t.equal(guest.headers.get(FAULT_HEADER), null, 'without X-Mock-Fault')
    const unknownApp = await token('not-an-app', true)
    t.equal(unknownApp.status, 400, 'an unknown app: 400')
    t.equal(unknownApp.headers.get(FAULT_HEADER), null, 'without X-Mock-Fault')
    t.match(storefront.faults.list(), [{ id: fault.id, remaining: 1, applied: 0 }], 'not spent')
    t.notMatch(
      storefront.requests().map((entry) => entry.outcome),
      [/^fault:/],
      'the request log names no fault',
    )

    const signedIn = await token(HS512.clientId, true)
    t.equal(signedIn.status, 200)
    t.equal(signedIn.headers.get(FAULT_HEADER), `${fault.id} ${effect}`, 'X-Mock-Fault names it')
    await check(t, await signedIn.text())
    t.match(fault.fault, { remaining: 0, applied: 1 }, 'remaining 0, applied 1')
    t.same(storefront.faults.list(), [], 'used up')
    await verifyWithJose(await (await token(HS512.clientId, true)).text(), HS512, NOW)
    t.pass('the one after gets a correct token')
  })
}

t.test('signed-out applies only to a signed-in request; a guest passes it by, a later fault still applies', async (t) => {
  const storefront = await start(t)
  const cookie = storefront.login(DEMO.john.email)
  const signedOut = storefront.faults.add({ route: 'account', effect: 'signed-out', times: 1 })
  const later = storefront.faults.add({ route: 'current-customer', effect: 'status', status: 503, times: 1 })
  storefront.faults.add({ route: 'current-customer', effect: 'signed-out', times: 1 })

  const guestAccount = await fetch(`${storefront.url}/account.php`, { redirect: 'manual' })
  t.equal(guestAccount.headers.get(FAULT_HEADER), null, "a guest's account page: no fault")
  const guestToken = await fetch(`${storefront.url}/customer/current.jwt?app_client_id=${HS512.clientId}`)
  t.equal(guestToken.status, 503, "a guest's token request: the signed-out fault passes it by, the status fault created after it applies")
  t.equal(guestToken.headers.get(FAULT_HEADER), `${later.id} status`)
  t.match(
    storefront.faults.list(),
    [
      { id: signedOut.id, applied: 0 },
      { effect: 'signed-out', applied: 0 },
    ],
    'the signed-out faults are not spent',
  )

  const account = await fetch(`${storefront.url}/account.php`, { headers: { cookie }, redirect: 'manual' })
  t.equal(account.status, 302, 'signed in: the session ends first')
  t.equal(account.headers.get(FAULT_HEADER), `${signedOut.id} signed-out`)
})

t.test('more faults at start than may be active is an error naming the option, with no control API advice', async (t) => {
  const specs = (count: number) =>
    Array.from({ length: count }, (_, index): FaultSpec => ({ route: 'account', effect: 'status', customer_id: index + 1 }))
  t.throws(() => buildApp({ faults: specs(101) }), {
    code: ERRORS.invalidOption.code,
    field: 'faults',
    message: /^faults: 101 faults given; at most 100 /,
  })
  const error = t.throws(() => buildApp({ faults: specs(101) }))
  t.notMatch((error as Error | undefined)?.message, /__mock|DELETE/, 'no control API advice')
  const app = buildApp({ faults: specs(100) })
  t.teardown(() => app.close())
  t.equal(app.mock.listFaults().length, 100, '100 is fine')
})

t.test('CLI: more than 100 --fault flags or BC_MOCK_FAULTS entries exit 2 with one line naming the flag and the limit', async (t) => {
  const entry = 'account:status'
  const flags = await runCli(t, Array.from({ length: 101 }, () => ['--fault', entry]).flat())
  t.equal(flags.code, 2, '--fault x101: exit 2')
  t.match(flags.stderr, /^bigcommerce-mock: --fault: 101 faults given; at most 100 may be active at once/)
  t.equal(flags.stderr.trim().split('\n').length, 1, 'one line')
  t.notMatch(flags.stderr, /__mock|DELETE/, 'no control API advice')

  const env = await runCli(t, [], { BC_MOCK_FAULTS: Array.from({ length: 101 }, () => entry).join(',') })
  t.equal(env.code, 2, 'BC_MOCK_FAULTS x101: exit 2')
  t.match(env.stderr, /^bigcommerce-mock: BC_MOCK_FAULTS: 101 faults given; at most 100 may be active at once/)
  t.equal(env.stderr.trim().split('\n').length, 1, 'one line')

  const huge = await runCli(t, ['--fault', `account:status:${'9'.repeat(5000)}`])
  t.equal(huge.code, 2, 'a huge times: exit 2')
  t.ok(huge.stderr.length < 1000, `the line stays short (${huge.stderr.length} characters)`)
  t.match(huge.stderr, /'times' must be a positive whole number .*got Infinity/, 'and says what the number read as')
})
