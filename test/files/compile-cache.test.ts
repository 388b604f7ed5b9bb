// The CLI's compile cache holds code that runs as whoever starts the mock next, so it is kept only
// where no other user can write: never Node's default `$TMPDIR/node-compile-cache`, which any local
// user can make first. Real CLI processes, a per-test TMPDIR, HOME and XDG_CACHE_HOME, and a second
// user (`nobody`) as the attacker.
import { spawn } from 'node:child_process'
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { CLI, CliProcess, cleanEnv, ensureBuilt, ROOT } from '../helpers/cli.js'
import { tempDir } from '../helpers/tls.js'

ensureBuilt()

const NOBODY = 65534
const PACKAGE = 'bigcommerce-mock-storefront'

/** Every path under `dir` (itself excluded), or [] when it does not exist. */
function walk(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names.flatMap((name) => {
    const path = join(dir, name)
    return lstatSync(path).isDirectory() ? [path, ...walk(path)] : [path]
  })
}

/** A per-test machine: TMPDIR, HOME, an empty XDG_CACHE_HOME unless given, and the variables that would change the cache unset. */
function sandbox(t: Test): { root: string; tmp: string; home: string; env: Record<string, string> } {
  const root = tempDir(t, 'bc-mock-compile-cache-')
  chmodSync(root, 0o755)
  const tmp = join(root, 'tmp')
  const home = join(root, 'home')
  mkdirSync(tmp, { mode: 0o1777 })
  chmodSync(tmp, 0o1777)
  mkdirSync(home, { mode: 0o700 })
  return { root, tmp, home, env: { TMPDIR: tmp, HOME: home, NODE_DEBUG: 'bigcommerce-mock' } }
}

/**
 * Start the CLI with `env` over this process's environment, less the variables that choose the
 * cache (and the test runner's NODE_OPTIONS); wait for its banner, stop it with SIGTERM (Node
 * writes the cache as it exits). Answers its stderr.
 */
