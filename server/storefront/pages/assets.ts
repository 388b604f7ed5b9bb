import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { packagePath } from '../../package-root.js'

// The pages' assets (plain files, served as they are). From the sources (tests) they are the
// files beside this module; the build copies them to dist/assets/, which the bundles (ESM,
// CommonJS, the bin) read wherever their code landed.
const assetFile = (name: string): string =>
  import.meta.url.endsWith('.ts') ? fileURLToPath(new URL(`./assets/${name}`, import.meta.url)) : packagePath('dist', 'assets', name)
const CURRENT_CUSTOMER_SCRIPT_FILE = assetFile('current-customer.js')
const FAVICON_FILE = assetFile('favicon.svg')

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
