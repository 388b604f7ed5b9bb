/** The jose module's type, for code that loads it with {@link loadJose}. */
export type Jose = typeof import('jose')

let loading: Promise<Jose> | undefined

/**
 * jose, imported on first use. Only Customer Login and the control API's verify and sign calls
 * need it; loading it at start costs ~35 ms of every `npm run mock`.
 */
export function loadJose(): Promise<Jose> {
  loading ??= import('jose')
  return loading
}
