import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// The pages' assets on disk, next to this module (the build copies every server assets folder
// into dist/server/): served as they are.
const CURRENT_CUSTOMER_SCRIPT_FILE = fileURLToPath(new URL('./assets/current-customer.js', import.meta.url))
const FAVICON_FILE = fileURLToPath(new URL('./assets/favicon.svg', import.meta.url))

let script: string | undefined
let favicon: string | undefined

/** The panel script's text, read on first use (most runs of the mock never serve it). */
export function currentCustomerScript(): string {
  script ??= readFileSync(CURRENT_CUSTOMER_SCRIPT_FILE, 'utf8')
  return script
}

/** The pages' icon (SVG), read on first use. */
export function faviconSvg(): string {
  favicon ??= readFileSync(FAVICON_FILE, 'utf8')
  return favicon
}
