import t from 'tap'
import Fastify from 'fastify'
import { LazyQuerySchema, queryValidatorCompiler } from '../../server/http/query-validator.js'
import { installErrorHandling } from '../../server/http/error-handler.js'

function appWith(querystring: Record<string, unknown>) {
  const app = Fastify()
  installErrorHandling(app)
  app.get('/q', { schema: { querystring }, validatorCompiler: queryValidatorCompiler }, async (request) => request.query)
  return app
}

t.test('checks required, minLength, maxLength, pattern and enum, naming the parameter', async (t) => {
  const app = appWith({
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 5, description: 'x', example: 'abc' },
      mode: { type: 'string', enum: ['a', 'b'] },
      code: { type: 'string', pattern: '^[0-9]+$' },
    },
  })
  t.teardown(() => app.close())
  const cases: Array<[string, number, RegExp]> = [
    ['/q?id=abc', 200, /"id":"abc"/],
    ['/q', 400, /query parameter 'id' is required/],
    ['/q?id=', 400, /'id' must not be empty/],
    ['/q?id=abcdef', 400, /'id' must NOT have more than 5 characters/],
    ['/q?id=a&id=b', 400, /'id' must be a single string/],
    ['/q?id=a&mode=c', 400, /'mode' must be one of a, b/],
    ['/q?id=a&code=12x', 400, /'code' must match pattern/],
    ['/q?id=a&mode=b&code=12', 200, /"code":"12"/],
  ]
  for (const [url, status, body] of cases) {
    const response = await app.inject(url)
    t.equal(response.statusCode, status, url)
    t.match(response.body, body, url)
  }
})

t.test('refuses, at start, a schema with a rule it would not check', async (t) => {
  for (const property of [{ type: 'integer' }, { type: 'string', format: 'email' }, { type: 'string', minimum: 3 }]) {
    const app = appWith({ type: 'object', properties: { id: property } })
    await t.rejects(
      async () => {
        await app.ready()
      },
      /queryValidatorCompiler checks string parameters/,
      JSON.stringify(property),
    )
  }
})

t.test("a lazy schema is read on the route's first request, once, and checked as a plain one", async (t) => {
  let loads = 0
  const app = Fastify()
  installErrorHandling(app)
  const querystring = new LazyQuerySchema(() => {
    loads++
    return { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } }
  })
  app.get('/q', { schema: { querystring }, validatorCompiler: queryValidatorCompiler }, async (request) => request.query)
  t.teardown(() => app.close())
  await app.ready()
  t.equal(loads, 0, 'not read when the app is ready')
  const missing = await app.inject('/q')
  t.equal(missing.statusCode, 400, 'the first request is checked')
  t.match(missing.body, /query parameter 'id' is required/)
  t.equal((await app.inject('/q?id=abc')).statusCode, 200)
  t.equal(loads, 1, 'read once')
})
