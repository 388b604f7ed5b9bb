/**
 * Where the mock keeps what it caches: the user's cache directory, and in it the compile cache.
 * Imports only `node:` modules and the directory check: the CLI loads it before the compile cache is on.
 */
import { lstatSync, readdirSync } from 'node:fs'
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
 * The directory for Node's compile cache: `compile-cache` in this package's cache folder, made
 * `0700` and checked by {@link ensurePrivateDirectory} from the package's folder down, and each
 * entry Node keeps in it (one folder per Node version) this user's and not writable by others.
 * Answers the directory, or why it is not used (then the CLI starts without the cache).
 */
export function compileCacheDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { dir: string } | { problem: string } {
  const { dir: packageDir } = userCacheDirectory(env, platform)
  const dir = join(packageDir, 'compile-cache')
  const problem = ensurePrivateDirectory(dir, packageDir)
  if (problem) return { problem: `${problem.path} ${problem.reason}` }
  // Entries made while the folder was not yet private (or by hand) are another user's code.
  const user = processUser()
  try {
    for (const name of readdirSync(dir)) {
      const entryProblem = strictProblem(lstatSync(join(dir, name)), user)
      if (entryProblem) return { problem: `${join(dir, name)} ${entryProblem.reason}` }
    }
  } catch (error) {
    return { problem: `${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` }
  }
  return { dir }
}
