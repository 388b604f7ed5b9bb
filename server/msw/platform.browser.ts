// The browser bundle's side of `platform.ts`: no file can be read, so the package's default
// fixtures are built in as text (scripts/build.mjs loads `.yaml` files as text), and a path is an
// error that says what to pass instead.
import defaultFixtures from '../../fixtures/store.yaml'
import { parseFixtureText } from '../domain/fixture-text.js'
import type { StoreDefinition } from '../domain/types.js'
import { ERRORS } from '../errors.js'

let parsedDefault: StoreDefinition | undefined

/** The bundled `fixtures/store.yaml` (parsed once); a path cannot be read in a browser. */
export function fixturesFromFile(path: string | undefined): StoreDefinition {
  if (path !== undefined)
    throw ERRORS.invalidOption(
      'fixtures',
      `a file path (${JSON.stringify(path)}) cannot be read in a browser; pass the fixture document as an object or as YAML or JSON text`,
    )
  parsedDefault ??= parseFixtureText(defaultFixtures, 'fixtures/store.yaml', false)
  return parsedDefault
}
