// When the mock stops, through real processes: `npm run mock` killed by SIGTERM, SIGINT or
// SIGKILL (to npm, as `npm run mock & ... kill $!` does); a parent that started the mock with a
// pipe as its standard input and is killed outright; and the inputs that must change nothing
// (/dev/null, a file, a terminal). After each, every process of the tree is checked by pid and
// the port by a connection that must be refused.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import t, { type Test } from 'tap'
import { inCi } from '../helpers/chromium.js'
import { CLI, CliProcess, cleanEnv, ensureBuilt, ROOT } from '../helpers/cli.js'
import { aliveAfter, connectTo, isAlive, killAll, parentOf, processTree, waitUntilGone } from '../helpers/process-tree.js'
import { tempDir } from '../helpers/fixture-docs.js'

t.before(ensureBuilt)

// As a shell or CI script runs them: on the Node running this test (npm starts through `env
// node`), without tap's process tracking in NODE_OPTIONS (it handles SIGINT and SIGTERM itself)
// and without the lifecycle variables of an `npm test` around this run.
const env = cleanEnv({
  PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
  npm_config_update_notifier: 'false',
})
delete env.NODE_OPTIONS
for (const key of Object.keys(env)) if (key.startsWith('npm_') && !key.startsWith('npm_config_')) delete env[key]

const NODE = process.execPath
/** `npm run mock` on a free port, its ready line on stdout (after npm's own two header lines). */
const NPM_RUN_MOCK = ['npm', 'run', 'mock', '--', '--port', '0', '--ready-json']
const BIN = [NODE, CLI, '--port', '0', '--ready-json']

/**
 * A parent that starts `argv` with a pipe as its standard input, which it holds and never
 * writes to, and passes its own stdout and stderr on: the mock's output reaches the test
 * directly, and outlives the parent.
 */
const PARENT = `
const { spawn } = require('node:child_process')
const [command, ...args] = JSON.parse(process.argv[1])
spawn(command, args, { stdio: ['pipe', 'inherit', 'inherit'] })
`

interface Ready {
  url: string
  port: number
  pid: number
}

interface Started {
  cli: CliProcess
  /** Resolves true once the child's stdout and stderr are closed (every process writing to them has ended), false after `ms`. */
  closed: (ms?: number) => Promise<boolean>
  ready: Ready
  /** The pids of the child and everything below it, read once the ready line came. */
  tree: number[]
}

/** Spawn `argv` with `stdin`, wait for the ready line; every process of its tree is killed when the test ends. */
async function start(t: Test, argv: string[], stdin: 'ignore' | 'pipe' | number): Promise<Started> {
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, stdio: [stdin, 'pipe', 'pipe'] })
  const closing = new Promise<boolean>((resolve) => child.once('close', () => resolve(true)))
  const closed = (ms = 5000) => Promise.race([closing, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())])
  const cli = new CliProcess(child)
  const seen = new Set<number>([child.pid!])
  t.teardown(() => killAll([...seen]))
  const line = (await cli.waitForStdout(/^\{"url".*$/m, 30_000, 'the ready line'))[0]
  const ready = JSON.parse(line) as Ready
  const tree = processTree(child.pid!)
  for (const pid of [...tree, ready.pid]) seen.add(pid)
  return { cli, closed, ready, tree }
}

/** The tree is gone within `ms` and the port refuses connections. */
async function allGone(t: Test, started: Started, ms = 5000): Promise<void> {
  const began = Date.now()
  const left = await waitUntilGone(started.tree, ms)
  t.same(left, [], `no process of the tree ${started.tree.join(', ')} is left (${Date.now() - began} ms)`)
  t.equal(await connectTo(started.ready.port), 'refused', `port ${started.ready.port} is free`)
}

