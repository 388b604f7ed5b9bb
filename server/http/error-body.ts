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

/** Build an {@link ErrorBody}; `field` names the parameter or field at fault. */
export function errorBody(status: number, code: string, title: string, field = 'request'): ErrorBody {
  return { status, code, title, errors: { [field]: title } }
}
