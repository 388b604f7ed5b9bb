import type * as AjvModule from 'ajv'
import { createRequire } from 'node:module'
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv'
import type { FastifySchemaCompiler } from 'fastify'
import { closestName } from '../domain/describe-value.js'
import type { JsonSchema } from '../http/json-schema.js'
import { LazySchemaPart, MESSAGE_KEYWORD } from './spec.js'

/** A validator as Fastify calls it: answers validity and leaves the errors on itself. */
interface ExplainedValidator {
  (data: unknown): boolean
  errors?: ErrorObject[] | null
}

/**
 * The control API's schema compiler. Fastify's default Ajv would do for the storefront, but
 * two of its defaults are wrong for a JSON API whose errors must name the field:
 * `removeAdditional` drops a misspelt field silently instead of refusing it, and
 * `coerceTypes` turns a body's `"4927"` or `true` into numbers. So: path and query values
 * (always strings on the wire) are coerced, JSON bodies are taken as typed, unknown fields are
 * refused by name, and a field's `x-message` from the document replaces Ajv's wording.
 *
 * A {@link LazySchemaPart} is compiled on the first request that needs it, so a mock whose
 * control API is never called never pays for parsing the document or compiling its schemas.
 */
export function controlValidatorCompiler(): FastifySchemaCompiler<unknown> {
  return ({ schema, httpPart }) => {
    const isBody = httpPart === 'body'
    if (!(schema instanceof LazySchemaPart)) return compile(schema as JsonSchema, isBody)
    // undefined: not compiled yet; null: the document gives this part no schema, so anything goes.
    let validate: ExplainedValidator | null | undefined
    const lazy: ExplainedValidator = (data) => {
      if (validate === undefined) {
        const resolved = schema.resolve()
        validate = resolved ? compile(resolved, isBody) : null
      }
      if (validate === null) return true
      const valid = validate(data)
      lazy.errors = validate.errors ?? null
      return valid
    }
    return lazy
  }
}

// One pair of Ajv instances and one compiled validator per schema object, for the whole
// process: the shared document (`ControlSpec.shared()`) hands every app the same schema
// objects, so the second app's first control call compiles nothing.
let forStrings: Ajv | undefined
let forJson: Ajv | undefined
const compiled = new WeakMap<JsonSchema, ValidateFunction>()

function compile(schema: JsonSchema, isBody: boolean): ExplainedValidator {
  let validate = compiled.get(schema)
  if (!validate) {
    const { Ajv } = loadAjv()
    const options: Options = { strict: true, allErrors: false, verbose: true, validateFormats: false, keywords: [MESSAGE_KEYWORD] }
    // No defaults in bodies: a default would turn a PATCH that leaves a field alone into one that resets it.
    const ajv = isBody
      ? (forJson ??= new Ajv({ ...options, coerceTypes: false, useDefaults: false }))
      : (forStrings ??= new Ajv({ ...options, coerceTypes: true, useDefaults: true }))
    validate = ajv.compile(schema)
    compiled.set(schema, validate)
  }
  return explained(validate, isBody)
}

// Required on first compile rather than imported: Fastify's validators are synchronous, and
// loading Ajv at start would slow every run that never calls the control API.
function loadAjv(): typeof AjvModule {
  return createRequire(import.meta.url)('ajv') as typeof AjvModule
}

// Fastify reports only the first error, so put the one that explains the failure first.
function explained(validate: ValidateFunction, isBody: boolean): ExplainedValidator {
  const wrapper: ExplainedValidator = (data) => {
    const valid = validate(data)
    if (valid) {
      wrapper.errors = null
    } else {
      const error = explain(validate.errors ?? [])
      // No body at all, or not an object: say what is expected instead of "must be object".
      const rootType = isBody && error.instancePath === '' && error.keyword === 'type'
      wrapper.errors = [
        withoutData(rootType ? { ...error, message: 'must be a JSON object (send Content-Type: application/json)' } : error),
      ]
    }
    return valid
  }
  return wrapper
}

// Verbose errors carry the rejected value: never let a secret ride along into a log or a body.
function withoutData({ instancePath, schemaPath, keyword, params, message }: ErrorObject): ErrorObject {
  return { instancePath, schemaPath, keyword, params, ...(message !== undefined && { message }) }
}

/** Turn Ajv's errors into the one error the error handler should report. */
function explain(errors: ErrorObject[]): ErrorObject {
  // With allErrors off, a failed anyOf lists each branch's complaint and then its own: that
  // last one is about the field as a whole, and carries the field's message.
  const last = errors[errors.length - 1]
  const first = last && (last.keyword === 'anyOf' || last.keyword === 'oneOf') ? last : errors[0]
  if (!first) return { instancePath: '', schemaPath: '', keyword: 'false schema', params: {}, message: 'is invalid' }

  if (first.keyword === 'additionalProperties') {
    const name = String(first.params.additionalProperty)
    const known = Object.keys((first.parentSchema?.properties as Record<string, unknown> | undefined) ?? {})
    const meant = closestName(name, known)
    return {
      ...first,
      instancePath: `${first.instancePath}/${name}`,
      message: `is not accepted here (expected ${known.length > 0 ? `one of: ${known.join(', ')}` : 'none'})${meant ? `; did you mean ${meant}?` : ''}`,
    }
  }
  const custom: unknown = first.parentSchema?.[MESSAGE_KEYWORD]
  if (typeof custom === 'string' && first.keyword !== 'required') return { ...first, message: custom }
  return first
}
