// The Management API's contract between the server and the MSW handlers, under msw 3 (see management-contract.ts).
import t from 'tap'
import { runManagementContract } from './management-contract.js'

await runManagementContract(t)
