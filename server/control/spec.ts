import { readFileSync } from 'node:fs'
import type { FastifySchema, HTTPMethods } from 'fastify'
import { parse as parseYaml } from 'yaml'
import type { JsonSchema } from '../http/json-schema.js'
import { packagePath } from '../package-root.js'

/** Where the control API's OpenAPI document lives in the package. */
export const CONTROL_SPEC_PATH = packagePath('openapi', 'mock-control.yaml')

/** The path prefix every control API route lives under. */
export const CONTROL_PREFIX = '/__mock'

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const
type SpecMethod = (typeof METHODS)[number]

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: JsonSchema
}

interface Operation {
  operationId?: string
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> }
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>
}

type PathItem = Partial<Record<SpecMethod, Operation>> & { parameters?: Parameter[] }

interface OpenApiDocument {
  paths: Record<string, PathItem>
}

/** Keywords OpenAPI 3.0 adds to JSON Schema that a validator must not see. */
const OPENAPI_ONLY = new Set(['example', 'xml', 'externalDocs', 'discriminator'])
/** The one vendor keyword the validator keeps: a field's error message (see `validation.ts`). */
export const MESSAGE_KEYWORD = 'x-message'

/** The parts of a request a route schema describes. */
export type SchemaPart = 'params' | 'querystring' | 'body'

/** One operation's request schemas, as the document gives them (absent parts are not validated). */
export type OperationSchemas = Partial<Record<SchemaPart, JsonSchema>>

/**
 * Stands in for one part of a route's schema until the first request needs it: the control
 * API's validator compiler (see `validation.ts`) turns it into the document's schema then.
 */
export class LazySchemaPart {
  constructor(
    readonly spec: ControlSpec,
    readonly method: HTTPMethods,
    readonly path: string,
    readonly part: SchemaPart,
  ) {}

  /**
   * The document's schema for this part, or undefined when the operation has none. The first
   * resolution throws if the document and the routes disagree.
   */
  resolve(): JsonSchema | undefined {
    this.spec.assertConsistent()
    return this.spec.operationSchemas(this.method, this.path)[this.part]
  }
}

/**
 * The control API's OpenAPI document. Routes take their schemas (params, querystring, body)
 * from it with {@link ControlSpec.routeSchema}, so validation is what the document says.
 *
 * The document is read at start (it is served as is), but parsed, and each schema compiled,
 * only when the control API is first used: parsing and compiling take longer than building
 * the rest of the app, and most runs never call the control API. The first use also checks
 * that document and routes agree ({@link ControlSpec.assertConsistent}); the tests check it too.
 */
export class ControlSpec {
  /** The document's text, served as is at `GET /__mock/openapi.yaml`. */
  readonly text: string
  #document: OpenApiDocument | undefined
  #consistent = false
  readonly #routed = new Set<string>()
  readonly #operations = new Map<string, OperationSchemas>()

  constructor(readonly file = CONTROL_SPEC_PATH) {
    this.text = readFileSync(file, 'utf8')
  }

  /**
   * The package's own document, one instance per process: every app built in it shares the
   * parsed document and its resolved schemas (and so the validators compiled from them), which
   * is what makes a fresh mock per test cheap. The document ships with the package and never
   * changes while it runs.
   */
  static shared(): ControlSpec {
    sharedSpec ??= new ControlSpec()
    return sharedSpec
  }

  /**
   * The Fastify schema of a route: one {@link LazySchemaPart} per request part, resolved from
   * the operation `method` `path` of the document on first use.
   *
   * @param method - e.g. `PATCH`.
   * @param path - the documented path, e.g. `/__mock/customers/{id}`.
   */
  routeSchema(method: HTTPMethods, path: string): FastifySchema {
    this.#routed.add(operationKey(method, path))
    const schema: FastifySchema = {
      params: new LazySchemaPart(this, method, path, 'params'),
      querystring: new LazySchemaPart(this, method, path, 'querystring'),
    }
    // Fastify refuses a body schema on GET, HEAD and DELETE routes.
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') schema.body = new LazySchemaPart(this, method, path, 'body')
    return schema
  }

  /** An operation's request schemas, `$ref`s resolved and OpenAPI-only keywords removed. */
  operationSchemas(method: HTTPMethods, path: string): OperationSchemas {
    const key = operationKey(method, path)
    const cached = this.#operations.get(key)
    if (cached) return cached
    const schemas = this.#buildOperationSchemas(method, path)
    this.#operations.set(key, schemas)
    return schemas
  }

