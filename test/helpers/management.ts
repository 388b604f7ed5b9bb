import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { parse as parseYaml } from 'yaml'
import { DEMO } from './storefront.js'

/** The project's subset of BigCommerce's Management API references: what the mock serves. */
const MANAGEMENT_SPEC_PATH = new URL('../../openapi/management-api.yaml', import.meta.url).pathname

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

interface Operation {
  parameters?: ({ $ref: string } | { name: string; in: string })[]
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>
}

/** The document, parsed once. */
export const managementDocument = parseYaml(readFileSync(MANAGEMENT_SPEC_PATH, 'utf8')) as {
  paths: Record<string, Partial<Record<Lowercase<Method>, Operation>>>
  components: {
    parameters: Record<string, { name: string; in: string }>
    responses: Record<string, { content?: Record<string, { schema?: unknown }> }>
  }
}

const ajv = new Ajv({ strict: false, allErrors: true })
ajv.addSchema(managementDocument, 'management')
const validators = new Map<string, ValidateFunction>()

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

/** The documented path (`/v2/orders/{order_id}`) a URL (`/stores/abc123/v2/orders/100?x`) is an instance of. */
function documentedPath(url: string): string | undefined {
  const path = (url.split('?')[0] ?? url).replace(/^\/stores\/[^/]+/, '')
  return Object.keys(managementDocument.paths).find((documented) =>
    new RegExp(`^${documented.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`).test(path),
  )
}

/** The query parameters the document gives an operation. */
export function documentedQueryParameters(path: string, method: Method): string[] {
  const operation = managementDocument.paths[path]?.[method.toLowerCase() as Lowercase<Method>]
  return (operation?.parameters ?? [])
    .map((parameter) => ('$ref' in parameter ? managementDocument.components.parameters[parameter.$ref.split('/').pop() ?? ''] : parameter))
    .filter((parameter): parameter is { name: string; in: string } => parameter?.in === 'query')
    .map((parameter) => parameter.name)
}

/**
 * The validator of the schema the document gives `method path` for `status` ('no body' when it
 * lists the status without one, a 204); an error status it does not list must be the version's
 * error body, and a success it does not list fails.
 */
function validatorFor(t: Test, method: Method, path: string, status: number): ValidateFunction | 'no body' | undefined {
  const key = `${method} ${path} ${status}`
  const known = validators.get(key)
  if (known) return known
  const operation = managementDocument.paths[path]?.[method.toLowerCase() as Lowercase<Method>]
  const response = operation?.responses[String(status)]
  if (!response && status >= 400) {
    // An error the operation does not list (a 406, a 415, a fault's status) is still its version's error body.
    const validate = ajv.compile({ $ref: `management#/components/schemas/${path.startsWith('/v2/') ? 'ErrorV2' : 'ErrorResponse'}` })
    validators.set(key, validate)
    return validate
  }
  if (!response) {
    t.fail(`${method} ${path} answered ${status}, which openapi/management-api.yaml does not list`)
    return undefined
  }
  const base = response.$ref
    ? `#/${pointer('components', 'responses', response.$ref.split('/').pop() ?? '')}`
    : `#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status))}`
  const resolved = response.$ref ? managementDocument.components.responses[response.$ref.split('/').pop() ?? ''] : response
  if (!resolved?.content?.['application/json']?.schema) return 'no body'
  const validate = ajv.compile({ $ref: `management${base}/${pointer('content', 'application/json', 'schema')}` })
  validators.set(key, validate)
  return validate
}

/** A Management API answer: status, parsed body, headers. */
export interface ApiAnswer<T> {
  status: number
  body: T
  text: string
  headers: LightMyRequestResponse['headers']
}

/**
 * Check one Management API answer: against the schema `openapi/management-api.yaml` gives its
 * operation and status (an answer whose status the document does not list fails), and that
 * neither it nor a header holds a secret. Answers the body, parsed when it is JSON.
 */
export function checkAnswer<T>(
  t: Test,
  method: Method,
  url: string,
  status: number,
  text: string,
  headers: Record<string, unknown>,
  secrets: ReadonlySet<string>,
): T {
  for (const secret of secrets)
    if (text.includes(secret) || JSON.stringify(headers).includes(secret)) t.fail(`${method} ${url} answered with a secret`)
  const type = headers['content-type']
  const isJson = typeof type === 'string' && type.startsWith('application/json')
  const parsed = (isJson ? JSON.parse(text) : text) as T
  const documented = documentedPath(url)
  if (documented) {
    const validate = validatorFor(t, method, documented, status)
    if (validate === 'no body') {
      if (text !== '') t.fail(`${method} ${url} ${status} has a body where the document gives none`)
    } else if (validate && !validate(parsed))
      t.fail(`${method} ${url} ${status} does not match openapi/management-api.yaml: ${ajv.errorsText(validate.errors)}`, { body: parsed })
  }
  return parsed
}

/**
 * A client for the mock's Management API through `app.inject`, with the default HS512 app's
 * access token unless told otherwise. Every answer is checked against the schema
 * `openapi/management-api.yaml` gives its operation and status (an answer whose status the
 * document does not list fails), and no answer nor header may contain a password or token.
 */
export function managementClient(
  t: Test,
  app: FastifyInstance,
  options: { token?: string | undefined; storeHash?: string; headers?: Record<string, string> } = {},
) {
  const token = 'token' in options ? options.token : DEMO.hs512App.accessToken
  const storeHash = options.storeHash ?? DEMO.storeHash
  const secrets = new Set<string>([DEMO.hs512App.accessToken, DEMO.hs256App.accessToken, DEMO.john.password])

  async function call<T>(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const url = `/stores/${storeHash}${path}`
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(token !== undefined && { 'x-auth-token': token }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
        ...headers,
      },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    const parsed = checkAnswer<T>(t, method, url, response.statusCode, response.body, response.headers, secrets)
    return { status: response.statusCode, body: parsed, text: response.body, headers: response.headers }
  }

  return {
    secrets,
    call,
    get: <T>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    put: <T>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('PUT', path, body, headers),
    delete: <T>(path: string, headers?: Record<string, string>) => call<T>('DELETE', path, undefined, headers),
  }
}

/** A V3 error body. */
export interface V3Error {
  status: number
  title: string
  type: string
  errors: Record<string, string>
  code: string
}

/** A V2 error body. */
export type V2Error = { status: number; message: string; code: string }[]
