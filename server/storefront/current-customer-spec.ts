import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import type { JsonSchema } from '../http/json-schema.js'
import { packagePath } from '../package-root.js'

export type { JsonSchema }

/** Where the Current Customer API description lives in the package. */
export const CURRENT_CUSTOMER_SPEC_PATH = packagePath('openapi', 'current-customer.yaml')

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
 * most of what building a fresh app would otherwise cost.
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
  const spec = parseYaml(readFileSync(file, 'utf8')) as {
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