  /** Throw unless every documented operation has a route and every route is documented (checked once). */
  assertConsistent(): void {
    if (this.#consistent) return
    const problems = this.problems()
    if (problems.length > 0) throw new Error(`${this.file} and the control API routes disagree: ${problems.join('; ')}`)
    this.#consistent = true
  }

  /** The documented schema of a response body (for tests that check answers against the document). */
  responseSchema(method: HTTPMethods, path: string, status: number): JsonSchema | undefined {
    const response = this.#resolve(this.#operation(method, path).responses[String(status)] ?? {}) as Operation['responses'][string]
    const content = response.content ?? {}
    const schema = content['application/json']?.schema
    return schema ? this.toJsonSchema(schema) : undefined
  }

  /** Where document and routes disagree: documented operations without a route, routes without an operation. */
  problems(): string[] {
    const documented = Object.entries(this.#parsed().paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => operationKey(method, path)),
    )
    return [
      ...documented.filter((key) => !this.#routed.has(key)).map((key) => `${key} is documented but has no route`),
      ...[...this.#routed].filter((key) => !documented.includes(key)).map((key) => `${key} has a route but is not documented`),
    ]
  }

  /** A schema with every local `$ref` inlined and the OpenAPI-only keywords dropped. */
  toJsonSchema(schema: JsonSchema): JsonSchema {
    const resolved = this.#resolve(schema) as JsonSchema
    const out: JsonSchema = {}
    for (const [key, value] of Object.entries(resolved)) {
      if (OPENAPI_ONLY.has(key) || (key.startsWith('x-') && key !== MESSAGE_KEYWORD)) continue
      if ((key === 'properties' || key === 'patternProperties') && isObject(value)) {
        // Keys here are property names, not keywords: keep them all.
        out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, this.toJsonSchema(sub as JsonSchema)]))
      } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
        out[key] = this.toJsonSchema(value)
      } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
        out[key] = value.map((sub) => this.toJsonSchema(sub as JsonSchema))
      } else {
        out[key] = value
      }
    }
    return out
  }

  #parsed(): OpenApiDocument {
    if (this.#document) return this.#document
    const document = parseYaml(this.text) as OpenApiDocument | null
    if (typeof document?.paths !== 'object' || document.paths === null) throw new Error(`${this.file}: no paths`)
    this.#document = document
    return document
  }

  #operation(method: HTTPMethods, path: string): Operation {
    const operation = this.#parsed().paths[path]?.[method.toLowerCase() as SpecMethod]
    if (!operation) throw new Error(`${this.file}: no ${method} ${path} operation`)
    return operation
  }

  #buildOperationSchemas(method: HTTPMethods, path: string): OperationSchemas {
    const operation = this.#operation(method, path)
    // Operation parameters override path-level ones of the same name and place.
    const byKey = new Map<string, Parameter>()
    for (const raw of [...(this.#parsed().paths[path]?.parameters ?? []), ...(operation.parameters ?? [])]) {
      const parameter = this.#resolve(raw) as Parameter
      byKey.set(`${parameter.in}:${parameter.name}`, parameter)
    }
    const parameters = [...byKey.values()]
    const params = objectSchema(
      parameters.filter((parameter) => parameter.in === 'path').map((parameter) => this.#parameterSchema(parameter)),
    )
    const querystring = objectSchema(
      parameters.filter((parameter) => parameter.in === 'query').map((parameter) => this.#parameterSchema(parameter)),
    )
    const body = operation.requestBody?.content['application/json']?.schema
    return { ...(params && { params }), ...(querystring && { querystring }), ...(body && { body: this.toJsonSchema(body) }) }
  }

  #parameterSchema(parameter: Parameter): [string, JsonSchema, boolean] {
    const schema = this.toJsonSchema(parameter.schema ?? { type: 'string' })
    return [parameter.name, schema, parameter.required === true]
  }

  // Follow `#/components/...` references until a value that is not one.
  #resolve(value: unknown, seen: string[] = []): unknown {
    if (!isObject(value) || typeof value.$ref !== 'string') return value
    const ref = value.$ref
    if (!ref.startsWith('#/')) throw new Error(`${this.file}: only local $refs are supported, got ${ref}`)
    if (seen.includes(ref)) throw new Error(`${this.file}: circular $ref ${[...seen, ref].join(' -> ')}`)
    let target: unknown = this.#parsed()
    for (const segment of ref.slice(2).split('/')) {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~')
      target = isObject(target) ? target[key] : undefined
    }
    if (target === undefined) throw new Error(`${this.file}: $ref ${ref} points nowhere`)
    return this.#resolve(target, [...seen, ref])
  }
}

let sharedSpec: ControlSpec | undefined

/** `/__mock/customers/{id}` -> `/customers/:id`, the route's URL inside the `/__mock` prefix. */
export function routeUrl(path: string): string {
  if (!path.startsWith(`${CONTROL_PREFIX}/`)) throw new Error(`control API path ${path} is not under ${CONTROL_PREFIX}/`)
  return path.slice(CONTROL_PREFIX.length).replace(/\{([^}]+)\}/g, ':$1')
}

function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`
}

// Parameters of one place become one object schema; unknown ones are refused by name.
function objectSchema(entries: [string, JsonSchema, boolean][]): JsonSchema | undefined {
  if (entries.length === 0) return undefined
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(entries.map(([name, schema]) => [name, schema])),
    required: entries.filter(([, , required]) => required).map(([name]) => name),
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
