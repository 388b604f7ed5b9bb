import { readFileSync } from 'node:fs'
import { packagePath } from '../../package-root.js'

/** The Current customer panel's script on disk: plain JavaScript, served as is (no build step). */
export const CURRENT_CUSTOMER_SCRIPT_FILE = packagePath('server', 'storefront', 'pages', 'assets', 'current-customer.js')

let script: string | undefined

/** The panel script's text, read on first use (most runs of the mock never serve it). */
export function currentCustomerScript(): string {
  script ??= readFileSync(CURRENT_CUSTOMER_SCRIPT_FILE, 'utf8')
  return script
}
