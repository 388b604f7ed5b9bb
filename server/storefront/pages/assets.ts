import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { packagePath } from '../../package-root.js'

// The Current customer panel's script on disk: plain JavaScript, served as is. From the sources
// (tests) it is the file beside this module; the build copies it to dist/assets/, which the
// bundles (ESM, CommonJS, the bin) read wherever their code landed.
const CURRENT_CUSTOMER_SCRIPT_FILE = import.meta.url.endsWith('.ts')
  ? fileURLToPath(new URL('./assets/current-customer.js', import.meta.url))
  : packagePath('dist', 'assets', 'current-customer.js')

let script: string | undefined

/** The panel script's text, read on first use (most runs of the mock never serve it). */
export function currentCustomerScript(): string {
  script ??= readFileSync(CURRENT_CUSTOMER_SCRIPT_FILE, 'utf8')
  return script
}
