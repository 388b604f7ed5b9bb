import { parse as parseYaml } from 'yaml'
import { CURRENT_CUSTOMER_SPEC_PATH, readCurrentCustomerSpec } from './current-customer-spec-source.js'
import type { JsonSchema } from './json-schema.js'

export type { JsonSchema }
export { CURRENT_CUSTOMER_SPEC_PATH }

/** What the server and the tests take from the Current Customer API description. */
export interface CurrentCustomerSpec {
  /** Query-string schema for `GET /customer/current.jwt`, built from the operation's parameters. */
  querystring: JsonSchema
  /** Schema of the token's claims: the operation's documented response body. */
  claims: JsonSchema
  /** The documented example claims. */
  exampleClaims: Record<string, unknown>
}

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema?: JsonSchema
}

const loaded = new Map<string, CurrentCustomerSpec>()

/**
 * Read `openapi/current-customer.yaml` and extract the operation's parameters and response.
 * Parsed once per file and process: the document ships with the package, and parsing it is
 * most of what building a fresh app would otherwise cost. In the browser bundle of the MSW
 * handlers the document is built in (`current-customer-spec-source.browser.ts`).
 */
export function loadCurrentCustomerSpec(file = CURRENT_CUSTOMER_SPEC_PATH): CurrentCustomerSpec {
  let spec = loaded.get(file)
  if (!spec) {
    spec = parseCurrentCustomerSpec(file)
    loaded.set(file, spec)
  }
  return spec
}

function parseCurrentCustomerSpec(file: string): CurrentCustomerSpec {
  const spec = parseYaml(readCurrentCustomerSpec(file)) as {
    paths: Record<
      string,
      {
        get: {
          parameters: Parameter[]
          responses: Record<string, { content: Record<string, { schema: JsonSchema; example: Record<string, unknown> }> }>
        }
      }
    >
  }
  const operation = spec.paths['/customer/current.jwt']?.get
  const body = operation?.responses.default?.content['application/json']
  if (!operation || !body) throw new Error(`${file}: no GET /customer/current.jwt operation with a default JSON response`)
  return { querystring: querystringSchema(operation.parameters), claims: body.schema, exampleClaims: body.example }
}

// Query parameters become one object schema. A required string must also be non-empty: an
// empty `app_client_id=` is as missing as an absent one.
function querystringSchema(parameters: Parameter[]): JsonSchema {
  const query = parameters.filter((parameter) => parameter.in === 'query')
  const properties: Record<string, JsonSchema> = {}
  for (const parameter of query) {
    const schema = { ...(parameter.schema ?? { type: 'string' }) }
    if (parameter.required && schema.type === 'string') schema.minLength = 1
    properties[parameter.name] = schema
  }
  return { type: 'object', properties, required: query.filter((parameter) => parameter.required).map((parameter) => parameter.name) }
}
