import type { FastifyInstance } from 'fastify'
import type { Store } from '../domain/store.js'
import { watchFixtures } from './watch-fixtures.js'

/**
 * `--watch`: re-apply the fixture file to the store whenever it changes. Watching starts now,
 * when the app is built (an edit saved before the first request still applies), and ends with
 * the app's `onClose`.
 */
export function installFixtureWatcher(app: FastifyInstance, store: Store, file: string): void {
  const watcher = watchFixtures({ file, prepare: () => store.prepareReload(), log: app.log })
  app.addHook('onClose', (_instance, closed) => {
    watcher.close()
    closed()
  })
}
