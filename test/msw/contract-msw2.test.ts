// The contract between the server and the MSW handlers under msw 2: the same scenarios
// (contract.ts), with every import of `msw` resolved to the `msw2` alias (npm:msw@^2) by a
// resolve hook registered before the handlers load.
import t from 'tap'
import { useMsw2 } from '../helpers/msw2.js'

await useMsw2(t)
const { runContract, runPageSession } = await import('./contract.js')
await runContract(t)
await t.test('the page’s session through setupServer and fetch', runPageSession)