/** The mock answers a page: it is running and serving, not just alive. */
async function serves(t: Test, ready: Ready, what: string): Promise<void> {
  const response = await fetch(`${ready.url}/login.php`)
  await response.arrayBuffer()
  t.equal(response.status, 200, `${what}: still serving`)
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`npm run mock, ${signal} to npm: the mock closes, npm exits 0, the port is free`, async (t) => {
    const started = await start(t, NPM_RUN_MOCK, 'ignore')
    const npm = started.cli.child.pid!
    t.equal(parentOf(started.ready.pid), npm, 'no shell between npm and the mock (the script runs it with exec)')
    t.same(started.tree, [npm, started.ready.pid], 'npm and the mock, nothing else')
    started.cli.child.kill(signal)
    t.same(await started.cli.waitForExit(5000), { code: 0, signal: null }, 'npm passes the signal on and exits with the mock: 0')
    await allGone(t, started)
    t.ok(await started.closed(), 'its output is closed')
    t.match(started.cli.stdout, `"signal":"${signal}","msg":"shutting down"`, 'the mock logs the signal it got')
  })
}

t.test('npm run mock, SIGKILL to npm: the mock sees npm gone and stops as on SIGTERM', async (t) => {
  const started = await start(t, NPM_RUN_MOCK, 'ignore')
  started.cli.child.kill('SIGKILL')
  t.same(await started.cli.waitForExit(5000), { code: null, signal: 'SIGKILL' })
  await allGone(t, started)
  // The mock wrote to the test's pipe, which npm handed it: its last lines arrive after npm died.
  t.ok(await started.closed(), 'its output is closed')
  t.match(started.cli.stdout, '"signal":"SIGTERM","msg":"shutting down"', 'it shut down as on SIGTERM')
})

t.test('a parent killed outright (SIGKILL) ends the mock through the end of its stdin pipe', async (t) => {
  t.test('the bin started directly', async (t) => {
    const started = await start(t, [NODE, '-e', PARENT, JSON.stringify(BIN)], 'ignore')
    const [parent] = started.tree
    t.equal(parentOf(started.ready.pid), parent, "the mock is the parent's child")
    started.cli.child.kill('SIGKILL')
    await allGone(t, started)
    t.ok(await started.closed(), 'its output is closed')
    t.match(started.cli.stdout, '"stdin":"ended","msg":"shutting down"', 'it says why it shut down')
  })

  t.test('a shell pipeline: the mock reads a FIFO whose writer is killed', async (t) => {
    // `sleep` holds the pipe's other end, as a Python parent's subprocess.PIPE (a FIFO too) would.
    const command = `sleep 600 | exec ${BIN.map((arg) => JSON.stringify(arg)).join(' ')}`
    const started = await start(t, ['sh', '-c', command], 'ignore')
    const writer = started.tree.find((pid) => pid !== started.cli.child.pid && pid !== started.ready.pid)
    t.ok(writer !== undefined && /^sleep\b/.test(readFileSync(`/proc/${writer}/cmdline`, 'utf8')), 'sleep writes to the pipe')
    process.kill(writer!, 'SIGKILL')
    await allGone(t, started)
    t.same(await started.cli.waitForExit(1000), { code: 0, signal: null }, 'the mock exits 0 (the shell passes its code on)')
  })

  t.test('npm run mock (npm passes the pipe on; npm itself is left running by the kill)', async (t) => {
    const started = await start(t, [NODE, '-e', PARENT, JSON.stringify(NPM_RUN_MOCK)], 'ignore')
    t.equal(started.tree.length, 3, `the parent, npm and the mock (${started.tree.join(', ')})`)
    started.cli.child.kill('SIGKILL')
    await allGone(t, started)
  })
})

