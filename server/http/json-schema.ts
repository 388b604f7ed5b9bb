/** A JSON Schema object, as OpenAPI 3.0 embeds it. */
export type JsonSchema = Record<string, unknown>
