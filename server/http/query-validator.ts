import type { FastifySchema, FastifySchemaCompiler } from 'fastify'
import type { JsonSchema } from '../http/json-schema.js'

/** The shape of a validation error the error handler reads (the subset of Ajv's it uses). */
export interface QueryValidationError {
  instancePath: string
  schemaPath: string
  keyword: string
  params: Record<string, unknown>
  message: string
}

/** A validator as Fastify calls it: answers validity and leaves the errors on itself. */
interface QueryValidator {
  (data: unknown): boolean
  errors?: QueryValidationError[] | null
}

// What the storefront's query schemas use; anything else is refused when the route is built,
// so the spec can never carry a rule that is silently not checked.
const CHECKED = new Set(['type', 'minLength', 'maxLength', 'pattern', 'enum'])
const ANNOTATIONS = new Set(['description', 'example', 'title', 'deprecated'])

/**
 * A query-string schema a route is built with, read only on the route's first request, when
 * {@link queryValidatorCompiler} resolves and checks it. The token route's comes from
 * `openapi/current-customer.yaml`: parsing that document at start took about 9 ms of every
 * `npm run mock`, for a route many runs call late or never.
 */
export class LazyQuerySchema {
  readonly #load: () => JsonSchema
  #schema: JsonSchema | undefined

  constructor(load: () => JsonSchema) {
    this.#load = load
  }

  get(): JsonSchema {
    this.#schema ??= this.#load()
    return this.#schema
  }
}

/**
 * Validator compiler for query strings described by OpenAPI parameters: an object of string
 * properties with `required`, `minLength`, `maxLength`, `pattern` and `enum`. The storefront's
 * hot route uses it instead of Fastify's Ajv, whose start-up compile would slow every
 * `npm run mock`; the errors it reports have Ajv's shape, so the error handler names the field
 * the same way. A plain schema is checked when the route is built, a {@link LazyQuerySchema} on
 * the route's first request.
 */
export const queryValidatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema: routeSchema, httpPart }) => {
  if (httpPart !== 'querystring') throw new Error(`queryValidatorCompiler handles object query strings only, not ${httpPart}`)
  const lazy = routeSchema instanceof LazyQuerySchema ? routeSchema : undefined
  let check = lazy ? undefined : compileQueryCheck(routeSchema as JsonSchema)
  const validate: QueryValidator = (data) => {
    check ??= compileQueryCheck((lazy as LazyQuerySchema).get())
    const error = check((data ?? {}) as Record<string, unknown>)
    validate.errors = error ? [error] : null
    return error === undefined
  }
  return validate
}

/**
 * The check behind {@link queryValidatorCompiler}: the first problem of a parsed query (each
 * parameter a string, or an array when repeated), in Ajv's shape, or undefined. The MSW
 * handlers check `GET /customer/current.jwt`'s query with it too.
 */
export function compileQueryCheck(schema: JsonSchema): (query: Record<string, unknown>) => QueryValidationError | undefined {
  if (schema.type !== 'object') throw new Error(`queryValidatorCompiler handles object query strings only, not ${String(schema.type)}`)
  const required = (schema.required as string[] | undefined) ?? []
  const properties = Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})
  for (const [name, property] of properties) {
    const unsupported = Object.keys(property).filter((keyword) => !CHECKED.has(keyword) && !ANNOTATIONS.has(keyword))
    if (property.type !== 'string' || unsupported.length > 0) {
      throw new Error(
        `query parameter '${name}': queryValidatorCompiler checks string parameters with ${[...CHECKED].join(', ')}; got type ${String(property.type)}${unsupported.length > 0 ? ` and ${unsupported.join(', ')}` : ''}`,
      )
    }
  }
  const patterns = new Map(
    properties.filter(([, p]) => typeof p.pattern === 'string').map(([name, p]) => [name, new RegExp(p.pattern as string, 'u')]),
  )
  return (query) => firstError(query, required, properties, patterns)
}

function firstError(
  query: Record<string, unknown>,
  required: string[],
  properties: [string, JsonSchema][],
  patterns: Map<string, RegExp>,
): QueryValidationError | undefined {
  const missing = required.find((name) => query[name] === undefined)
  if (missing !== undefined)
    return {
      instancePath: '',
      schemaPath: '#/required',
      keyword: 'required',
      params: { missingProperty: missing },
      message: `must have required property '${missing}'`,
    }
  for (const [name, property] of properties) {
    const value = query[name]
    if (value === undefined) continue
    const at = (keyword: string, message: string, params: Record<string, unknown> = {}): QueryValidationError => ({
      instancePath: `/${name}`,
      schemaPath: `#/properties/${name}/${keyword}`,
      keyword,
      params,
      message,
    })
    if (typeof value !== 'string') return at('type', 'must be a single string (the parameter was given more than once)', { type: 'string' })
    if (typeof property.minLength === 'number' && value.length < property.minLength)
      return at('minLength', `must NOT have fewer than ${property.minLength} characters`, { limit: property.minLength })
    if (typeof property.maxLength === 'number' && value.length > property.maxLength)
      return at('maxLength', `must NOT have more than ${property.maxLength} characters`, { limit: property.maxLength })
    const pattern = patterns.get(name)
    if (pattern && !pattern.test(value))
      return at('pattern', `must match pattern "${String(property.pattern)}"`, { pattern: property.pattern })
    if (Array.isArray(property.enum) && !property.enum.includes(value))
      return at('enum', `must be one of ${property.enum.join(', ')}`, { allowedValues: property.enum })
  }
  return undefined
}
