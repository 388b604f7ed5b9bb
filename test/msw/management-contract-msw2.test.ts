// The Management API's contract between the server and the MSW handlers under msw 2: the same
// scenarios (management-contract.ts), with every import of `msw` resolved to the `msw2` alias.
import t from 'tap'
import { useMsw2 } from '../helpers/msw2.js'

await useMsw2(t)
const { runManagementContract } = await import('./management-contract.js')
await runManagementContract(t)
