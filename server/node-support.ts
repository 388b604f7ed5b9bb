import { readFileSync } from 'node:fs'
import { packagePath } from './package-root.js'

/**
 * Whether `version` (e.g. `20.20.2`, a leading `v` and a pre-release tag allowed) is inside
 * `range`, or undefined when the range is not written in the grammar read here: alternatives
 * joined by `||`, each one comparator, `^X[.Y[.Z]]` (X > 0) or `>=X[.Y[.Z]]`, as package.json's
 * `engines.node` is (`^22.13.0 || >=24`). A full semver parser would be a runtime dependency, and
 * a module to load, for one line a warning reads; `test/e2e/engines.test.ts` checks this agrees
 * with semver on the range package.json declares, so a change to another grammar fails there.
 */
export function nodeVersionAdmitted(version: string, range: string): boolean | undefined {
  const given = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim())
  if (!given) return undefined
  const have = [Number(given[1]), Number(given[2]), Number(given[3])] as const
  let admitted = false
  for (const alternative of range.split('||')) {
    const match = /^(\^|>=)\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(alternative.trim())
    if (!match) return undefined
    const low = [Number(match[2]), Number(match[3] ?? 0), Number(match[4] ?? 0)] as const
    // `^X.Y.Z` with X > 0 is `>=X.Y.Z <(X+1).0.0`; `^0.*` (never a Node range) is not read.
    if (match[1] === '^' && low[0] === 0) return undefined
    const atLeast = compare(have, low) >= 0
    if (atLeast && (match[1] === '>=' || have[0] === low[0])) admitted = true
  }
  return admitted
}

function compare(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/**
 * The warning line for a Node that package.json's `engines.node` (read from the installed
 * package) does not admit, or undefined when it admits it, or when engines cannot be read.
 */
export function unsupportedNodeWarning(version = process.versions.node): string | undefined {
  let range: unknown
  try {
    range = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { engines?: { node?: unknown } }).engines?.node
  } catch {
    return undefined
  }
  if (typeof range !== 'string' || nodeVersionAdmitted(version, range) !== false) return undefined
  return `bigcommerce-mock: warning: Node.js ${version} is outside the versions this package supports (package.json engines: ${range}); starting anyway`
}
