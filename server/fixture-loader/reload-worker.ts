import { parentPort, workerData } from 'node:worker_threads'
import { FixtureError } from '../errors.js'
import { loadFixtures } from './load-fixtures.js'

/** Customers per message: each is a few milliseconds for the main thread to take in. */
const RELOAD_BATCH = 5_000

/** What the reload worker sends: the store without its customers, the customers in batches, then done; or the failure. */
export type ReloadMessage =
  | {
      kind: 'head'
      storeHash: string
      apps: unknown[]
      generatedCount: number
      generatedPassword: string | undefined
      customerCount: number
      /** The Management API's records (plain data, cloned as it is). */
      records: unknown
    }
  | { kind: 'customers'; batch: unknown[] }
  | { kind: 'done' }
  | { kind: 'failed'; problems: { file: string; path: string; message: string }[] | undefined; message: string }

// Read, parse, check and generate off the event loop; the main thread only takes the result in.
const file = (workerData as { file: string }).file
const port = parentPort
if (port) {
  try {
    const store = loadFixtures(file)
    port.postMessage({
      kind: 'head',
      storeHash: store.storeHash,
      apps: store.apps,
      generatedCount: store.generatedCount,
      generatedPassword: store.generatedPassword,
      customerCount: store.customers.length,
      records: store.records,
    } satisfies ReloadMessage)
    // One batch per 'next' from the main thread: Node delivers every queued message in one go, so
    // sending them all at once would have the main thread take the whole store in one long task.
    let start = 0
    port.on('message', () => {
      if (start >= store.customers.length) {
        port.postMessage({ kind: 'done' } satisfies ReloadMessage)
        port.close()
        return
      }
      port.postMessage({ kind: 'customers', batch: store.customers.slice(start, start + RELOAD_BATCH) } satisfies ReloadMessage)
      start += RELOAD_BATCH
    })
  } catch (error) {
    port.postMessage({
      kind: 'failed',
      problems: error instanceof FixtureError ? error.problems : undefined,
      message: (error as Error).message,
    } satisfies ReloadMessage)
  }
}
