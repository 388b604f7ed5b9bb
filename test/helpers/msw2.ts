import { register } from 'node:module'
import type { Test } from 'tap'

/**
 * From here on, resolve every import of `msw` (and `msw/...`) to the `msw2` alias (npm:msw@^2),
 * by a resolve hook: modules imported after this run against msw 2. Checks that it is msw 2.
 */
export async function useMsw2(t: Test): Promise<void> {
  register(
    `data:text/javascript,${encodeURIComponent(
      "export async function resolve(specifier, context, next) { return next(/^msw(\\/|$)/.test(specifier) ? specifier.replace(/^msw/, 'msw2') : specifier, context) }",
    )}`,
  )
  const { version } = (await import('msw2/package.json', { with: { type: 'json' } })).default as { version: string }
  t.match(version, /^2\./, `msw ${version}`)
}
