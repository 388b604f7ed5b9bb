import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { parse as parseYaml } from 'yaml'
import type { Test } from 'tap'
import { CONTROL_SPEC_PATH, ControlSpec } from '../../server/control/spec.js'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One control API answer: status, parsed JSON body (when JSON), raw text and headers. */
export interface ControlAnswer<T> {
  status: number
  body: T
  text: string
  headers: LightMyRequestResponse['headers']
  response: LightMyRequestResponse
}

/** The JSON error body every failure has. */
export interface ErrorAnswer {
  status: number
  code: string
  title: string
  errors: Record<string, string>
}

const spec = new ControlSpec()
const ajv = new Ajv({ strict: false, allErrors: true })
const validators = new Map<string, ValidateFunction>()
const documentedPaths = Object.keys((parseYaml(readFileSync(CONTROL_SPEC_PATH, 'utf8')) as { paths: Record<string, unknown> }).paths).map(
  (path) => ({
    path,
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
  }),
)

/** The documented path (`/__mock/customers/{id}`) a URL (`/__mock/customers/4927?x`) is an instance of. */
function documentedPath(url: string): string | undefined {
  const path = url.split('?')[0] ?? url
  return documentedPaths.find((entry) => entry.pattern.test(path))?.path
}

/**
 * A client for the control API through `app.inject`. Every JSON answer is checked against the
 * schema the OpenAPI document gives for its operation and status (an undocumented 4xx must
 * still be an error body), and no answer may contain any string added to `secrets`.
 */
export function controlClient(t: Test, app: FastifyInstance, options: { token?: string } = {}) {
  const secrets = new Set<string>()

  async function call<T>(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<ControlAnswer<T>> {
    const response = await app.inject({
      method,
      url,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...headers },
      ...(body !== undefined && { payload: body as object }),
    })
    const text = response.body
    for (const secret of secrets) {
      if (text.includes(secret) || JSON.stringify(response.headers).includes(secret)) t.fail(`${method} ${url} answered with a secret`)
    }
    const isJson = String(response.headers['content-type'] ?? '').startsWith('application/json')
    const parsed = isJson ? (JSON.parse(text) as T) : (text as T)
    if (isJson) checkDocumented(t, method, url, response.statusCode, parsed)
    return { status: response.statusCode, body: parsed, text, headers: response.headers, response }
  }

  return {
    secrets,
    call,
    get: <T>(url: string, headers?: Record<string, string>) => call<T>('GET', url, undefined, headers),
    post: <T>(url: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', url, body, headers),
    put: <T>(url: string, body?: unknown) => call<T>('PUT', url, body),
    patch: <T>(url: string, body?: unknown) => call<T>('PATCH', url, body),
    delete: <T>(url: string) => call<T>('DELETE', url),
  }
}

function checkDocumented(t: Test, method: Method, url: string, status: number, body: unknown): void {
  const path = documentedPath(url)
  if (!path) return // an unknown path: its 404 is checked by the tests themselves
  let schema
  try {
    schema = spec.responseSchema(method, path, status)
  } catch {
    return // an undocumented method on a documented path: the catch-all's 404
  }
  if (!schema && status >= 400) schema = spec.toJsonSchema({ $ref: '#/components/schemas/Error' })
  if (!schema) {
    t.fail(`${method} ${path} answered ${status}, which the document does not list`)
    return
  }
  const key = `${method} ${path} ${status}`
  const validate = validators.get(key) ?? ajv.compile(schema)
  validators.set(key, validate)
  if (!validate(body))
    t.fail(`${method} ${url} ${status} does not match the documented schema: ${ajv.errorsText(validate.errors)}`, { body })
}

/** A control API call over the real socket, as a test driving a listening mock would make it; a non-2xx answer throws. */
export async function controlOverHttp<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as T
}
