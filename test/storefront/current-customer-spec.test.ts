// openapi/current-customer.yaml: cleaned of scraping damage, used by the server, and the schema
// every token's claims are checked against.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { Ajv } from 'ajv'
import { parse as parseYaml } from 'yaml'
import { buildApp } from '../../server/index.js'
import { CURRENT_CUSTOMER_SPEC_PATH, loadCurrentCustomerSpec } from '../../server/http/current-customer-spec.js'
import { DEMO } from '../helpers/storefront.js'
import { getToken, signIn } from '../helpers/session.js'
import {
  CLAIM_KEYS,
  CUSTOMER_CLAIM_KEYS,
  checkToken,
  closeSchema,
  decodeToken,
  schemaProblems,
  type AppUnderTest,
} from '../helpers/tokens.js'

const SEED_NOW = 1480831863
const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }

t.test('the spec is clean of the scraping damage', async (t) => {
  const text = readFileSync(CURRENT_CUSTOMER_SPEC_PATH, 'utf8')
  t.notMatch(text, /email.{0,5}protected/, 'no "[email protected]"')
  const spec = loadCurrentCustomerSpec()
  const properties = spec.claims.properties as Record<string, { example?: unknown; properties?: Record<string, { example?: unknown }> }>
  t.equal(properties.customer?.properties?.email?.example, 'john.doe@example.com', 'the email example is a string')
  t.equal(properties.customer?.properties?.group_id?.example, '6', 'group_id example "6" without stray inner quotes')
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') t.notMatch(value, /^["'].*["']$/, `${path}: no stray inner quotes`)
    else if (Array.isArray(value)) t.fail(`${path}: a list where the seed has a scalar or mapping`)
    else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`)
  }
  walk(spec.exampleClaims, 'example')
  for (const [key, schema] of Object.entries(properties)) if (schema.example !== undefined) walk(schema.example, `${key}.example`)
  t.equal(spec.exampleClaims.iat, SEED_NOW)
  t.equal(spec.exampleClaims.exp, SEED_NOW + 900)
})

t.test("the spec's claim schema and its example", async (t) => {
  const spec = loadCurrentCustomerSpec()
  const documented = spec.claims.properties as Record<string, { properties?: object }>
  t.same(Object.keys(documented).sort(), [...CLAIM_KEYS].sort(), 'the schema documents exactly the claims the shared doc lists')
  t.same(Object.keys(documented.customer?.properties ?? {}).sort(), [...CUSTOMER_CLAIM_KEYS].sort())
  const ajv = new Ajv({ strict: false })
  t.ok(ajv.validate(spec.claims, spec.exampleClaims), "the spec's example matches its own schema")
  t.same(schemaProblems(spec.exampleClaims), [], 'and the closed schema')
  t.notOk(ajv.validate(closeSchema(spec.claims), { ...spec.exampleClaims, extra: 1 }), 'the closed schema refuses an extra claim')
  t.notOk(
    ajv.validate(closeSchema(spec.claims), {
      ...spec.exampleClaims,
      customer: { id: 1, email: 'x@example.com', group_id: '0', name: 'x' },
    }),
    'and an extra customer key',
  )
  t.notOk(
    ajv.validate(spec.claims, { ...spec.exampleClaims, customer: { id: 1, email: 'x@example.com', group_id: 6 } }),
    'a numeric group_id breaks the spec',
  )
  t.not(schemaProblems({ ...spec.exampleClaims, kid: 'x' }).length, 0, 'schemaProblems notices an extra claim')
  const missing: Record<string, unknown> = { ...spec.exampleClaims }
  delete missing.operation
  t.not(schemaProblems(missing).length, 0, 'schemaProblems notices a missing claim')
})

t.test('the route takes its query-string schema from the spec', async (t) => {
  const spec = loadCurrentCustomerSpec()
  t.same(spec.querystring.required, ['app_client_id'])
  const raw = parseYaml(readFileSync(CURRENT_CUSTOMER_SPEC_PATH, 'utf8')) as {
    paths: Record<string, { get: { parameters: Array<{ name: string; in: string; required: boolean }> } }>
  }
  const parameter = raw.paths['/customer/current.jwt']?.get.parameters.find((p) => p.name === 'app_client_id')
  t.same({ in: parameter?.in, required: parameter?.required }, { in: 'query', required: true })

  const app = buildApp()
  t.teardown(() => app.close())
  const response = await app.inject({ url: '/customer/current.jwt' })
  t.equal(response.statusCode, 400)
  t.match(response.json(), { errors: { app_client_id: /required/ } })
})

t.test(`with --now ${SEED_NOW} and the default fixtures the token decodes to the spec's example`, async (t) => {
  const app = buildApp({ now: SEED_NOW })
  t.teardown(() => app.close())
  const { cookie } = await signIn(app, DEMO.john.email, DEMO.john.password)
  const response = await getToken(app, HS512.clientId, { cookie })
  t.equal(response.statusCode, 200)
  const claims = await checkToken(t, response.body, HS512, SEED_NOW)
  const example = loadCurrentCustomerSpec().exampleClaims
  t.same(claims, { ...example, application_id: example.aud }, 'the example, with application_id equal to aud')
  t.strictSame(decodeToken(response.body).claims, { ...example, application_id: example.aud })
  t.equal(claims.iat, SEED_NOW)
  t.equal(claims.exp, SEED_NOW + 900)
})

t.test('claims of tokens for every default customer validate against the spec', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const customers = [...app.mock.allCustomers()]
  t.ok(customers.length > 2, 'default fixtures include generated customers')
  const HS256: AppUnderTest = { clientId: DEMO.hs256App.clientId, secret: DEMO.hs256App.secret, algorithm: 'HS256' }
  for (const customer of customers) {
    const password = customer.id === DEMO.john.id || customer.id === DEMO.jane.id ? 'letmein' : 'storefront'
    const { cookie } = await signIn(app, customer.email, password)
    for (const target of [HS512, HS256]) {
      const response = await getToken(app, target.clientId, { cookie })
      const claims = decodeToken(response.body).claims
      t.same(schemaProblems(claims), [], `${customer.email} / ${target.algorithm}`)
      await checkToken(t, response.body, target)
      t.equal(claims.customer.email, customer.email)
    }
  }
})
