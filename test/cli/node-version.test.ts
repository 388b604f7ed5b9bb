// The CLI on a Node that package.json's `engines` does not admit: one warning line on stderr,
// then it starts as usual; on an admitted Node, no such line. Both run the real bin under a real
// Node binary: the unadmitted one is Node 20 (the machine's own, or the one .ci/run installs).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { arch, tmpdir } from 'node:os'
import { join } from 'node:path'
import semver from 'semver'
import t, { type Test } from 'tap'
import { inCi } from '../helpers/chromium.js'
import { CLI, CliProcess, cleanEnv, ensureBuilt, ROOT } from '../helpers/cli.js'

const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node

// Node 20, the line before the supported ones, which engines leaves out (an older one may not run
// the mock at all): the system's, or the one .ci/run installs from npm.
const nodeArch = arch() === 'arm64' ? 'arm64' : 'x64'
const CANDIDATES = [
  '/usr/bin/node',
  '/usr/local/bin/node',
  join(tmpdir(), 'bc-mock-ci-node', '20', 'node_modules', `node-linux-${nodeArch}`, 'bin', 'node'),
]

function versionOf(node: string): string | undefined {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 })
  return result.status === 0 ? result.stdout.trim() : undefined
}

const unadmitted = CANDIDATES.filter((path) => existsSync(path))
  .map((path) => ({ path, version: versionOf(path) }))
  .find(
    (node): node is { path: string; version: string } =>
      node.version !== undefined && semver.major(node.version) === 20 && !semver.satisfies(node.version, engines),
  )

// Run the bin with `node`, without tap's process tracking in NODE_OPTIONS (its loader is not for an older Node).
function spawnWith(t: Test, node: string, args: string[]): CliProcess {
  const env = cleanEnv()
  delete env.NODE_OPTIONS
  const cli = new CliProcess(spawn(node, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }))
  t.teardown(async () => {
    if (cli.exit) return
    cli.child.kill('SIGKILL')
    await cli.exited
  })
  return cli
}

// With CI set a test that cannot run fails; elsewhere it says why it did not run.
function skipOrFail(t: Test, message: string): void {
  if (inCi()) return void t.fail(`CI is set, so this must run, but ${message}`)
  process.stderr.write(`SKIPPED ${message}\n`)
  t.comment(`SKIPPED: ${message}`)
  t.plan(0, message)
}

ensureBuilt()

t.test('on a Node engines does not admit: one warning line naming it and engines, then the mock starts', async (t) => {
  if (unadmitted === undefined) {
    const message = `no Node 20 (outside engines ${engines}) found at ${CANDIDATES.join(', ')}: .ci/run installs Node 20 there`
    skipOrFail(t, message)
    return
  }
  const cli = spawnWith(t, unadmitted.path, ['--port', '0', '--no-admin'])
  const url = await cli.url(20_000)
  const response = await fetch(`${url}/login.php`)
  t.equal(response.status, 200, `the mock answers on ${unadmitted.version}`)
  const lines = cli.stderr.split('\n').filter(Boolean)
  t.equal(lines.length, 1, `exactly one line on stderr:\n${cli.stderr}`)
  t.equal(
    lines[0],
    `bigcommerce-mock: warning: Node.js ${unadmitted.version.slice(1)} is outside the versions this package supports (package.json engines: ${engines}); starting anyway`,
  )
  cli.child.kill('SIGTERM')
  t.match(await cli.waitForExit(5_000), { code: 0 }, 'SIGTERM still closes it')
  t.equal(cli.stderr.split('\n').filter(Boolean).length, 1, 'and nothing more on stderr')

  const version = spawnSync(unadmitted.path, [CLI, '--version'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' })
  t.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version)
  t.match(version.stderr, /^bigcommerce-mock: warning: Node\.js \S+ is outside .*\n$/, '--version: the same one line on stderr')
})

t.test('on the Node running the suite, admitted by engines: no warning', async (t) => {
  if (!semver.satisfies(process.version, engines)) {
    const message = `Node ${process.version} is not one engines (${engines}) admits: run the suite on Node 22.13+ or 24`
    skipOrFail(t, message)
    return
  }
  const cli = spawnWith(t, process.execPath, ['--port', '0', '--no-admin'])
  await cli.url()
  cli.child.kill('SIGTERM')
  t.match(await cli.waitForExit(5_000), { code: 0 })
  t.equal(cli.stderr, '', `nothing on stderr on ${process.version}`)
})
