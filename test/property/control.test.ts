// Generated JSON bodies, path parameters, query strings and Authorization headers against the
// /__mock control API. Properties: never a 5xx; every refusal is the documented error body; no
// secret (fixture or sent) ever comes back; sessions change only through the calls that exist
// to change them; and with an admin token, nothing but that token opens the API.
// Seed and runs: test/helpers/property.ts.
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { buildApp } from '../../server/index.js'
import { SECRETS, testDocument } from '../helpers/fixture-docs.js'
import { checkProperty, expect, flipChar, headerText, PropertyTally, setsSession } from '../helpers/property.js'

const NOW = 1_700_000_000
const tally = new PropertyTally()
const CLIENT_IDS = ['app-hs512', 'app-hs256', 'app-hs384']
const CUSTOMER_IDS = [10, 11]

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A generated secret: distinctive, so finding it in an answer cannot be a coincidence. */
const secret = fc.stringMatching(/^[0-9a-f]{24}$/).map((hex) => `sk-${hex}`)
// Mostly values the document accepts, so calls get past validation and change the store; the
// rest are the edge cases each field refuses.
const email = fc.oneof(
  { weight: 4, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.constantFrom('alice@example.com', 'ALICE@example.com', 'bob@example.com', 'not-an-email', '') },
)
const groupId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('0', '6', 6) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('-1', 'x', 1.5, null), fc.nat()) },
)
const nonBlank = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z][a-z]{0,12}$/) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', ' ', '\t')) },
)
const customerId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CUSTOMER_IDS) },
  { weight: 3, arbitrary: fc.integer({ min: 12, max: 100_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 999, 1.5, 2 ** 53) },
)
const clientId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CLIENT_IDS) },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,30}$/) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('', 'has space', 'x'.repeat(300)), fc.string({ maxLength: 30 })) },
)
const algorithm = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('HS256', 'HS384', 'HS512') },
  { weight: 1, arbitrary: fc.constantFrom('RS256', 'none', 'hs256') },
)
const ttl = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 100_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(-5, 1.5, 0, null, '900', 2 ** 60) },
)

/** Documented bodies, some fields optional, and the secrets each carries. */
const bodies: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  'POST /__mock/customers': fc.record(
    { id: customerId, email, password: secret, group_id: groupId, first_name: nonBlank, last_name: nonBlank },
    { requiredKeys: ['email', 'password'] },
  ),
  'PATCH /__mock/customers/{id}': fc.record(
    { id: customerId, email, password: secret, group_id: groupId, first_name: nonBlank },
    { requiredKeys: [] },
  ),
  'POST /__mock/apps': fc.record(
    { client_id: clientId, client_secret: secret, name: nonBlank, token_ttl: ttl, algorithm, group_id: groupId },
    { requiredKeys: ['client_id', 'client_secret'] },
  ),
  'PATCH /__mock/apps/{client_id}': fc.record(
    { client_secret: secret, name: fc.option(nonBlank), token_ttl: ttl, algorithm, group_id: groupId },
    { requiredKeys: [] },
  ),
  'POST /__mock/apps/{client_id}/verify': fc.record({
    token: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('eyJhbGciOiJIUzUxMiJ9.e30.x'), fc.nat()),
  }),
  'POST /__mock/sessions': fc.record({ customer_id: customerId, email }, { requiredKeys: [] }),
  'POST /__mock/tokens': fc.record({ client_id: clientId, customer_id: customerId }, { requiredKeys: [] }),
  'POST /__mock/customer-login-url': fc.record(
    {
      client_id: clientId,
      customer_id: customerId,
      redirect_to: fc.oneof(fc.constantFrom('/cart.php', '//evil.example', 'https://x', ''), fc.string({ maxLength: 20 })),
    },
    { requiredKeys: ['client_id', 'customer_id'] },
  ),
  'PUT /__mock/clock': fc.record(
    {
      now: fc.oneof(fc.integer({ min: -10, max: 253_402_300_900 }), fc.double(), fc.constant('now')),
      advance: fc.oneof(fc.integer({ min: -2e12, max: 2e12 }), fc.double()),
    },
    { requiredKeys: [] },
  ),
}

