import type { MockError } from '../errors.js'

/**
 * The JSON body of every error the mock answers with. It follows BigCommerce's API error shape
 * (`status`, `title`, `errors` keyed by the field at fault) and adds a stable `code`.
 */
export interface ErrorBody {
  status: number
  code: string
  title: string
  errors: Record<string, string>
}

/** The {@link ErrorBody} of an error from the catalogue. */
export function errorBody(error: MockError): ErrorBody {
  return { status: error.statusCode, code: error.code, title: error.message, errors: { [error.field ?? 'request']: error.message } }
}
