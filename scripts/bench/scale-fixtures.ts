import { rmSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import type { ScaleVariant } from './config.js'
import { DEFAULT_FIXTURES } from './paths.js'

/** The password of every customer of the large fixtures. */
export const SCALE_PASSWORD = 'storefront'

/** A large fixture file written for one scale variant. */
export interface ScaleFixture {
  variant: ScaleVariant
  path: string
  bytes: number
  /** How the customers are given, for the report. */
  description: string
}

/** The temporary fixture files of one run; {@link ScaleFixtures.remove} deletes them. */
export interface ScaleFixtures {
  dir: string
  files: ScaleFixture[]
  remove(): Promise<void>
}

// Folders still to delete, so that an interrupted run can remove them synchronously on exit.
const pending = new Set<string>()

/**
 * Write the large fixture files into a new temporary folder, each with the bundled fixtures'
 * `store_hash` and `apps` and `customers` customers:
 * - `generated`: YAML with `generate: {customers, seed: 42, password: storefront}` (faker makes them at start);
 * - `yaml-list` and `json-list`: the same number of customers listed one by one (synthetic:
 *   `customer<N>@scale.example.com`, ids 1..N), as YAML and as JSON.
 */
export async function writeScaleFixtures(customers: number, variants: readonly ScaleVariant[]): Promise<ScaleFixtures> {
  const base = parseYaml(await readFile(DEFAULT_FIXTURES, 'utf8')) as { store_hash: string; apps: unknown[] }
  const dir = await mkdtemp(join(tmpdir(), 'bc-mock-bench-scale-'))
  pending.add(dir)
  const files: ScaleFixture[] = []
  for (const variant of variants) {
    const path = join(dir, variant === 'json-list' ? 'store.json' : `${variant}.yaml`)
    await writeFile(path, fixtureText(variant, base, customers))
    files.push({ variant, path, bytes: (await stat(path)).size, description: describe(variant, customers) })
  }
  return {
    dir,
    files,
    remove: async () => {
      await rm(dir, { recursive: true, force: true })
      pending.delete(dir)
    },
  }
}

/** Delete every folder {@link writeScaleFixtures} made and nothing removed yet, synchronously (for `process.on('exit')`). */
export function removeScaleFixturesNow(): void {
  for (const dir of pending) rmSync(dir, { recursive: true, force: true })
  pending.clear()
}

function describe(variant: ScaleVariant, customers: number): string {
  const count = customers.toLocaleString('en-US')
  if (variant === 'generated') return `YAML, generate: {customers: ${count}, seed: 42}`
  return `${variant === 'yaml-list' ? 'YAML' : 'JSON'}, ${count} customers listed`
}

function fixtureText(variant: ScaleVariant, base: { store_hash: string; apps: unknown[] }, customers: number): string {
  const head = { store_hash: base.store_hash, apps: base.apps }
  if (variant === 'generated') {
    return stringifyYaml({ ...head, generate: { customers, seed: 42, password: SCALE_PASSWORD } })
  }
  if (variant === 'json-list') {
    const list = Array.from({ length: customers }, (_, index) => listed(index + 1))
    return `${JSON.stringify({ ...head, customers: list })}\n`
  }
  // YAML written line by line: the yaml package's stringify would take longer than the mock's parse.
  // The head is JSON, which is YAML too, as flow collections.
  const lines = [`store_hash: ${JSON.stringify(head.store_hash)}`, `apps: ${JSON.stringify(head.apps)}`, 'customers:']
  for (let id = 1; id <= customers; id++) {
    const customer = listed(id)
    lines.push(`  - id: ${customer.id}`, `    email: ${customer.email}`, `    password: ${customer.password}`, `    first_name: ${customer.first_name}`, `    last_name: ${customer.last_name}`)
  }
  return `${lines.join('\n')}\n`
}

function listed(id: number): { id: number; email: string; password: string; first_name: string; last_name: string } {
  return { id, email: `customer${id}@scale.example.com`, password: SCALE_PASSWORD, first_name: 'Scale', last_name: `Customer${id}` }
}