const OPERATIONS: [Method, string][] = [
  ['GET', '/__mock/health'],
  ['GET', '/__mock/openapi.yaml'],
  ['GET', '/__mock/customers'],
  ['POST', '/__mock/customers'],
  ['GET', '/__mock/customers/{id}'],
  ['PATCH', '/__mock/customers/{id}'],
  ['DELETE', '/__mock/customers/{id}'],
  ['GET', '/__mock/apps'],
  ['POST', '/__mock/apps'],
  ['GET', '/__mock/apps/{client_id}'],
  ['PATCH', '/__mock/apps/{client_id}'],
  ['DELETE', '/__mock/apps/{client_id}'],
  ['POST', '/__mock/apps/{client_id}/verify'],
  ['GET', '/__mock/sessions'],
  ['POST', '/__mock/sessions'],
  ['DELETE', '/__mock/sessions'],
  ['DELETE', '/__mock/sessions/{id}'],
  ['POST', '/__mock/tokens'],
  ['POST', '/__mock/customer-login-url'],
  ['GET', '/__mock/clock'],
  ['PUT', '/__mock/clock'],
  ['DELETE', '/__mock/clock'],
  ['GET', '/__mock/requests'],
  ['DELETE', '/__mock/requests'],
  ['POST', '/__mock/reset'],
  ['PUT', '/__mock/customers'],
  ['GET', '/__mock/does-not-exist'],
]

/** A JSON value with a mutation: a field replaced by anything, a key added, a key dropped. */
function mutated(base: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: base },
    {
      weight: 2,
      arbitrary: fc.tuple(base, fc.nat(), fc.jsonValue({ maxDepth: 2 })).map(([body, at, value]) => {
        const keys = Object.keys(body)
        return keys.length === 0 ? body : { ...body, [keys[at % keys.length]!]: value }
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom('__proto__', 'constructor', 'clientSecret', 'extra', 'password'), fc.jsonValue({ maxDepth: 1 }))
        .map(([body, key, value]) => ({ ...body, [key]: value })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  )
}

interface ControlCase {
  method: Method
  template: string
  path: string
  query: string
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string | undefined } | { kind: 'none' }
}

const pathParam = {
  id: fc.oneof(
    fc.constantFrom(...CUSTOMER_IDS).map(String),
    fc.constantFrom('999', 'abc', '-1', '1e3', '0x10', '%20', '4927.0', '99999999999999999999'),
    fc.nat().map(String),
  ),
  client_id: fc.oneof(
    fc.constantFrom(...CLIENT_IDS),
    fc.constantFrom('nope', '%2F', 'a%20b'),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
  ),
}
const sessionHandleParam = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{16}$/), fc.string({ maxLength: 20 }).map(encodeURIComponent))

const controlCase: fc.Arbitrary<ControlCase> = fc.constantFrom(...OPERATIONS).chain(([method, template]) =>
  fc.record({
    method: fc.constant(method),
    template: fc.constant(template),
    path: fc
      .record({ id: template.includes('/sessions/') ? sessionHandleParam : pathParam.id, client_id: pathParam.client_id })
      .map((params) => template.replace('{id}', params.id).replace('{client_id}', params.client_id)),
    query: fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      {
        weight: 1,
        arbitrary: fc
          .record(
            {
              limit: fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), fc.string({ maxLength: 5 })),
              offset: fc.oneof(fc.nat().map(String), fc.string({ maxLength: 5 })),
              email,
            },
            { requiredKeys: [] },
          )
          .map((query) =>
            new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString(),
          ),
      },
      { weight: 1, arbitrary: fc.webQueryParameters() },
    ),
    body: fc.oneof(
      {
        weight: 6,
        arbitrary: mutated(bodies[`${method} ${template}`] ?? fc.constant({})).map((value) => ({ kind: 'json' as const, value })),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('raw' as const),
          text: fc.oneof(
            fc.string({ maxLength: 100 }),
            fc.constantFrom('{', '{"a":', 'null', '[]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}'),
          ),
          contentType: fc.option(
            fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8'),
            { nil: undefined },
          ),
        }),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    ),
  }),
)

/** Which successful calls may change the set of sessions, and how. */
function sessionsMayChange(method: Method, template: string, status: number): boolean {
  if (status < 200 || status >= 300) return false
  if (template === '/__mock/sessions' && (method === 'POST' || method === 'DELETE')) return true
  if (template === '/__mock/sessions/{id}' && method === 'DELETE') return true
  if (template === '/__mock/customers/{id}' && (method === 'DELETE' || method === 'PATCH')) return true
  return template === '/__mock/reset'
}

