import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The package root is the nearest folder above this module that holds package.json: the same
// answer whether this runs from `server/` (sources) or a build (`dist/api/`, `dist/bin/`, `dist/server/`).
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('bigcommerce-mock: cannot find the package root (no package.json above the server)')
    dir = parent
  }
  return dir
}

const PACKAGE_ROOT = findPackageRoot()

/** A path inside the installed package, e.g. `packagePath('openapi', 'current-customer.yaml')`. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments)
}
