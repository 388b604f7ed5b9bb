import type * as JoseModule from 'jose'

/** The jose module's type, for code that loads it with {@link loadJose}. */
export type Jose = typeof JoseModule

let loading: Promise<Jose> | undefined

/**
 * jose, imported on first use. Only Customer Login and the control API's verify and sign calls
 * need it; loading it at start would slow every `npm run mock` (`npm run bench`, section
 * `cold`, measures start-up).
 */
export function loadJose(): Promise<Jose> {
  loading ??= import('jose')
  return loading
}