function sessionIds(app: FastifyInstance): string[] {
  return app.mock.heldSessions().map((session) => session.id)
}

function send(
  app: FastifyInstance,
  input: Pick<ControlCase, 'method' | 'path' | 'query' | 'body'>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const url = input.query ? `${input.path}?${input.query}` : input.path
  if (input.body.kind === 'json')
    return app.inject({
      method: input.method,
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(input.body.value) ?? 'null',
    })
  if (input.body.kind === 'raw')
    return app.inject({
      method: input.method,
      url,
      headers: { ...headers, ...(input.body.contentType && { 'content-type': input.body.contentType }) },
      payload: input.body.text,
    })
  return app.inject({ method: input.method, url, headers })
}

/** Every string value under the keys that hold secrets, anywhere in a generated body. */
function secretsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) secretsIn(item, found)
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if ((key === 'client_secret' || key === 'password') && typeof inner === 'string' && inner.length >= 12) found.add(inner)
      secretsIn(inner, found)
    }
  }
}

t.test('property: control API: no 5xx, documented errors, no secret in any answer, sessions change only by design', async (t) => {
  const app = buildApp({ now: NOW, fixtures: testDocument() })
  t.teardown(() => app.close())
  const secrets = new Set<string>(Object.values(SECRETS))
  const statuses = new Map<number, number>()

  await checkProperty(t, tally, 'control API: random JSON bodies, params and queries', controlCase, async (input) => {
    if (input.body.kind === 'json') secretsIn(input.body.value, secrets)
    const before = sessionIds(app)
    const response = await send(app, input)
    const status = response.statusCode
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
    const where = `${input.method} ${input.path}${input.query ? `?${input.query}` : ''}`
    expect(status < 500, `5xx for ${where}`, { status, body: response.body.slice(0, 300) })

    const text = response.body + JSON.stringify(response.headers)
    for (const value of secrets) expect(!text.includes(value), `${where} answered with a secret`, { status })

    if (status >= 400) {
      const body = response.json<{ status?: unknown; code?: unknown; title?: unknown; errors?: unknown }>()
      expect(
        body.status === status &&
          typeof body.code === 'string' &&
          typeof body.title === 'string' &&
          typeof body.errors === 'object' &&
          body.errors !== null,
        'a refusal is the documented error body',
        body,
      )
    }

    const after = sessionIds(app)
    if (!sessionsMayChange(input.method, input.template, status)) {
      expect(after.length === before.length && after.every((id) => before.includes(id)), `${where} (${status}) changed the sessions`, {
        before: before.length,
        after: after.length,
      })
      expect(!setsSession(response), `${where} (${status}) set a session cookie`)
    } else if (input.method === 'POST' && input.template === '/__mock/sessions') {
      expect(after.length === before.length + 1 && setsSession(response), 'a control sign-in starts exactly one session')
    }
    expect(({} as Record<string, unknown>).polluted === undefined, 'no prototype pollution')

    // Keep the store small and the clock sane for the next case.
    if (app.mock.stats().customers > 100 || app.mock.allApps().length > 30 || app.mock.stats().sessions > 100) app.mock.reset()
  })
  t.comment(
    `control statuses: ${[...statuses]
      .sort((a, b) => a[0] - b[0])
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ')}`,
  )
})

const ADMIN_TOKEN = 'admin-token-0123456789abcdefXYZ'
const ROTATED_SECRET = 'rotated-secret-0123456789abcdef'

