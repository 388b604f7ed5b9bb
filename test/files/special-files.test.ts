// Special files where the mock reads one. Every path a user gives the mock (--fixtures, --cert,
// --key, the files under --static, and the fixture file --watch re-reads) may name /dev/zero,
// /dev/null, a FIFO, a directory, a symbolic link loop, a dangling link or a file the process may
// not read. Each must give a clear error promptly, in bounded memory, and never hang start-up,
// the reload worker, a request or the shutdown. Real CLI processes, real special files.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t, { type Test } from 'tap'
import { inCi } from '../helpers/chromium.js'
import { type CliProcess, ensureBuilt, ROOT, spawnCli, spawnCliUntracked } from '../helpers/cli.js'
import { DEMO } from '../helpers/storefront.js'
import { developerCertificate, keyMaterial } from '../helpers/tls.js'

ensureBuilt()

/** Peak resident memory a CLI may reach while refusing a file: Node itself takes 50 to 100 MB. */
const RSS_BOUND_MB = 256
/** A refusal comes at once; this leaves room for a loaded machine, not for reading without end. */
const PROMPT_MS = 10_000

const MKFIFO = spawnSync('mkfifo', ['--version']).error === undefined
const ROOT_USER = process.getuid?.() === 0
const SETPRIV = spawnSync('setpriv', ['--version']).error === undefined

/**
 * Whether what a test needs is there; when not, the test is skipped with the reason, and under
 * CI (where everything must run) it fails instead. Call it before any assertion.
 */
function needs(t: Test, what: string, available: boolean): boolean {
  if (available) return true
  if (inCi()) {
    t.fail(`CI is set, so this test must run, but ${what}`)
    return false
  }
  t.comment(`SKIPPED: ${what}`)
  t.plan(0, what)
  return false
}

/** Root reads any file whatever its mode, so as root the unreadable variants run the CLI as `nobody` (setpriv). */
const CAN_BE_DENIED = !ROOT_USER || SETPRIV
const DENIED_NEEDS = 'running as root, the unreadable variants run the CLI as nobody, and setpriv is missing'

/** A fresh directory every user may enter (the nobody variants read from it), removed at the end. */
function openDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'bc-mock-special-'))
  chmodSync(dir, 0o755)
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function mkfifo(path: string): string {
  const made = spawnSync('mkfifo', [path])
  if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${String(made.stderr)}`)
  return path
}

/** The peak resident memory of a process so far, in MB, sampled from /proc until it exits; past `limitMb` it is killed. */
class PeakRss {
  #peakKb = 0
  readonly #timer: NodeJS.Timeout

  constructor(pid: number, limitMb: number, kill: () => void) {
    const sample = () => {
      try {
        const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
        this.#peakKb = Math.max(this.#peakKb, kb)
      } catch {
        // exited
      }
      // A process reading without end is stopped here, not left to fill the machine's memory.
      if (this.#peakKb > limitMb * 1024) kill()
    }
    sample()
    this.#timer = setInterval(sample, 25)
  }

  stop(): number {
    clearInterval(this.#timer)
    return Math.round(this.#peakKb / 1024)
  }
}

/** Spawn the CLI as the user `nobody` (as root, where file modes do not stop reading), else as this user. */
function spawnAs(t: Test, asNobody: boolean, args: string[]): CliProcess {
  if (!asNobody || !ROOT_USER) return spawnCli(t, args)
  return spawnCliUntracked(t, args, { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] })
}

/** Run a CLI that should refuse to start: its exit (undefined if it did not within PROMPT_MS), output, time and peak memory. */
async function refusal(t: Test, args: string[], asNobody = false) {
  const started = Date.now()
  const cli = spawnAs(t, asNobody, args)
  const rss = cli.child.pid === undefined ? undefined : new PeakRss(cli.child.pid, RSS_BOUND_MB, () => cli.child.kill('SIGKILL'))
  const exit = await cli.waitForExit(PROMPT_MS)
  const peakMb = rss?.stop() ?? 0
  if (!exit) cli.child.kill('SIGKILL')
  return { exit, ms: Date.now() - started, peakMb, stdout: cli.stdout, stderr: cli.stderr }
}

/** One JSON log line of a CLI started with `--log-format json`, the first after `skip` whose msg starts with `msg`. */
async function logLine(cli: CliProcess, msg: string, timeoutMs = PROMPT_MS, skip = 0): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const lines = cli.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => typeof line.msg === 'string' && line.msg.startsWith(msg))
    if (lines.length > skip) return lines[skip]!
    if (cli.exit || Date.now() > deadline)
      throw new Error(
        `no log line "${msg}" within ${timeoutMs} ms (exit ${JSON.stringify(cli.exit)}).\nstdout: ${cli.stdout.slice(-3000)}\nstderr: ${cli.stderr}`,
      )
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Sign in as the demo's John: the bundled fixtures still serve. */
async function johnSignsIn(url: string): Promise<boolean> {
  const response = await fetch(`${url}/login.php?action=check_login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString(),
    signal: AbortSignal.timeout(PROMPT_MS),
  })
  await response.arrayBuffer()
  return response.status === 302
}

