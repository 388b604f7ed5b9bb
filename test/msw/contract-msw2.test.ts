// The contract between the server and the MSW handlers under msw 2: the same scenarios
// (contract.ts), with every import of `msw` resolved to the `msw2` alias (npm:msw@^2) by a
// resolve hook registered before the handlers load.
import { register } from 'node:module'
import t from 'tap'

register(
  `data:text/javascript,${encodeURIComponent(
    "export async function resolve(specifier, context, next) { return next(/^msw(\\/|$)/.test(specifier) ? specifier.replace(/^msw/, 'msw2') : specifier, context) }",
  )}`,
)
const { version } = (await import('msw2/package.json', { with: { type: 'json' } })).default as { version: string }
t.match(version, /^2\./, `msw ${version}`)
const { runContract, runPageSession } = await import('./contract.js')
await runContract(t)
await t.test('the page’s session through setupServer and fetch', runPageSession)
