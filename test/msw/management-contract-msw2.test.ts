// The Management API's contract between the server and the MSW handlers under msw 2: the same
// scenarios (management-contract.ts), with every import of `msw` resolved to the `msw2` alias.
import { register } from 'node:module'
import t from 'tap'

register(
  `data:text/javascript,${encodeURIComponent(
    "export async function resolve(specifier, context, next) { return next(/^msw(\\/|$)/.test(specifier) ? specifier.replace(/^msw/, 'msw2') : specifier, context) }",
  )}`,
)
const { version } = (await import('msw2/package.json', { with: { type: 'json' } })).default as { version: string }
t.match(version, /^2\./, `msw ${version}`)
const { runManagementContract } = await import('./management-contract.js')
await runManagementContract(t)