/** Send `signal` and wait at most `boundMs` for the exit; answers it and the milliseconds taken. */
async function signalled(cli: CliProcess, signal: NodeJS.Signals, boundMs: number) {
  const started = Date.now()
  cli.child.kill(signal)
  const exit = await cli.waitForExit(boundMs + 2000)
  return { exit, ms: Date.now() - started }
}

function residentMb(pid: number): number {
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024)
}

t.test('a fixture file past the 32 MiB cap that is a regular file still gets its size in the message', async (t) => {
  const file = join(openDir(t), 'huge.json')
  writeFileSync(file, '')
  truncateSync(file, 33 * 1024 * 1024)
  const result = await refusal(t, ['--port', '0', '--fixtures', file])
  t.same(result.exit, { code: 1, signal: null }, 'exit 1: the fixtures cannot be used')
  t.match(
    result.stderr,
    `${file}: the file is 33.0 MiB, larger than the 32 MiB this mock reads; describe large stores with generate.customers`,
  )
  t.ok(result.peakMb < RSS_BOUND_MB, `peak memory ${result.peakMb} MB: the file was not read`)
})

t.test('--cert /dev/zero --key /dev/zero: exit 2 at once, naming --cert and the device, in bounded memory', async (t) => {
  const result = await refusal(t, ['--port', '0', '--cert', '/dev/zero', '--key', '/dev/zero'])
  t.same(result.exit, { code: 2, signal: null }, `exit 2 after ${result.ms} ms`)
  t.equal(result.stderr, 'bigcommerce-mock: --cert: /dev/zero is a character device, not a regular file\n')
  t.equal(result.stdout, '', 'never listening')
  t.ok(result.peakMb < RSS_BOUND_MB, `peak memory ${result.peakMb} MB`)
})

t.test('a --key file past the 1 MiB cap, and one that reports no size (/proc), are refused with the cap, not read whole', async (t) => {
  const dir = openDir(t)
  const pair = await developerCertificate(['localhost'])
  const certFile = join(dir, 'cert.pem')
  writeFileSync(certFile, pair.cert)
  const big = join(dir, 'big-key.pem')
  writeFileSync(big, '')
  truncateSync(big, 2 * 1024 * 1024)

  t.test('its size known', async (t) => {
    const sized = await refusal(t, ['--port', '0', '--cert', certFile, '--key', big])
    t.same(sized.exit, { code: 2, signal: null })
    t.equal(sized.stderr, `bigcommerce-mock: --key: ${big} is 2.0 MiB, larger than the 1 MiB this mock reads\n`)
  })

  t.test('its size read as 0', async (t) => {
    // /proc/kallsyms is a regular file whose size reads as 0 and whose text is several MiB.
    const readable = (() => {
      try {
        return readFileSync('/proc/kallsyms').length > 1024 * 1024
      } catch {
        return false
      }
    })()
    if (!needs(t, '/proc/kallsyms is not readable here, or is under 1 MiB', readable)) return
    const unsized = await refusal(t, ['--port', '0', '--cert', '/proc/kallsyms', '--key', big])
    t.same(unsized.exit, { code: 2, signal: null })
    t.equal(
      unsized.stderr,
      'bigcommerce-mock: --cert: /proc/kallsyms is larger than the 1 MiB this mock reads\n',
      'the read stopped at the cap',
    )
  })
})

