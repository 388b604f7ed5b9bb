import { listed } from '../errors.js'

/** The `--cors-origin` list as the CORS messages (the preflight refusal's and the cookie warnings') name it. */
export function listedCorsOrigins(origins: Iterable<string>): string {
  const all = [...origins]
  return all.length > 0 ? `the listed ones are ${listed(all)}` : 'none is listed'
}