t.test('the test closes the pipe it gave as stdin: exit 0 as on SIGTERM; what it wrote before was read and dropped', async (t) => {
  const started = await start(t, BIN, 'pipe')
  const { child } = started.cli
  child.stdin!.on('error', () => {}) // EPIPE when a failing run kills the mock mid-write
  const rss = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${started.ready.pid}/status`, 'utf8'))?.[1]) * 1024
  const before = rss()
  // 512 MiB, far more than a pipe holds (64 KiB): each write completes only as the mock reads.
  // What it read and dropped waits for the garbage collector, which may let some tens of MiB
  // pile up first (more on a busy machine); kept, it would all stay.
  const chunk = Buffer.alloc(1024 * 1024, 'x')
  const written = (ms: number) =>
    Promise.race([
      new Promise<boolean>((resolve) => child.stdin!.write('', () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
    ])
  for (let i = 0; i < 512; i++) child.stdin!.write(chunk)
  t.ok(await written(20_000), 'the mock read it all')
  const grown = rss() - before
  t.ok(grown < 192 * 1024 * 1024, `512 MiB written to stdin; the mock grew ${(grown / 1024 / 1024).toFixed(1)} MiB`)
  await serves(t, started.ready, 'after 512 MiB on stdin')

  const began = Date.now()
  child.stdin!.end()
  t.same(await started.cli.waitForExit(5000), { code: 0, signal: null }, 'exit 0, as SIGTERM gives')
  t.ok(Date.now() - began < 3000, `within 3 s (${Date.now() - began} ms)`)
  await allGone(t, started)
  t.match(started.cli.stdout, /\{[^\n]*"stdin":"ended","msg":"shutting down"\}\n/, 'one log line says why')
})

/** Start the bin with `stdin`, check it keeps running a while and serving, then SIGTERM: exit 0. */
async function keepsRunning(t: Test, stdin: 'ignore' | number, what: string): Promise<void> {
  const started = await start(t, BIN, stdin)
  if (typeof stdin === 'number') closeSync(stdin)
  t.same(await aliveAfter([started.ready.pid], 1500), [started.ready.pid], `${what}: running 1.5 s after the start`)
  await serves(t, started.ready, what)
  started.cli.child.kill('SIGTERM')
  t.same(await started.cli.waitForExit(5000), { code: 0, signal: null }, `${what}: SIGTERM still stops it with 0`)
  await allGone(t, started)
  t.notMatch(started.cli.stdout, '"stdin"', `${what}: nothing about stdin in the log`)
}

t.test('stdin that is not a pipe changes nothing', async (t) => {
  t.test('/dev/null', (t) => keepsRunning(t, 'ignore', '/dev/null'))

  t.test('a regular file (read to its end at once, were it read)', async (t) => {
    const file = join(tempDir(t), 'input.txt')
    writeFileSync(file, 'some input\n')
    await keepsRunning(t, openSync(file, 'r'), 'a file')
  })

  t.test('an empty regular file', async (t) => {
    const file = join(tempDir(t), 'empty.txt')
    writeFileSync(file, '')
    await keepsRunning(t, openSync(file, 'r'), 'an empty file')
  })

  t.test('a terminal that sends end-of-file (^D)', async (t) => {
    const hasScript = existsSync('/usr/bin/script') || spawnSync('script', ['--version']).status === 0
    if (!hasScript) {
      const message = 'the terminal test needs `script` from util-linux (apt-get install bsdutils)'
      if (inCi()) t.fail(`CI is set, so this test must run, but ${message}`)
      else t.plan(0, message)
      return
    }
    // `script` gives the mock a pseudo-terminal as stdin and stdout, and copies what the test
    // writes into it: ^D there is the end of input for anything reading the terminal.
    const command = [NODE, CLI, '--port', '0', '--ready-json', '--log-format', 'json'].map((arg) => JSON.stringify(arg)).join(' ')
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
    const cli = new CliProcess(child)
    const seen = [child.pid!]
    t.teardown(() => killAll(processTree(child.pid!).concat(seen)))
    const ready = JSON.parse((await cli.waitForStdout(/\{"url"[^\r\n]*\}/, 30_000, 'the ready line'))[0]) as Ready
    seen.push(ready.pid)
    child.stdin.write('\x04')
    t.same(await aliveAfter([ready.pid], 1500), [ready.pid], 'running 1.5 s after ^D')
    await serves(t, ready, 'a terminal')
    process.kill(ready.pid, 'SIGTERM')
    t.same(await cli.waitForExit(5000), { code: 0, signal: null }, 'SIGTERM stops it with 0 (script passes the code on)')
    t.notOk(isAlive(ready.pid))
    t.equal(await connectTo(ready.port), 'refused', 'the port is free')
    t.notMatch(cli.stdout, '"stdin"', 'nothing about stdin in the log')
  })
})