t.test('a regular file that is no fixture file (a private key given by mistake) is refused without repeating what it holds', async (t) => {
  const pair = await developerCertificate(['localhost'])
  const file = join(openDir(t), 'id_key')
  writeFileSync(file, pair.key)
  const result = await refusal(t, ['--port', '0', '--fixtures', file])
  t.same(result.exit, { code: 1, signal: null })
  t.match(result.stderr, `${file}: expected a mapping, got a string of`)
  for (const line of keyMaterial(pair.key)) t.notOk(result.stderr.includes(line.slice(0, 16)), 'no part of the key is shown')
})

t.test('special files where the mock reads one: a clear error, at once, in bounded memory, never a hang', async (t) => {
  if (!needs(t, 'mkfifo is not on this system', MKFIFO)) return
  const dir = openDir(t)
  const pair = await developerCertificate(['localhost'])
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  writeFileSync(certFile, pair.cert, { mode: 0o644 })
  writeFileSync(keyFile, pair.key, { mode: 0o644 })

  const secret = join(dir, 'unreadable')
  writeFileSync(secret, 'not for nobody', { mode: 0o600 })
  chmodSync(secret, ROOT_USER ? 0o600 : 0o000)
  mkdirSync(join(dir, 'a-directory'))
  symlinkSync('loop-b', join(dir, 'loop-a'))
  symlinkSync('loop-a', join(dir, 'loop-b'))
  symlinkSync(join(dir, 'not-there'), join(dir, 'dangling'))
  const fifo = mkfifo(join(dir, 'fifo'))
  const notRegular = (path: string, kind: string) => ({
    fixtures: `the path is ${kind}, not a regular file`,
    pem: `${path} is ${kind}, not a regular file`,
  })
  // What each says after the file's name: the fixture loader's problem, and --cert/--key's message.
  const variants: { name: string; path: string; fixtures: string; pem: string; asNobody?: boolean }[] = [
    { name: '/dev/zero', path: '/dev/zero', ...notRegular('/dev/zero', 'a character device') },
    { name: '/dev/null (empty)', path: '/dev/null', ...notRegular('/dev/null', 'a character device') },
    { name: 'a FIFO with no writer', path: fifo, ...notRegular(fifo, 'a FIFO') },
    { name: 'a directory', path: join(dir, 'a-directory'), ...notRegular(join(dir, 'a-directory'), 'a directory') },
    {
      name: 'a symbolic link loop',
      path: join(dir, 'loop-a'),
      fixtures: 'cannot read the file (a loop of symbolic links, or too many in a row)',
      pem: `cannot read ${join(dir, 'loop-a')}: a loop of symbolic links, or too many in a row`,
    },
    {
      name: 'a dangling symbolic link',
      path: join(dir, 'dangling'),
      fixtures: 'no such file (a symbolic link to a file that does not exist)',
      pem: `cannot read ${join(dir, 'dangling')}: no such file (a symbolic link to a file that does not exist)`,
    },
    {
      name: 'a file without read permission',
      path: secret,
      fixtures: 'cannot read the file (permission denied)',
      pem: `cannot read ${secret}: permission denied`,
      asNobody: true,
    },
  ]
  for (const variant of variants) {
    t.test(variant.name, async (t) => {
      if (variant.asNobody && !needs(t, DENIED_NEEDS, CAN_BE_DENIED)) return
      const readers = [
        {
          flag: '--fixtures',
          args: ['--fixtures', variant.path],
          code: 1,
          says: `bigcommerce-mock: the fixtures cannot be used:\n${variant.path}: ${variant.fixtures}\n`,
        },
        { flag: '--cert', args: ['--cert', variant.path, '--key', keyFile], code: 2, says: `bigcommerce-mock: --cert: ${variant.pem}\n` },
        { flag: '--key', args: ['--cert', certFile, '--key', variant.path], code: 2, says: `bigcommerce-mock: --key: ${variant.pem}\n` },
      ]
      const results = await Promise.all(readers.map((reader) => refusal(t, ['--port', '0', ...reader.args], variant.asNobody)))
      for (const [index, reader] of readers.entries()) {
        const result = results[index]!
        t.same(
          result.exit,
          { code: reader.code, signal: null },
          `${reader.flag}: exit ${reader.code} within ${PROMPT_MS} ms (${result.ms} ms)`,
        )
        t.equal(result.stderr, reader.says, `${reader.flag}: the error names the file and why`)
        t.equal(result.stdout, '', `${reader.flag}: never listening`)
        t.ok(result.peakMb < RSS_BOUND_MB, `${reader.flag}: peak memory ${result.peakMb} MB`)
      }
    })
  }

  t.test('an empty regular file', async (t) => {
    const empty = join(dir, 'empty.yaml')
    writeFileSync(empty, '')
    const [fixtures, cert, key] = await Promise.all([
      refusal(t, ['--port', '0', '--fixtures', empty]),
      refusal(t, ['--port', '0', '--cert', empty, '--key', keyFile]),
      refusal(t, ['--port', '0', '--cert', certFile, '--key', empty]),
    ])
    t.same(fixtures.exit, { code: 1, signal: null })
    t.match(fixtures.stderr, `${empty}: the file is empty`)
    t.same(cert.exit, { code: 2, signal: null })
    t.match(cert.stderr, `--cert: ${empty} is not a PEM certificate`)
    t.same(key.exit, { code: 2, signal: null })
    t.match(key.stderr, `--key: ${empty} is not a PEM private key`)
  })

  t.test('--static naming one: exit 2 naming the flag and what the path is', async (t) => {
    const cases: { path: string; says: string; asNobody?: boolean }[] = [
      { path: '/dev/zero', says: '/dev/zero is a character device' },
      { path: join(dir, 'fifo'), says: `${join(dir, 'fifo')} is a FIFO` },
      { path: join(dir, 'loop-a'), says: 'ELOOP' },
      { path: join(dir, 'dangling'), says: 'it does not exist' },
    ]
    const closed = join(dir, 'closed')
    mkdirSync(closed, { mode: 0o700 })
    chmodSync(closed, ROOT_USER ? 0o700 : 0o000)
    t.teardown(() => chmodSync(closed, 0o700))
    if (CAN_BE_DENIED) cases.push({ path: closed, says: `${closed}: permission denied`, asNobody: true })
    else if (inCi()) t.fail(`CI is set, so every case must run, but ${DENIED_NEEDS}`)
    else t.comment(`SKIPPED the unreadable folder: ${DENIED_NEEDS}`)
    const results = await Promise.all(cases.map((item) => refusal(t, ['--port', '0', '--static', item.path], item.asNobody)))
    for (const [index, item] of cases.entries()) {
      const result = results[index]!
      t.same(result.exit, { code: 2, signal: null }, `${item.path}: exit 2 (${result.ms} ms)`)
      t.ok(
        result.stderr.startsWith('bigcommerce-mock: --static: ') && result.stderr.includes(item.says),
        `${item.path}: ${JSON.stringify(result.stderr)}`,
      )
    }
  })
})

