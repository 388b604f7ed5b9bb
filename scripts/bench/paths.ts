import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageRoot(dir: string): string {
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('bench: no package.json above the script')
    dir = parent
  }
  return dir
}

/** The package root: the nearest folder above this module with a package.json (from `scripts/` and `dist/scripts/` alike). */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)))

/** The mock's bin as the package ships it (the bundle), as `npm run mock` runs it. */
export const MOCK_CLI: string = join(PACKAGE_ROOT, 'dist', 'bin', 'cli.js')

/** The built bare Fastify baseline. */
export const BARE_SERVER: string = join(PACKAGE_ROOT, 'dist', 'scripts', 'bench-bare-server.js')

/** The bundled fixtures, which the mock serves without `--fixtures`. */
export const DEFAULT_FIXTURES: string = join(PACKAGE_ROOT, 'fixtures', 'store.yaml')

/** Where the results of the last run are written (git-ignored). */
export const RESULTS_FILE: string = join(PACKAGE_ROOT, 'bench-results', 'latest.json')

/** The same results as a Markdown page, committed so that readers see the figures. */
export const FIGURES_FILE: string = join(PACKAGE_ROOT, 'docs', 'benchmark-results.md')
