// examples/pytest/ as a Python user runs it: `python3 -m pytest -W error -q examples/pytest`,
// with Debian's python3-pytest, python3-requests and python3-jwt (.ci/run installs them). Its
// conftest starts the package's bin (here the built one, through BC_MOCK_BIN) and stops it; the
// run must pass every test with no warning (unclosed pipes and sockets included), and leave no
// mock behind. With CI set a missing interpreter or module fails; elsewhere the file is skipped
// naming the apt-get line.
import { spawn, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import t from 'tap'
import { inCi } from '../helpers/chromium.js'
import { CliProcess, cleanEnv, ensureBuilt, ROOT } from '../helpers/cli.js'

const INSTALL = 'apt-get install python3-pytest python3-requests python3-jwt'

/** The tests examples/pytest/test_storefront.py runs: 10 functions, 6 of them for both demo apps. */
const EXPECTED_PASSED = 16

/**
 * The first interpreter that imports pytest, requests and jwt: `$PYTHON`, else `python3`, else
 * `/usr/bin/python3` (the one apt's packages are for, when another `python3` comes first on PATH).
 */
function findPython(): { python: string } | { problem: string } {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3', '/usr/bin/python3']
  const problems: string[] = []
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import pytest, requests, jwt'], { encoding: 'utf8', timeout: 30_000 })
    if (probe.status === 0) return { python }
    problems.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}`)
  }
  return { problem: problems.join('; ') }
}

/** Processes whose environment holds `marker` (every process the pytest run started carries it). */
function markedProcesses(marker: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(marker)) continue
      found.push({ pid: Number(name), command: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim() })
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found
}

const found = findPython()
if ('problem' in found) {
  const message = `the pytest example needs Python 3 with pytest, requests and PyJWT (${found.problem}): ${INSTALL} (Debian/Ubuntu; .ci/run does this), or set PYTHON to an interpreter that has them`
  if (inCi()) t.fail(`CI is set, so the pytest example must run, but ${message}`)
  else {
    process.stderr.write(`SKIPPED ${message}\n`)
    t.comment(`SKIPPED: ${message}`)
    t.plan(0, message)
  }
} else {
  ensureBuilt()
  t.test('pytest -W error runs examples/pytest: every test passes, and no mock is left running', async (t) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    const bin = join(ROOT, manifest.bin['bigcommerce-mock']!)
    const runId = randomUUID()
    const marker = `PYTEST_EXAMPLE_RUN=${runId}`
    const env = cleanEnv({
      BC_MOCK_BIN: bin,
      // node on PATH is the Node running this suite; bytecode and pytest's cache stay out of the tree.
      PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
      PYTHONDONTWRITEBYTECODE: '1',
      PYTEST_EXAMPLE_RUN: runId,
    })
    // tap's process tracking in NODE_OPTIONS would handle the mock's signals itself.
    delete env.NODE_OPTIONS
    const child = spawn(found.python, ['-m', 'pytest', '-W', 'error', '-q', '-p', 'no:cacheprovider', join('examples', 'pytest')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const run = new CliProcess(child)
    t.teardown(() => {
      if (!run.exit) child.kill('SIGKILL')
      for (const { pid } of markedProcesses(marker)) process.kill(pid, 'SIGKILL')
    })

    // While it runs: the mock is a process of its own, started from the bin.
    const mocks = new Map<number, string>()
    const deadline = Date.now() + 90_000
    while (!run.exit && Date.now() < deadline) {
      for (const { pid, command } of markedProcesses(marker)) if (command.includes(bin) && pid !== child.pid) mocks.set(pid, command)
      await run.waitForExit(20)
    }
    const exit = await run.waitForExit(Math.max(0, deadline - Date.now()))
    t.equal(exit?.code, 0, 'pytest exited 0', { stdout: run.stdout, stderr: run.stderr })
    const summary = run.stdout.trim().split('\n').at(-1) ?? ''
    t.match(summary, new RegExp(`^${EXPECTED_PASSED} passed in [\\d.]+s$`), 'all passed; nothing failed, skipped or warned')

    t.equal(mocks.size, 1, `one mock ran: ${[...mocks.values()].join('; ')}`)
    t.same(markedProcesses(marker), [], 'no process the run started is left, the mock included')
  })
}
