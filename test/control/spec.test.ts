import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type RouteOptions } from 'fastify'
import t, { type Test } from 'tap'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { controlPlugin } from '../../server/control/control-plugin.js'
import { CONTROL_PREFIX, CONTROL_SPEC_PATH, ControlSpec, LazySchemaPart, routeUrl } from '../../server/control/spec.js'
import { Store } from '../../server/domain/store.js'
import { loadFixtures } from '../../server/fixture-loader/load-fixtures.js'
import { installErrorHandling } from '../../server/http/error-handler.js'
import { buildApp } from '../../server/index.js'
import { resolveOptions } from '../../server/options/resolve.js'
import { CookiePolicy } from '../../server/http/session-cookies.js'

type OpenApi = {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  components: { schemas: Record<string, Record<string, unknown>> }
}

const specText = readFileSync(CONTROL_SPEC_PATH, 'utf8')

// The control API alone on a bare Fastify, with the document taken from `file`.
function controlOnly(t: Test, file: string) {
  const app = Fastify()
  t.teardown(() => app.close())
  installErrorHandling(app)
  const options = resolveOptions({})
  const spec = new ControlSpec(file)
  app.register(controlPlugin, {
    prefix: CONTROL_PREFIX,
    store: new Store(loadFixtures(), options),
    spec,
    access: options.controlAccess,
    cookies: new CookiePolicy(false),
  })
  return { app, spec }
}

function editedSpec(edit: (document: OpenApi) => void): string {
  const document = parseYaml(specText) as OpenApi
  edit(document)
  const file = join(mkdtempSync(join(tmpdir(), 'bcmock-spec-')), 'mock-control.yaml')
  writeFileSync(file, stringifyYaml(document))
  return file
}

t.test('GET /__mock/openapi.yaml serves the document as it is on disk', async (t) => {
  const app = buildApp()
  t.teardown(() => app.close())
  const response = await app.inject({ url: '/__mock/openapi.yaml' })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'application/yaml; charset=utf-8')
  t.equal(response.body, specText, 'byte for byte')
  const document = parseYaml(response.body) as OpenApi
  t.match(document.openapi, /^3\.0\.\d+$/)
  for (const path of Object.keys(document.paths)) t.ok(path.startsWith(`${CONTROL_PREFIX}/`), path)
})

t.test('every documented operation has a route, and every route is documented', async (t) => {
  const routes: string[] = []
  const { app, spec } = controlOnly(t, CONTROL_SPEC_PATH)
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.url.endsWith('/*')) return // the catch-all
    for (const method of ([] as string[]).concat(route.method)) if (method !== 'HEAD') routes.push(`${method} ${route.url}`)
  })
  await app.ready()
  t.same(spec.problems(), [])
  const document = parseYaml(specText) as OpenApi
  const documented = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
      .map((method) => `${method.toUpperCase()} ${CONTROL_PREFIX}${routeUrl(path)}`),
  )
  t.same([...routes].sort(), [...documented].sort())
})

t.test('validation comes from the document: change a limit there and the server follows', async (t) => {
  const file = editedSpec((document) => {
    const customers = document.paths['/__mock/customers'] as { get: { parameters: { name: string; schema: Record<string, unknown> }[] } }
    const limit = customers.get.parameters.find((parameter) => parameter.name === 'limit')
    if (limit) limit.schema.maximum = 5
    const patch = document.components.schemas.CustomerPatch as { properties: Record<string, unknown> }
    delete patch.properties.first_name
  })
  const { app } = controlOnly(t, file)
  const over = await app.inject({ url: '/__mock/customers?limit=6' })
  t.equal(over.statusCode, 400)
  t.match(over.json(), { errors: { limit: /must be <= 5/ } })
  t.equal((await app.inject({ url: '/__mock/customers?limit=5' })).statusCode, 200)
  const patch = await app.inject({ method: 'PATCH', url: '/__mock/customers/4927', payload: { first_name: 'X' } })
  t.equal(patch.statusCode, 400, 'a field the document no longer lists is refused')
  t.match(patch.json(), { errors: { first_name: /not accepted here/ } })

  const original = controlOnly(t, CONTROL_SPEC_PATH).app
  t.equal((await original.inject({ url: '/__mock/customers?limit=6' })).statusCode, 200)
})

t.test('the first control call fails loudly when the document and the routes disagree', async (t) => {
  const extra = editedSpec((document) => {
    document.paths['/__mock/extra'] = { get: { responses: { '200': { description: 'documented, never built' } } } }
  })
  const withExtra = controlOnly(t, extra)
  await withExtra.app.ready()
  t.same(withExtra.spec.problems(), ['GET /__mock/extra is documented but has no route'])
  const answer = await withExtra.app.inject({ url: '/__mock/health' })
  t.equal(answer.statusCode, 500, 'a broken package, not a client error')

  const missing = editedSpec((document) => {
    delete document.paths['/__mock/health']
  })
  const withoutHealth = controlOnly(t, missing)
  await withoutHealth.app.ready()
  t.same(withoutHealth.spec.problems(), ['GET /__mock/health has a route but is not documented'])
})

t.test('the document is parsed on first use, not at start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bcmock-spec-'))
  const broken = join(dir, 'broken.yaml')
  writeFileSync(broken, 'paths: [not: a: mapping')
  const { app, spec } = controlOnly(t, broken)
  await t.resolves(async () => {
    await app.ready()
  }, 'start does not parse it')
  t.equal(spec.text, 'paths: [not: a: mapping', 'only read, to be served')
  t.throws(() => spec.problems())
})

t.test('ControlSpec resolves $refs and drops OpenAPI-only keywords', async (t) => {
  const spec = new ControlSpec()
  const route = spec.routeSchema('POST', '/__mock/customers')
  t.ok(route.body instanceof LazySchemaPart, 'routes get placeholders, resolved on first use')
  const schema = spec.operationSchemas('POST', '/__mock/customers')
  t.notOk('params' in schema || 'querystring' in schema, 'only the parts the document describes')
  const body = schema.body as { properties: Record<string, Record<string, unknown>>; example?: unknown; additionalProperties: boolean }
  t.notOk('example' in body, 'example is dropped')
  t.equal(body.additionalProperties, false)
  t.match(body.properties.email, { type: 'string', pattern: '^[^\\s@]+@[^\\s@]+$', 'x-message': 'must be an email address' })
  t.notOk(JSON.stringify(schema).includes('$ref'), 'no $ref left')
  spec.routeSchema('GET', '/__mock/customers/{id}')
  t.match(spec.operationSchemas('GET', '/__mock/customers/{id}').params, {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'integer', minimum: 1 } },
  })
  t.throws(() => spec.responseSchema('GET', '/__mock/nowhere', 200), /no GET \/__mock\/nowhere operation/)
  t.equal(routeUrl('/__mock/apps/{client_id}'), '/apps/:client_id')
  t.throws(() => routeUrl('/elsewhere'), /not under \/__mock/)
})