async function startAndStop(t: Test, env: Record<string, string>, cwd = ROOT): Promise<string> {
  const base = cleanEnv()
  for (const name of ['XDG_CACHE_HOME', 'NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE', 'NODE_OPTIONS']) delete base[name]
  const child = spawn(process.execPath, [CLI, '--port', '0', '--log-level', 'silent'], {
    cwd,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const cli = new CliProcess(child)
  t.teardown(() => {
    if (!cli.exit) child.kill('SIGKILL')
  })
  await cli.url(20_000)
  cli.child.kill('SIGTERM')
  const exit = await cli.waitForExit(5000)
  t.same(exit, { code: 0, signal: null }, 'the mock started, served and exited 0')
  return cli.stderr
}

function needsRoot(t: Test): boolean {
  if (process.getuid?.() === 0) return true
  // A second user's files need root to make; CI runs as root, so there it must not be skipped.
  if (process.env.CI) t.fail('these tests need root (to make files owned by nobody)')
  else t.plan(0, 'skipped: needs root')
  return false
}

t.test(
  "an attacker's world-writable $TMPDIR/node-compile-cache is never used: the cache goes to the user's cache directory, 0700",
  async (t) => {
    if (!needsRoot(t)) return
    const { tmp, home, env } = sandbox(t)
    const planted = join(tmp, 'node-compile-cache')
    mkdirSync(planted, { mode: 0o777 })
    chmodSync(planted, 0o777)
    chownSync(planted, NOBODY, NOBODY)

    const stderr = await startAndStop(t, env)
    t.same(walk(planted), [], 'nothing was written under the directory nobody made')
    const cache = join(home, '.cache', PACKAGE, 'compile-cache')
    for (const dir of [join(home, '.cache'), join(home, '.cache', PACKAGE), cache]) {
      const stats = lstatSync(dir)
      t.ok(stats.isDirectory(), `${dir} is a directory`)
      t.equal(stats.mode & 0o777, 0o700, `${dir} is 0700`)
      t.equal(stats.uid, process.getuid?.(), `${dir} is the user's`)
    }
    const entries = walk(cache)
    t.ok(entries.length > 10, `the compiled code is kept there (${entries.length} entries)`)
    for (const entry of readdirSync(cache)) t.equal(lstatSync(join(cache, entry)).mode & 0o077, 0, `Node's folder ${entry} is private too`)
    t.notMatch(stderr, /compile cache off/, 'the cache was on')

    // The second start reads it: the same entries, none replaced by anyone else's.
    await startAndStop(t, env)
    t.same(walk(planted), [], 'still nothing under the planted directory')
  },
)

t.test('XDG_CACHE_HOME is the cache base when set', async (t) => {
  if (!needsRoot(t)) return
  const { root, home, env } = sandbox(t)
  const xdg = join(root, 'xdg')
  await startAndStop(t, { ...env, XDG_CACHE_HOME: xdg })
  t.ok(walk(join(xdg, PACKAGE, 'compile-cache')).length > 10, 'the cache is under XDG_CACHE_HOME')
  t.equal(lstatSync(xdg).mode & 0o777, 0o700, 'the base the mock made is 0700')
  t.same(walk(home), [], 'nothing under ~/.cache')
})

t.test('a relative XDG_CACHE_HOME is ignored, as the XDG spec says: no cache in the current directory', async (t) => {
  if (!needsRoot(t)) return
  const { root, home, env } = sandbox(t)
  const cwd = join(root, 'project')
  mkdirSync(cwd)
  await startAndStop(t, { ...env, XDG_CACHE_HOME: 'cache' }, cwd)
  t.same(walk(cwd), [], 'nothing made in the current directory')
  t.ok(walk(join(home, '.cache', PACKAGE, 'compile-cache')).length > 10, 'the cache is under ~/.cache')
})

t.test('a cache directory another user could write, or a symbolic link, is refused: no cache, the mock still starts', async (t) => {
  if (!needsRoot(t)) return
  const cases: { name: string; plant: (packageDir: string, elsewhere: string) => string; reason: RegExp }[] = [
    {
      name: 'compile-cache writable by others',
      plant: (packageDir) => {
        const dir = join(packageDir, 'compile-cache')
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        chmodSync(dir, 0o777)
        return dir
      },
      reason: /compile-cache is writable by others \(mode 0777\)/,
    },
    {
      name: "compile-cache writable by a group not the user's",
      plant: (packageDir) => {
        const dir = join(packageDir, 'compile-cache')
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        chmodSync(dir, 0o770)
        chownSync(dir, 0, NOBODY)
        return dir
      },
      reason: /compile-cache is writable by its group \(mode 0770\)/,
    },
    {
      name: 'compile-cache owned by nobody',
      plant: (packageDir) => {
        const dir = join(packageDir, 'compile-cache')
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        chownSync(dir, NOBODY, NOBODY)
        return dir
      },
      reason: /compile-cache is owned by another user \(uid 65534/,
    },
    {
      name: 'the package folder writable by others',
      plant: (packageDir) => {
        mkdirSync(packageDir, { recursive: true, mode: 0o700 })
        chmodSync(packageDir, 0o777)
        return packageDir
      },
      reason: new RegExp(`${PACKAGE} is writable by others`),
    },
    {
      name: 'compile-cache a symbolic link to a private directory elsewhere',
      plant: (packageDir, elsewhere) => {
        mkdirSync(packageDir, { recursive: true, mode: 0o700 })
        mkdirSync(elsewhere, { mode: 0o700 })
        symlinkSync(elsewhere, join(packageDir, 'compile-cache'))
        return elsewhere
      },
      reason: /compile-cache is a symbolic link/,
    },
    {
      name: "Node's version folder in it made by nobody",
      plant: (packageDir) => {
        const dir = join(packageDir, 'compile-cache', `v${process.versions.node}-planted`)
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        chmodSync(join(packageDir, 'compile-cache'), 0o700)
        chownSync(dir, NOBODY, NOBODY)
        return dir
      },
      reason: /-planted is owned by another user/,
    },
  ]
  for (const item of cases) {
    t.test(item.name, async (t) => {
      const { root, tmp, home, env } = sandbox(t)
      const packageDir = join(home, '.cache', PACKAGE)
      mkdirSync(join(home, '.cache'), { mode: 0o700 })
      const watched = item.plant(packageDir, join(root, 'elsewhere'))
      const before = walk(watched)
      const stderr = await startAndStop(t, env)
      t.same(walk(watched), before, 'nothing was written there')
      t.same(walk(tmp), [], "and Node's default under TMPDIR was not used instead")
      t.match(stderr, /compile cache off: /, 'NODE_DEBUG=bigcommerce-mock says the cache is off')
      t.match(stderr, item.reason, 'and why')
    })
  }
})

t.test("the directories above: writable by others only with the sticky bit, by a group only if it is the user's", async (t) => {
  if (!needsRoot(t)) return
  const cases: { name: string; mode: number; group: number; used: boolean }[] = [
    { name: 'world-writable without the sticky bit (anyone could rename the cache away)', mode: 0o777, group: 0, used: false },
    { name: 'world-writable with the sticky bit, as /tmp', mode: 0o1777, group: 0, used: true },
    { name: "group-writable, the user's own group (a user-private group's umask 002)", mode: 0o775, group: 0, used: true },
    { name: 'group-writable by another group', mode: 0o775, group: NOBODY, used: false },
  ]
  for (const item of cases) {
    t.test(item.name, async (t) => {
      const { root, tmp, env } = sandbox(t)
      const shared = join(root, 'shared')
      mkdirSync(shared)
      chmodSync(shared, item.mode)
      chownSync(shared, 0, item.group)
      const xdg = join(shared, 'cache')
      const stderr = await startAndStop(t, { ...env, XDG_CACHE_HOME: xdg })
      const cached = walk(join(xdg, PACKAGE, 'compile-cache')).length
      if (item.used) {
        t.ok(cached > 10, `the cache is kept (${cached} entries)`)
      } else {
        t.equal(cached, 0, 'nothing is kept')
        t.match(stderr, new RegExp(`compile cache off: ${shared} is writable by`), 'the parent is named with why')
      }
      t.same(walk(tmp), [], 'never under TMPDIR')
    })
  }
})

t.test('NODE_COMPILE_CACHE set by the user is honoured (Node turns the cache on there itself)', async (t) => {
  if (!needsRoot(t)) return
  const { root, tmp, home, env } = sandbox(t)
  const mine = join(root, 'mine')
  await startAndStop(t, { ...env, NODE_COMPILE_CACHE: mine })
  t.ok(walk(mine).length > 10, 'the cache is in NODE_COMPILE_CACHE')
  t.same(walk(home), [], 'the user cache directory was not made')
  t.same(walk(tmp), [], 'nothing under TMPDIR')
})

t.test('NODE_DISABLE_COMPILE_CACHE: no cache, nothing made', async (t) => {
  if (!needsRoot(t)) return
  const { tmp, home, env } = sandbox(t)
  await startAndStop(t, { ...env, NODE_DISABLE_COMPILE_CACHE: '1' })
  t.same(walk(home), [], 'no cache directory made')
  t.same(walk(tmp), [], 'nothing under TMPDIR')
})

t.test('under umask 000 every directory of the cache is still private', async (t) => {
  if (!needsRoot(t)) return
  const { home, env } = sandbox(t)
  // The child takes the umask as it is spawned, which startAndStop does before its first await.
  const previous = process.umask(0)
  const running = startAndStop(t, env)
  process.umask(previous)
  await running
  const cache = join(home, '.cache', PACKAGE, 'compile-cache')
  for (const dir of [join(home, '.cache'), join(home, '.cache', PACKAGE), cache, ...readdirSync(cache).map((name) => join(cache, name))]) {
    t.equal(lstatSync(dir).mode & 0o077, 0, `${dir} has no group or other bits`)
  }
})