/** An Authorization header and whether it carries the admin token, by the documented rule. */
const authorization: fc.Arbitrary<{ header: string | undefined; valid: boolean; kind: string }> = fc.oneof(
  fc
    .constantFrom('Bearer', 'bearer', 'BEARER')
    .chain((scheme) =>
      fc
        .record({ gap: fc.constantFrom(' ', '  ', '\t', ' \t'), tail: fc.constantFrom('', ' ', '\t') })
        .map(({ gap, tail }) => ({ header: `${scheme}${gap}${ADMIN_TOKEN}${tail}`, valid: true, kind: 'the token' })),
    ),
  fc.nat().map((at) => ({ header: `Bearer ${flipChar(ADMIN_TOKEN, at)}`, valid: false, kind: 'one character changed' })),
  fc
    .integer({ min: 0, max: ADMIN_TOKEN.length - 1 })
    .map((length) => ({ header: `Bearer ${ADMIN_TOKEN.slice(0, length)}`, valid: false, kind: 'truncated' })),
  fc.constantFrom('x', '0', '=', ' x').map((tail) => ({ header: `Bearer ${ADMIN_TOKEN}${tail}`, valid: false, kind: 'extended' })),
  fc.constantFrom(
    { header: `Bearer ${ADMIN_TOKEN.toUpperCase()}`, valid: false, kind: 'upper case' },
    { header: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`, valid: false, kind: 'basic' },
    { header: `Token ${ADMIN_TOKEN}`, valid: false, kind: 'other scheme' },
    { header: ADMIN_TOKEN, valid: false, kind: 'no scheme' },
    { header: `Bearer "${ADMIN_TOKEN}"`, valid: false, kind: 'quoted' },
    { header: `Bearer ${encodeURIComponent(ADMIN_TOKEN).replace(/-/g, '%2D')}`, valid: false, kind: 'percent-encoded' },
    { header: `Bearer ${Buffer.from(ADMIN_TOKEN).toString('base64')}`, valid: false, kind: 'base64' },
    { header: `Bearer${ADMIN_TOKEN}`, valid: false, kind: 'no gap' },
    { header: 'Bearer ', valid: false, kind: 'empty' },
    { header: undefined, valid: false, kind: 'absent' },
  ),
  headerText(60).map((header) => ({ header, valid: false, kind: 'random' })),
)

const guarded: fc.Arbitrary<Pick<ControlCase, 'method' | 'path' | 'query' | 'body'>> = fc.constantFrom(
  { method: 'GET' as const, path: '/__mock/health', query: '', body: { kind: 'none' as const } },
  { method: 'POST' as const, path: '/__mock/sessions', query: '', body: { kind: 'json' as const, value: { customer_id: 10 } } },
  {
    method: 'POST' as const,
    path: '/__mock/tokens',
    query: '',
    body: { kind: 'json' as const, value: { client_id: 'app-hs512', customer_id: 10 } },
  },
  {
    method: 'PATCH' as const,
    path: '/__mock/apps/app-hs256',
    query: '',
    body: { kind: 'json' as const, value: { client_secret: ROTATED_SECRET } },
  },
  { method: 'GET' as const, path: '/__mock/nope', query: '', body: { kind: 'none' as const } },
)

t.test('property: with an admin token, only that token opens the control API', async (t) => {
  const app = buildApp({ now: NOW, fixtures: testDocument(), adminToken: ADMIN_TOKEN })
  t.teardown(() => app.close())
  let rotated = false
  await checkProperty(
    t,
    tally,
    'control API: forged admin tokens',
    fc.record({ auth: authorization, call: guarded }),
    async ({ auth, call }) => {
      const before = sessionIds(app)
      const response = await send(app, call, auth.header === undefined ? {} : { authorization: auth.header })
      const status = response.statusCode
      expect(status < 500, '5xx', { status })
      if (auth.valid) {
        expect(status !== 401 && status !== 403, `the admin token (${JSON.stringify(auth.header)}) was refused`, {
          status,
          body: response.body,
        })
        if (call.method === 'PATCH') rotated = true
      } else {
        expect(status === 401, `a forged admin token (${auth.kind}) was let in`, { header: auth.header, status })
        expect(/^Bearer realm=/.test(String(response.headers['www-authenticate'])), '401 carries a Bearer challenge')
        expect(JSON.stringify(sessionIds(app)) === JSON.stringify(before) && !setsSession(response), 'a refused call changes nothing')
      }
      expect(
        !response.body.includes(ADMIN_TOKEN) && !response.body.includes(ROTATED_SECRET),
        'neither the admin token nor a secret is echoed',
      )
      if (app.mock.stats().sessions > 50) app.mock.endAllSessions()
    },
  )
  // Only calls with the admin token may have rotated the secret.
  t.equal(
    app.mock.lookupApp('app-hs256')?.clientSecret,
    rotated ? ROTATED_SECRET : SECRETS.hs256,
    'the secret changed only through calls carrying the admin token',
  )
})

t.test('summary', async (t) => {
  t.comment(tally.summary('test/property/control.test.ts'))
  t.pass()
})
