/**
 * Where the mock keeps what it caches: the user's cache directory, and in it the compile cache.
 * Imports only `node:` modules and the directory check: the CLI loads it before the compile cache is on.
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, win32 } from 'node:path'
import { ensurePrivateDirectory, processUser, strictProblem } from './private-directory.js'

/** This package's folder in the user's cache directory. */
const CACHE_FOLDER = 'bigcommerce-mock-storefront'

/**
 * The user's cache directory (`base`: `$XDG_CACHE_HOME` when absolute, or `~/.cache` on Linux, `~/Library/Caches`
 * on macOS, `%LOCALAPPDATA%` on Windows) and this package's folder in it (`dir`); `from` names
 * where `base` came from, for messages.
 */
export function userCacheDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { base: string; dir: string; from: string } {
  // A relative XDG_CACHE_HOME is to be ignored (XDG Base Directory spec): it would put the cache in the current directory.
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined
  const localAppData = env.LOCALAPPDATA && win32.isAbsolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : undefined
  const [base, from] =
    platform === 'darwin'
      ? [join(homedir(), 'Library', 'Caches'), '~/Library/Caches']
      : platform === 'win32'
        ? localAppData
          ? [localAppData, '%LOCALAPPDATA%']
          : [join(homedir(), 'AppData', 'Local'), '%USERPROFILE%\\AppData\\Local']
        : xdg
          ? [xdg, 'XDG_CACHE_HOME']
          : [join(homedir(), '.cache'), '~/.cache']
  return { base, dir: join(base, CACHE_FOLDER), from }
}

/**
 * Builds whose compile caches are kept: the running one's and the two made last before it, so
 * two checkouts (or an installed bin beside a checkout) used by turns keep theirs.
 */
const KEPT_BUILDS = 3

/**
 * A build's folder name: `<version>-<16 hex digits of the bundle's hash>`, as `scripts/build.mjs`
 * writes it into the bin. Anything else in `compile-cache` (Node's own folders, as versions
 * without build folders kept them there) is an older layout's, removed with the older builds.
 */
const BUILD_FOLDER = /^[0-9A-Za-z.+-]+-[0-9a-f]{16}$/

/**
 * `compile-cache` in this package's cache folder, made `0700` and checked by
 * {@link ensurePrivateDirectory} from the package's folder down, and each entry in it (a build's
 * folder) this user's and not writable by others. Answers the directory, or why it is not used.
 */
export function compileCacheRoot(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { dir: string } | { problem: string } {
  const { dir: packageDir } = userCacheDirectory(env, platform)
  const dir = join(packageDir, 'compile-cache')
  const problem = ensurePrivateDirectory(dir, packageDir)
  if (problem) return { problem: `${problem.path} ${problem.reason}` }
  const entries = strictEntries(dir)
  return 'problem' in entries ? entries : { dir }
}

/**
 * The directory for Node's compile cache: the folder of this `build` in {@link compileCacheRoot},
 * checked the same way, and each entry Node keeps in it (one folder per Node version) this user's
 * and not writable by others. Node names each cached file by the module's path, so one folder
 * for every build would gain a file for every chunk of every build; when this build's folder is
 * made, the folders of older builds are removed, all but the {@link KEPT_BUILDS} made last
 * (this one included). Answers the directory, or why it is not used (then the CLI starts without the cache).
 */
export function compileCacheDirectory(
  build: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { dir: string } | { problem: string } {
  const { dir: packageDir } = userCacheDirectory(env, platform)
  const root = join(packageDir, 'compile-cache')
  const dir = join(root, build)
  // Only a start that makes its build's folder looks for older ones: every other start pays one lstat.
  const made = !exists(dir)
  const problem = ensurePrivateDirectory(dir, packageDir)
  if (problem) return { problem: `${problem.path} ${problem.reason}` }
  const builds = strictEntries(root)
  if ('problem' in builds) return builds
  const own = strictEntries(dir)
  if ('problem' in own) return own
  if (made) removeOlderBuilds(root, build, builds.entries)
  return { dir }
}

// Entries made while the folder was not yet private (or by hand) are another user's code: each
// entry of `dir` must be this user's directory, not writable by others.
function strictEntries(dir: string): { entries: { name: string; mtimeMs: number }[] } | { problem: string } {
  const user = processUser()
  const entries: { name: string; mtimeMs: number }[] = []
  try {
    for (const name of readdirSync(dir)) {
      const stats = lstatSync(join(dir, name))
      const entryProblem = strictProblem(stats, user)
      if (entryProblem) return { problem: `${join(dir, name)} ${entryProblem.reason}` }
      entries.push({ name, mtimeMs: stats.mtimeMs })
    }
  } catch (error) {
    return { problem: `${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` }
  }
  return { entries }
}

// All but the newest KEPT_BUILDS - 1 other builds' folders. Each entry was checked by
// strictEntries (a real directory of this user's), and rmSync never follows a symbolic link
// inside; a folder another start is removing too, or cannot remove, is left as it is.
function removeOlderBuilds(root: string, build: string, entries: readonly { name: string; mtimeMs: number }[]): void {
  const others = entries.filter((entry) => entry.name !== build)
  const kept = new Set(
    others
      .filter((entry) => BUILD_FOLDER.test(entry.name))
      .sort((a, b) => b.mtimeMs - a.mtimeMs)
      .slice(0, KEPT_BUILDS - 1)
      .map((entry) => entry.name),
  )
  for (const { name } of others) {
    if (kept.has(name)) continue
    try {
      rmSync(join(root, name), { recursive: true, force: true })
    } catch {
      // Left for the next build's first start.
    }
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}
