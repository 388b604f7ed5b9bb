import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// The Current customer panel's script on disk, next to this module (the build copies every
// server assets folder into dist/server/): plain JavaScript, served as is.
const CURRENT_CUSTOMER_SCRIPT_FILE = fileURLToPath(new URL('./assets/current-customer.js', import.meta.url))

let script: string | undefined

/** The panel script's text, read on first use (most runs of the mock never serve it). */
export function currentCustomerScript(): string {
  script ??= readFileSync(CURRENT_CUSTOMER_SCRIPT_FILE, 'utf8')
  return script
}
