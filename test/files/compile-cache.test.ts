// The CLI's compile cache holds code that runs as whoever starts the mock next, so it is kept only
// where no other user can write: never Node's default `$TMPDIR/node-compile-cache`, which any local
// user can make first. Real CLI processes, a per-test TMPDIR, HOME and XDG_CACHE_HOME, and a second
// user (`nobody`) as the attacker.
import { spawn } from 'node:child_process'
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { CLI, CliProcess, cleanEnv, ensureBuilt, ROOT } from '../helpers/cli.js'
import { tempDir } from '../helpers/tls.js'

ensureBuilt()

const NOBODY = 65534
const PACKAGE = 'bigcommerce-mock-storefront'
/** Builds' folders kept (server/files/cache-directory.ts's KEPT_BUILDS). */
const KEPT = 3

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
    const [build, ...more] = readdirSync(cache)
    t.same(more, [], "one build's folder")
    t.match(build, /^\d+\.\d+\.\d+.*-[0-9a-f]{16}$/, 'named by the version and the bundle hash')
    const buildDir = join(cache, build ?? '')
    for (const dir of [buildDir, ...readdirSync(buildDir).map((entry) => join(buildDir, entry))])
      t.equal(lstatSync(dir).mode & 0o077, 0, `${dir} is private too`)
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
      name: "a folder in it (an older build's) made by nobody",
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
  const builds = readdirSync(cache).map((name) => join(cache, name))
  const nodeFolders = builds.flatMap((build) => readdirSync(build).map((name) => join(build, name)))
  t.ok(nodeFolders.length > 0, "Node's folder was made in the build's")
  for (const dir of [join(home, '.cache'), join(home, '.cache', PACKAGE), cache, ...builds, ...nodeFolders]) {
    t.equal(lstatSync(dir).mode & 0o077, 0, `${dir} has no group or other bits`)
  }
})

/** This build's folder name, as the bin keeps its cache under: read back from a first start in a sandbox. */
async function buildFolder(t: Test): Promise<string> {
  const { home, env } = sandbox(t)
  await startAndStop(t, env)
  const [name] = readdirSync(join(home, '.cache', PACKAGE, 'compile-cache'))
  if (name === undefined) throw new Error('no build folder was made')
  return name
}

t.test("Node's folder in the build's folder made by nobody is refused: no cache, the mock still starts", async (t) => {
  if (!needsRoot(t)) return
  const build = await buildFolder(t)
  const { home, env } = sandbox(t)
  const cache = join(home, '.cache', PACKAGE, 'compile-cache')
  const planted = join(cache, build, `v${process.versions.node}-planted`)
  mkdirSync(planted, { recursive: true, mode: 0o700 })
  for (const dir of [join(home, '.cache'), join(home, '.cache', PACKAGE), cache, join(cache, build)]) chmodSync(dir, 0o700)
  chownSync(planted, NOBODY, NOBODY)
  const stderr = await startAndStop(t, env)
  t.same(walk(planted), [], 'nothing was written there')
  t.same(readdirSync(join(cache, build)), [`v${process.versions.node}-planted`], 'nor beside it')
  t.match(stderr, /compile cache off: .*-planted is owned by another user/, 'NODE_DEBUG=bigcommerce-mock says why')
})

t.test(
  "the cache is bounded: a new build's first start removes older builds' folders (and the one-folder layout), all but the two made last",
  async (t) => {
    if (!needsRoot(t)) return
    const build = await buildFolder(t)
    const { home, env } = sandbox(t)
    const cache = join(home, '.cache', PACKAGE, 'compile-cache')
    mkdirSync(cache, { recursive: true, mode: 0o700 })
    // Older builds of this package, made an hour apart, three cached files each; and Node's folder
    // as versions without build folders kept it, which gained files with every build.
    const older = ['0.0.1-aaaaaaaaaaaaaaaa', '0.0.2-bbbbbbbbbbbbbbbb', '0.0.3-cccccccccccccccc', '0.0.4-dddddddddddddddd']
    const legacy = `v${process.versions.node}-x64-0badc0de-0`
    for (const [index, name] of [legacy, ...older].entries()) {
      const dir = join(cache, name)
      mkdirSync(dir, { mode: 0o700 })
      for (let file = 0; file < (name === legacy ? 200 : 3); file++) writeFileSync(join(dir, `0000${file}`), 'cached code', { mode: 0o600 })
      const at = new Date(Date.now() - (10 - index) * 3_600_000)
      utimesSync(dir, at, at)
    }

    const stderr = await startAndStop(t, env)
    t.notMatch(stderr, /compile cache off/, 'the cache was on')
    t.same(readdirSync(cache).sort(), [older[2], older[3], build].sort(), 'this build, and the two builds made last before it')
    t.same(readdirSync(join(cache, older[3] ?? '')).length, 3, "a kept build's files are left as they were")
    const files = walk(cache).length
    t.ok(files < 100, `the 200 files of the old layout are gone (${files} entries left)`)

    // Its later starts remove nothing, and add nothing beside its folder.
    await startAndStop(t, env)
    t.same(readdirSync(cache).sort(), [older[2], older[3], build].sort(), 'the same folders after a second start')

    // Another build made since, and this one's folder gone: its next start is a first start again,
    // which keeps the two made last beside its own (the other build's and the newest older one).
    const newer = '0.0.5-eeeeeeeeeeeeeeee'
    mkdirSync(join(cache, newer), { mode: 0o700 })
    rmSync(join(cache, build), { recursive: true })
    await startAndStop(t, env)
    t.same(readdirSync(cache).sort(), [older[3], newer, build].sort(), `never more than ${KEPT} builds' folders`)
  },
)
