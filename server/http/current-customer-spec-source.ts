import { readFileSync } from 'node:fs'
import { packagePath } from '../package-root.js'

/** Where the Current Customer API description lives in the package. */
export const CURRENT_CUSTOMER_SPEC_PATH = packagePath('openapi', 'current-customer.yaml')

/** The text of a Current Customer API description file (in the browser bundle, the one built in). */
export function readCurrentCustomerSpec(file: string): string {
  return readFileSync(file, 'utf8')
}
