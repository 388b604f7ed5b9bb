import { showValue } from '../domain/describe-value.js'
import type { PageRequest } from '../domain/management-queries.js'
import { ERRORS, type MockError } from '../errors.js'

/** The API version a route belongs to: its errors take that version's shape and status. */
export type ApiVersion = 'v2' | 'v3'

/** Items per page when a request names no `limit`, and the most it may name (BigCommerce's). */
export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 250

/** Most values one `:in` filter takes: a URL holds at most 8,192 characters anyway. */
const MAX_LIST_VALUES = 1000

/**
 * Reads a Management API query string by the reference's parameter names (`id:in=4,5,6`,
 * `page`, `limit`, ...). A parameter the route does not serve, or a value that is not what the
 * reference says, is refused naming it: a `422` on V3 (BigCommerce's status for a bad filter), a
 * `400` on V2. The mock refuses a filter it does not serve rather than ignore it, so a test
 * never reads an unfiltered list as a filtered one.
 */
export class QueryReader {
  readonly #query: Record<string, string>

  constructor(
    query: unknown,
    readonly version: ApiVersion,
    served: readonly string[],
  ) {
    const given = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>
    this.#query = {}
    for (const [name, value] of Object.entries(given)) {
      if (!served.includes(name))
        throw this.error(
          name,
          `The query parameter ${showValue(name)} is not served by this mock for this route (it serves ${served.length > 0 ? served.join(', ') : 'none'}; docs/management-api.md says why).`,
        )
      // A repeated parameter (`id:in=1&id:in=2`) is one list.
      this.#query[name] = Array.isArray(value) ? value.map(String).join(',') : String(value)
    }
  }

  /** Was this parameter given? */
  has(name: string): boolean {
    return this.#query[name] !== undefined
  }

  /** A comma-separated list of whole numbers from `min` (`id:in=4,5,6`); undefined when absent. */
  ints(name: string, min = 1): number[] | undefined {
    return this.list(name)?.map((item) => {
      if (!/^\d+$/.test(item) || !Number.isSafeInteger(Number(item)) || Number(item) < min)
        throw this.error(name, `The query parameter ${name} must list whole numbers from ${min}, got ${showValue(item)}.`)
      return Number(item)
    })
  }

  /** A comma-separated list of strings (`email:in=a@example.com,b@example.com`); undefined when absent. */
  strings(name: string): string[] | undefined {
    return this.list(name)
  }

  /** One whole number from `min` (up to `max`); undefined when absent. */
  int(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const text = this.#query[name]
    if (text === undefined) return undefined
    const value = Number(text)
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max)
      throw this.error(
        name,
        `The query parameter ${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got ${showValue(text)}.`,
      )
    return value
  }

  /** One string; undefined when absent. */
  string(name: string): string | undefined {
    return this.#query[name]
  }

  /** One of `values`; undefined when absent. */
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const text = this.#query[name]
    if (text === undefined) return undefined
    if (!(values as readonly string[]).includes(text))
      throw this.error(name, `The query parameter ${name} must be one of ${values.join(', ')}, got ${showValue(text)}.`)
    return text as T
  }

  /** Some of `values`, comma-separated (`include=addresses,attributes`); empty when absent. */
  someOf<T extends string>(name: string, values: readonly T[]): Set<T> {
    const items = this.list(name) ?? []
    for (const item of items)
      if (!(values as readonly string[]).includes(item))
        throw this.error(name, `The query parameter ${name} may list ${values.join(', ')} (what this mock serves), got ${showValue(item)}.`)
    return new Set(items as T[])
  }

  /** `page` (from 1, default 1) and `limit` (1 to {@link MAX_LIMIT}, default {@link DEFAULT_LIMIT}). */
  page(): PageRequest {
    return { page: this.int('page', 1) ?? 1, limit: this.int('limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT }
  }

  /** The refusal of `name`, in this version's shape. */
  error(name: string, message: string): MockError {
    return this.version === 'v3' ? ERRORS.apiInvalid(name, message) : ERRORS.apiBadParameter(name, message)
  }

  private list(name: string): string[] | undefined {
    const text = this.#query[name]
    if (text === undefined) return undefined
    const items = text.split(',').map((item) => item.trim())
    if (items.some((item) => item === ''))
      throw this.error(name, `The query parameter ${name} has an empty value in its list, got ${showValue(text)}.`)
    if (items.length > MAX_LIST_VALUES)
      throw this.error(name, `The query parameter ${name} lists ${items.length} values; this mock takes at most ${MAX_LIST_VALUES}.`)
    return items
  }
}

/** Refuse any query parameter: the route takes none. */
export function noQuery(query: unknown, version: ApiVersion): void {
  void new QueryReader(query, version, [])
}

/** A V3 list's answer: `data`, each item as `view` shows it, and `meta.pagination` of the page. */
export function collection<T>(
  query: unknown,
  page: PageRequest,
  found: { items: readonly T[]; total: number },
  view: (item: T) => unknown,
) {
  return { data: found.items.map(view), meta: { pagination: pagination(query, page, found.total, found.items.length) } }
}

/**
 * `meta.pagination` of a V3 list: totals, and links to the pages before and after as the
 * request's own query with `page` changed (`?id%3Ain=4%2C5&page=2&limit=50`).
 */
function pagination(query: unknown, page: PageRequest, total: number, count: number) {
  const totalPages = Math.ceil(total / page.limit)
  const link = (target: number) => {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
      if (name === 'page' || name === 'limit') continue
      params.set(name, Array.isArray(value) ? value.map(String).join(',') : String(value))
    }
    params.set('page', String(target))
    params.set('limit', String(page.limit))
    return `?${params.toString()}`
  }
  return {
    total,
    count,
    per_page: page.limit,
    current_page: page.page,
    total_pages: totalPages,
    links: {
      ...(page.page > 1 && { previous: link(Math.min(page.page - 1, Math.max(totalPages, 1))) }),
      current: link(page.page),
      ...(page.page < totalPages && { next: link(page.page + 1) }),
    },
  }
}
