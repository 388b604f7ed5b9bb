import { HttpResponse } from 'msw'

/** A JSON answer, typed as the server's. */
export function json(status: number, body: unknown): Response {
  return new HttpResponse(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } })
}

/** The query as the server's parser hands it to the validator: a string per parameter, an array when repeated. */
export function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name)
    query[name] = values.length === 1 ? (values[0] ?? '') : values
  }
  return query
}