t.test('--static: special files in the folder answer 404 at once, and the process still exits within 1 s of SIGTERM', async (t) => {
  if (!needs(t, 'mkfifo is not on this system', MKFIFO)) return
  if (!needs(t, DENIED_NEEDS, CAN_BE_DENIED)) return
  const root = join(openDir(t), 'dist')
  mkdirSync(root, { mode: 0o755 })
  writeFileSync(join(root, 'index.html'), '<h1>home</h1>', { mode: 0o644 })
  mkfifo(join(root, 'pipe.js'))
  chmodSync(join(root, 'pipe.js'), 0o644)
  symlinkSync('/dev/zero', join(root, 'zero.js'))
  symlinkSync('/dev/null', join(root, 'null.js'))
  symlinkSync('loop-b.js', join(root, 'loop-a.js'))
  symlinkSync('loop-a.js', join(root, 'loop-b.js'))
  symlinkSync(join(root, 'gone.js'), join(root, 'dangling.js'))
  writeFileSync(join(root, 'secret.js'), 'not for nobody', { mode: 0o600 })
  chmodSync(join(root, 'secret.js'), ROOT_USER ? 0o600 : 0o000)
  mkdirSync(join(root, 'closed'), { mode: 0o700 })
  writeFileSync(join(root, 'closed', 'index.html'), 'closed', { mode: 0o644 })
  chmodSync(join(root, 'closed'), ROOT_USER ? 0o700 : 0o000)
  t.teardown(() => chmodSync(join(root, 'closed'), 0o700))
  // As nobody when root, so the unreadable file and folder are unreadable.
  const cli = spawnAs(t, true, ['--port', '0', '--static', root, '--log-level', 'silent'])
  const url = await cli.url()
  // Each in several copies at once: libuv has four file system threads, and a request that
  // opened the FIFO would hold one until a writer came.
  const paths = ['/pipe.js', '/zero.js', '/null.js', '/loop-a.js', '/dangling.js', '/secret.js', '/closed/', '/closed/index.html']
  const answers = await Promise.all(
    paths.flatMap((path) =>
      Array.from({ length: 5 }, async () => {
        try {
          const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(PROMPT_MS) })
          return { path, status: response.status, body: await response.text() }
        } catch (error) {
          return { path, status: 0, body: (error as Error).message }
        }
      }),
    ),
  )
  for (const path of paths) {
    const statuses = answers.filter((answer) => answer.path === path)
    t.ok(
      statuses.every((answer) => answer.status === 404 && answer.body.includes('BCMOCK_NOT_FOUND')),
      `${path}: the mock's 404, at once (${JSON.stringify(statuses.map((answer) => answer.status))})`,
    )
  }
  const home = await fetch(`${url}/`, { signal: AbortSignal.timeout(PROMPT_MS) })
  t.equal(await home.text(), '<h1>home</h1>', 'regular files are still served')
  const { exit, ms } = await signalled(cli, 'SIGTERM', 1000)
  t.same(exit, { code: 0, signal: null }, 'exit 0')
  t.ok(ms < 1000, `exited ${ms} ms after SIGTERM`)
})

