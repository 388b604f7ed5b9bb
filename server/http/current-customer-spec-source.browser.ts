// The browser bundle's side of `current-customer-spec-source.ts`: no file to read, so the
// package's description is built in, as text (scripts/build.mjs loads `.yaml` files as text).
import specText from '../../openapi/current-customer.yaml'

/** The description's name in errors: the bundle holds the package's own file. */
export const CURRENT_CUSTOMER_SPEC_PATH = 'openapi/current-customer.yaml'

/** The built-in description, whichever file is asked for (only the package's own is). */
export function readCurrentCustomerSpec(_file: string): string {
  return specText
}
