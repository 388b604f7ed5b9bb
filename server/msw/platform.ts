// What the handlers need of the platform, Node's side: fixture files are read from disk. `platform.browser.ts` takes its place in the browser bundle
// (scripts/build.mjs: a module with a `.browser.ts` sibling is swapped for it).
import type { StoreDefinition } from '../domain/types.js'
import { loadFixtures } from '../fixture-loader/load-fixtures.js'

/** The store a fixture file describes, or the bundled `fixtures/store.yaml` without one. */
export function fixturesFromFile(path: string | undefined): StoreDefinition {
  return loadFixtures(path)
}
