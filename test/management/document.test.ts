// openapi/management-api.yaml, the project's subset of BigCommerce's references: it compiles, its
// closed schemas can fail, and every route serves exactly the query parameters it documents.
import t from 'tap'
import { Ajv } from 'ajv'
import { buildApp } from '../../server/index.js'
import { documentedQueryParameters, managementClient, managementDocument, type V2Error, type V3Error } from '../helpers/management.js'
import { DEMO } from '../helpers/storefront.js'

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** A value each documented query parameter takes, for a request that must not be refused. */
const SAMPLES: Record<string, string> = {
  'id:in': '4927',
  'email:in': 'john.doe@example.com',
  'customer_group_id:in': '6',
  'name:in': 'John Doe',
  'name:like': 'doe',
  'company:in': 'Acme Corp',
  'phone:in': '555',
  include: 'addresses',
  sort: 'last_name:asc',
  page: '1',
  limit: '5',
  name: 'Wholesale',
  type: 'string',
  'customer_id:in': '4927',
  'attribute_id:in': '1',
  customer_id: '4927',
  email: 'john.doe@example.com',
  status_id: '10',
  channel_id: '1',
  min_id: '1',
  max_id: '1000',
}

/** A concrete URL of a documented path. */
function concrete(path: string): string {
  return path.replace('{customer_id}', String(DEMO.john.id)).replace('{customer_group_id}', '6').replace('{order_id}', '100')
}

t.test('every schema of the document compiles, and the closed ones refuse a field the mock never sends', async (t) => {
  const ajv = new Ajv({ strict: false, allErrors: true })
  ajv.addSchema(managementDocument, 'management')
  for (const name of Object.keys((managementDocument as unknown as { components: { schemas: object } }).components.schemas))
    t.doesNotThrow(() => ajv.compile({ $ref: `management#/components/schemas/${name}` }), name)
  const customer = ajv.compile({ $ref: 'management#/components/schemas/Customer' })
  const app = buildApp({ now: 1_700_000_000 })
  t.teardown(() => app.close())
  const api = managementClient(t, app)
  const { body } = await api.get<{ data: Record<string, unknown>[] }>(`/v3/customers?id:in=${DEMO.john.id}`)
  t.ok(customer(body.data[0]), 'a served customer matches')
  t.notOk(customer({ ...body.data[0], password: DEMO.john.password }), 'one with a password does not')
  t.notOk(customer({ ...body.data[0], company: null }), 'nor one with null where the reference has a string')
  t.notOk(customer({ ...body.data[0], customer_group_id: '6' }), 'nor one with the group id as a string')
})

t.test('each operation serves exactly the query parameters the document gives it', async (t) => {
  const app = buildApp({ now: 1_700_000_000 })
  t.teardown(() => app.close())
  const api = managementClient(t, app)
  const bodies: Partial<Record<Method, unknown>> = {
    POST: [{ email: 'param@example.com', first_name: 'P', last_name: 'Q' }],
    PUT: [{ id: DEMO.john.id, company: 'Acme Corp' }],
  }
  for (const [path, item] of Object.entries(managementDocument.paths)) {
    for (const method of Object.keys(item).map((key) => key.toUpperCase() as Method)) {
      const url = concrete(path)
      const documented = documentedQueryParameters(path, method)
      const body = path.endsWith('validate-credentials')
        ? { email: DEMO.john.email, password: DEMO.john.password }
        : path.endsWith('/attributes')
          ? [{ name: `Attribute ${Math.random()}`, type: 'string' }]
          : path.endsWith('attribute-values')
            ? [{ customer_id: DEMO.john.id, attribute_id: 1, value: '43' }]
            : bodies[method]
      for (const name of documented) {
        // Orders sort by their own fields; a DELETE takes a customer no later request needs.
        const sample =
          name === 'sort' && path === '/v2/orders' ? 'date_created:desc' : method === 'DELETE' && name === 'id:in' ? '4953' : SAMPLES[name]
        if (sample === undefined) {
          t.fail(`${method} ${path}: no sample for ${name}`)
          continue
        }
        const answer = await api.call(method, `${url}?${encodeURIComponent(name)}=${encodeURIComponent(sample)}`, body)
        t.ok(answer.status < 400, `${method} ${path}?${name}=${sample} is served (${answer.status} ${answer.text.slice(0, 200)})`)
      }
      const refused = await api.call<V3Error | V2Error>(method, `${url}?undocumented=1`, body)
      t.equal(refused.status, path.startsWith('/v2/') ? 400 : 422, `${method} ${path}: an undocumented parameter is refused`)
      t.match(JSON.stringify(refused.body), /undocumented/, 'naming it')
    }
  }
})