t.test('--static /dev: devices answer 404, not an endless or empty 200', async (t) => {
  const cli = spawnCli(t, ['--port', '0', '--static', '/dev', '--log-level', 'silent'])
  const url = await cli.url()
  for (const path of ['/zero', '/null', '/urandom']) {
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(PROMPT_MS) })
    t.equal(response.status, 404, path)
    await response.arrayBuffer()
  }
})

/** Start the CLI on a copy of the bundled fixtures with --watch; answers it, its URL and the copy's path. */
async function watching(t: Test) {
  const file = join(openDir(t), 'store.yaml')
  copyFileSync(join(ROOT, 'fixtures', 'store.yaml'), file)
  const cli = spawnCli(t, ['--port', '0', '--fixtures', file, '--watch', '--log-format', 'json', '--log-level', 'info'])
  const url = await cli.url()
  return { cli, url, file }
}

t.test('--watch: the fixture path replaced by a link to /dev/zero keeps the last good fixtures, logs why, stays small', async (t) => {
  const { cli, url, file } = await watching(t)
  const peak = new PeakRss(cli.child.pid!, RSS_BOUND_MB, () => cli.child.kill('SIGKILL'))
  t.teardown(() => peak.stop())
  unlinkSync(file)
  symlinkSync('/dev/zero', file)
  const line = await logLine(cli, 'fixtures not reloaded')
  t.equal(line.level, 50, 'at error level')
  t.same(line.problems, [{ file, path: '', reason: 'the path is a character device, not a regular file' }], 'names the file and why')
  t.ok(await johnSignsIn(url), 'the last good fixtures keep serving')
  // A reload that read /dev/zero would keep growing; give it time to show.
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const rss = residentMb(cli.child.pid!)
  t.ok(rss < RSS_BOUND_MB, `resident memory ${rss} MB a second later (peak ${peak.stop()} MB)`)
  const { exit, ms } = await signalled(cli, 'SIGTERM', 1000)
  t.same(exit, { code: 0, signal: null })
  t.ok(ms < 1000, `exited ${ms} ms after SIGTERM`)
})

