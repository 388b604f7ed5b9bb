import type { LightMyRequestResponse } from 'fastify'
import { parseSetCookie, setCookieLines } from './session.js'

/**
 * A browser's cookie jar for `app.inject`: keeps what `Set-Cookie` sets, drops what it clears
 * (empty value, `Max-Age=0` or an `Expires` in the past), and answers the `Cookie` header.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>()

  /** Apply a response's `Set-Cookie` lines. */
  take(response: Pick<LightMyRequestResponse, 'headers'>): void {
    for (const line of setCookieLines(response)) {
      const { name, value, attributes } = parseSetCookie(line)
      const expired = attributes.some((a) => /^max-age=(0|-\d+)$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()))
      if (expired || value === '') this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name)
  }

  /** The `Cookie` header value, or undefined when the jar is empty. */
  header(): string | undefined {
    return this.#cookies.size === 0 ? undefined : [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  clear(): void {
    this.#cookies.clear()
  }
}
