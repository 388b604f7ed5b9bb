import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package root: the nearest folder above this module that holds package.json (works from `scripts/` and `dist/scripts/`). */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)))

/** The built mock CLI, as `npm run mock` runs it. */
export const MOCK_CLI: string = join(PACKAGE_ROOT, 'dist', 'server', 'cli.js')

/** The built bare Fastify server. */
export const BARE_SERVER: string = join(PACKAGE_ROOT, 'dist', 'scripts', 'bench-bare-server.js')

/** Where the JSON results are written (git-ignored). */
export const RESULTS_FILE: string = join(PACKAGE_ROOT, 'bench-results', 'latest.json')

function findPackageRoot(start: string): string {
  let dir = start
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('bench: cannot find the package root (no package.json above the script)')
    dir = parent
  }
  return dir
}

/** The bundled default fixtures, which `npm run mock` serves without `--fixtures`. */
export const DEFAULT_FIXTURES: string = join(PACKAGE_ROOT, 'fixtures', 'store.yaml')