t.test('--watch: the fixture path replaced by a FIFO is refused, and SIGTERM still exits within 1 s', async (t) => {
  if (!needs(t, 'mkfifo is not on this system', MKFIFO)) return

  t.test('once the refusal is logged', async (t) => {
    const { cli, url, file } = await watching(t)
    unlinkSync(file)
    mkfifo(file)
    const line = await logLine(cli, 'fixtures not reloaded')
    t.same(line.problems, [{ file, path: '', reason: 'the path is a FIFO, not a regular file' }], 'names the file and why')
    t.ok(await johnSignsIn(url), 'the last good fixtures keep serving')
    const { exit, ms } = await signalled(cli, 'SIGTERM', 1000)
    t.same(exit, { code: 0, signal: null })
    t.ok(ms < 1000, `exited ${ms} ms after SIGTERM`)
  })

  t.test('while the reload is under way', async (t) => {
    const { cli, file } = await watching(t)
    unlinkSync(file)
    mkfifo(file)
    // Past the debounce and the worker's start, not waiting for its answer: a worker that opened
    // the FIFO as a plain open does would be blocked in it by now, and hold the exit for ever.
    await new Promise((resolve) => setTimeout(resolve, 800))
    const { exit, ms } = await signalled(cli, 'SIGTERM', 1000)
    t.same(exit, { code: 0, signal: null })
    t.ok(ms < 1000, `exited ${ms} ms after SIGTERM`)
  })
})

t.test('a second signal ends the process at once even while a thread stuck in a system call holds the exit', async (t) => {
  if (!needs(t, 'mkfifo is not on this system', MKFIFO)) return
  // The stuck thread: a worker started by a preloaded module, reading a FIFO nobody writes to.
  // process.exit waits for every worker thread, so this one holds the first signal's exit.
  const dir = openDir(t)
  const fifo = mkfifo(join(dir, 'never-written'))
  const preload = join(dir, 'stuck-thread.mjs')
  writeFileSync(
    preload,
    `import { Worker } from 'node:worker_threads'\nnew Worker(${JSON.stringify(`require('node:fs').readFileSync(${JSON.stringify(fifo)})`)}, { eval: true }).unref()\n`,
  )
  const cli = spawnCliUntracked(t, ['--port', '0', '--log-format', 'json', '--log-level', 'info'], {
    nodeArgs: ['--import', pathToFileURL(preload).href],
  })
  await cli.url()
  cli.child.kill('SIGTERM')
  await logLine(cli, 'shutting down')
  const held = await cli.waitForExit(1500)
  t.equal(held, undefined, 'precondition: the stuck thread holds the exit of the first signal')
  const { exit, ms } = await signalled(cli, 'SIGTERM', 500)
  t.same(exit, { code: null, signal: 'SIGTERM' }, 'ended by the second signal (a shell shows 128 + 15 = 143)')
  t.ok(ms < 500, `${ms} ms after the second signal`)
})
