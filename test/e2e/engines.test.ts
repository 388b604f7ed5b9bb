// package.json's `engines.node` must be a promise the whole runtime dependency tree keeps: every
// Node version it admits must also be admitted by every installed runtime dependency that
// declares engines (so an install on an admitted version never warns, and
// `npm install --engine-strict` of the tarball succeeds; test/e2e/packed-package.test.ts does that).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import semver from 'semver'
import t from 'tap'
import { nodeVersionAdmitted } from '../../server/node-support.js'
import { ROOT } from '../helpers/cli.js'

interface Manifest {
  name: string
  version: string
  engines?: { node?: string }
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest

const ours = readManifest(ROOT).engines?.node
const admitted = typeof ours === 'string' ? ours : ''

t.test('engines.node is a valid range that leaves out Node 20 (end of life; cookie@2 needs 22)', async (t) => {
  t.ok(semver.validRange(admitted), `engines.node ${JSON.stringify(ours)} is a semver range`)
  t.notOk(semver.intersects(admitted, '20'), 'no Node 20 version is admitted')
  t.ok(semver.satisfies('22.13.0', admitted), '22.13.0 is admitted (the first 22 that @faker-js/faker 10 takes)')
  t.notOk(semver.satisfies('22.12.0', admitted), '22.12.0 is not (faker 10 needs ^22.13.0)')
  t.ok(semver.satisfies('24.0.0', admitted), '24 is admitted')
})

t.test('every runtime dependency admits every Node version engines.node admits', async (t) => {
  const ls = spawnSync('npm', ['ls', '--all', '--omit=dev', '--parseable'], { cwd: ROOT, encoding: 'utf8' })
  const dirs = ls.stdout.split('\n').filter(Boolean).slice(1)
  t.ok(dirs.length > 50, `npm ls lists the runtime tree (${dirs.length} packages)`)
  const names = new Set<string>()
  const conflicts: string[] = []
  for (const dir of dirs) {
    const manifest = readManifest(dir)
    names.add(manifest.name)
    const theirs = manifest.engines?.node
    if (theirs === undefined) continue
    // A range no semver parser reads (e.g. ">= 0.6" is fine, "*" is fine) is reported, not ignored.
    if (!semver.validRange(theirs))
      conflicts.push(`${manifest.name}@${manifest.version}: unreadable engines.node ${JSON.stringify(theirs)}`)
    else if (!semver.subset(admitted, theirs)) conflicts.push(`${manifest.name}@${manifest.version} needs node ${theirs}`)
  }
  t.same(conflicts, [], `engines.node ${admitted} is inside every dependency's engines`)
  for (const name of ['fastify', 'cookie', '@faker-js/faker', 'pino-pretty']) t.ok(names.has(name), `${name} was checked`)
})

t.test("the CLI's own range check (no semver at run time) agrees with semver on engines.node", async (t) => {
  const versions: string[] = []
  for (let major = 16; major <= 30; major++)
    for (const minor of [0, 1, 12, 13, 14, 19, 20, 99]) for (const patch of [0, 1, 7]) versions.push(`${major}.${minor}.${patch}`)
  const disagree = versions.filter((version) => nodeVersionAdmitted(version, admitted) !== semver.satisfies(version, admitted))
  t.same(disagree, [], `over ${versions.length} versions`)
  t.equal(nodeVersionAdmitted('v20.20.2', admitted), false, 'a leading v is read')
  t.equal(nodeVersionAdmitted('24.0.0-nightly2025', admitted), true, 'a pre-release tag is read as its release')
  // Other ranges of the same grammar, and ones outside it (no verdict, so no warning).
  for (const range of ['>=20', '^20.19.0 || ^22.13.0 || ^23.5.0 || >=24.0.0', '^18 || ^20.1'])
    for (const version of versions)
      if (nodeVersionAdmitted(version, range) !== semver.satisfies(version, range)) t.fail(`${version} in ${range}`)
  for (const range of ['~22.13.0', '22 || >=24', '>=22 <25', '^0.10.0', '*'])
    t.equal(nodeVersionAdmitted('22.13.0', range), undefined, range)
})
