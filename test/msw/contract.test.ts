// The contract between the server and the MSW handlers, under msw 3 (see contract.ts).
import t from 'tap'
import { runContract, runPageSession } from './contract.js'

await runContract(t)
await t.test('the page’s session through setupServer and fetch', runPageSession)
