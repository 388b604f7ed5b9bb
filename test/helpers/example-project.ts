// An example project as a user has it: the example's files copied into a new folder, the packed
// tarball in place of `file:../..`, and the devDependencies its package.json lists installed with
// npm (from npm's cache, which this project's own install filled: every one of them is a
// dependency or devDependency here too, at the same range, and the test checks it).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, relative, sep } from 'node:path'
import type { Test } from 'tap'
import { ensureBuilt, ROOT } from './cli.js'
import { packTarball, runIn } from './consumer.js'

interface Manifest {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

/**
 * Make and install `examples/<example>` in a temporary folder removed when `t` ends; answers the
 * project's folder. Checks first that each devDependency the example lists (but the package
 * itself) is one this project has at the same range; the examples name msw 3.
 */
export function installExample(t: Test, example: string): string {
  ensureBuilt()
  const source = join(ROOT, 'examples', example)
  const work = mkdtempSync(join(tmpdir(), `bc-mock-${example}-`))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const project = join(work, example)
  mkdirSync(project)
  // Only the example's own files: never a node_modules or a generated bundle of a local run.
  cpSync(source, project, {
    recursive: true,
    filter: (path) => !relative(source, path).split(sep).includes('node_modules'),
  })

  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Manifest
  const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest
  const available = { ...ours.dependencies, ...ours.devDependencies }
  const wanted = { ...manifest.devDependencies }
  for (const [name, range] of Object.entries(wanted)) {
    if (name === 'bigcommerce-mock-storefront') continue
    if (available[name] !== range) throw new Error(`examples/${example} wants ${name}@${range}; this project has ${available[name]}`)
  }
  const { filename } = packTarball(work)
  wanted['bigcommerce-mock-storefront'] = `file:${join(work, filename)}`
  writeFileSync(join(project, 'package.json'), JSON.stringify({ ...manifest, devDependencies: wanted }, null, 2) + '\n')

  const install = runIn('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], project, 150_000)
  if (install.status !== 0) throw new Error(`npm install in examples/${example} failed\n${install.stderr}`)
  checkMsw(t, project, 3)
  return project
}

/**
 * Install msw 2.x in place of the project's msw (this project's `msw2` alias range), as a user
 * trying the other major would: the rest of the project stays as installed.
 */
export function switchToMsw2(t: Test, project: string): void {
  const install = runIn('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `msw@${msw2Range()}`], project, 120_000)
  if (install.status !== 0) throw new Error(`npm install msw@2 failed\n${install.stderr}`)
  checkMsw(t, project, 2)
}

/** The range of this project's `msw2` alias (`npm:msw@^2...`). */
function msw2Range(): string {
  const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest
  const alias = ours.devDependencies?.msw2
  if (alias === undefined || !alias.startsWith('npm:msw@')) throw new Error('this project has no msw2 alias (npm:msw@^2...)')
  return alias.slice('npm:msw@'.length)
}

function checkMsw(t: Test, project: string, major: 2 | 3): void {
  const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'msw', 'package.json'), 'utf8')) as { version: string }
  t.match(installed.version, new RegExp(`^${major}\\.`), `the ${basename(project)} project has msw ${installed.version}`)
}
