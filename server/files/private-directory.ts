/**
 * "A directory only this user can write": the rule both on-disk caches keep their files under,
 * Node's compile cache (`server/cli.ts`) and the generated certificate (`server/http/tls-certificate.ts`).
 * What another user can write, they can plant code or a certificate in. This module imports only
 * `node:` modules: the CLI loads it before the compile cache is on.
 */
import { lstatSync, mkdirSync, realpathSync, statSync, type Stats } from 'node:fs'
import { dirname, resolve, sep } from 'node:path'

/**
 * Why a directory is not used: `unsafe` when another user could write it or something in it
 * (refused), `unusable` when it cannot be made or is not a directory (nothing to fear, nothing to keep).
 */
export interface DirectoryProblem {
  kind: 'unsafe' | 'unusable'
  /** The directory at fault: `dir` itself or one above it. */
  path: string
  /** What is wrong with it, e.g. `is writable by others (mode 0777)`. */
  reason: string
}

/**
 * Make `dir` when it is missing (each missing directory `0700`), and check that only this user can
 * write into it. From `strictFrom` (the directory the caller owns: `dir` itself, or the package's
 * folder in the cache base) down to `dir`, and for every directory made here: a real directory (a
 * symbolic link is refused, never followed), owned by this user, not writable by group or others.
 * Above that, the directories it hangs from: owned by root or this user, writable by others only
 * with the sticky bit (`/tmp`), by the group only with the sticky bit or when it is the user's own
 * group (a user-private group, whose `umask 002` makes `~/.cache` `0775`); symbolic links there
 * are allowed when root or this user made them. Otherwise anyone able to rename a directory
 * could put their own in its place. Where `process.geteuid` is missing (Windows) ownership and
 * modes are not checked: only the symbolic links. Answers undefined when the directory is fit.
 */
export function ensurePrivateDirectory(dir: string, strictFrom: string = dir): DirectoryProblem | undefined {
  const target = resolve(dir)
  const top = resolve(strictFrom)
  if (target !== top && !target.startsWith(top.endsWith(sep) ? top : top + sep)) throw new Error(`${top} is not ${target} or above it`)
  const user = processUser()
  // The deepest directory that exists at or above `top`: the mock makes everything below it.
  let anchor = top
  for (;;) {
    const found = lstatOrProblem(anchor)
    if (found !== 'missing') {
      if (isProblem(found)) return found
      break
    }
    const parent = dirname(anchor)
    if (parent === anchor) return { kind: 'unusable', path: anchor, reason: 'does not exist' }
    anchor = parent
  }
  // Checked strictly: `top` when it exists, else the first directory the mock makes, and all below, down to `target`.
  let first = top
  while (anchor !== top && dirname(first) !== anchor) first = dirname(first)
  const chain: string[] = []
  for (let path = target; ; path = dirname(path)) {
    chain.unshift(path)
    if (path === first) break
  }
  const ancestorProblem = user ? checkAncestors(dirname(first), user) : undefined
  if (ancestorProblem) return ancestorProblem
  for (const path of chain) {
    let stats = lstatOrProblem(path)
    if (stats === 'missing') {
      try {
        mkdirSync(path, { mode: 0o700 })
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        // Made by someone else meanwhile: checked below like any other.
        if (code !== 'EEXIST') return { kind: 'unusable', path, reason: `cannot be made (${code ?? String(error)})` }
      }
      stats = lstatOrProblem(path)
      if (stats === 'missing') return { kind: 'unusable', path, reason: 'cannot be made' }
    }
    if (isProblem(stats)) return stats
    const problem = strictProblem(stats, user)
    if (problem) return { ...problem, path }
  }
  return undefined
}

/** Why a directory the mock keeps files in may not be used (a symbolic link, another owner, group or other write), or undefined. */
export function strictProblem(stats: Stats, user: ProcessUser | undefined): Omit<DirectoryProblem, 'path'> | undefined {
  if (stats.isSymbolicLink()) return { kind: 'unsafe', reason: 'is a symbolic link (never followed here)' }
  if (!stats.isDirectory()) return { kind: 'unusable', reason: 'is not a directory' }
  if (!user) return undefined
  if (stats.uid !== user.uid) return { kind: 'unsafe', reason: `is owned by another user (uid ${stats.uid}, not ${user.uid})` }
  if ((stats.mode & 0o022) !== 0)
    return {
      kind: 'unsafe',
      reason: `is writable by ${(stats.mode & 0o002) !== 0 ? 'others' : 'its group'} (mode ${modeText(stats.mode)})`,
    }
  return undefined
}

/** This process's effective user and group; undefined where there are none (Windows). */
export interface ProcessUser {
  uid: number
  gid: number
}

export function processUser(): ProcessUser | undefined {
  if (typeof process.geteuid !== 'function' || typeof process.getegid !== 'function') return undefined
  return { uid: process.geteuid(), gid: process.getegid() }
}

/** `0777`-style octal of a mode's permission bits (and the sticky bit, when set). */
function modeText(mode: number): string {
  return (mode & 0o1777).toString(8).padStart(4, '0')
}

// The directories above: as written (a symbolic link only by root or this user), then as they
// really are (each directory on the real path, by the rule of ensurePrivateDirectory).
function checkAncestors(path: string, user: ProcessUser): DirectoryProblem | undefined {
  const written: string[] = []
  for (let at = path; ; at = dirname(at)) {
    written.push(at)
    if (dirname(at) === at) break
  }
  for (const at of written.reverse()) {
    const stats = lstatOrProblem(at)
    if (stats === 'missing') return { kind: 'unusable', path: at, reason: 'does not exist' }
    if (isProblem(stats)) return stats
    if (stats.isSymbolicLink() && stats.uid !== 0 && stats.uid !== user.uid)
      return { kind: 'unsafe', path: at, reason: `is a symbolic link made by another user (uid ${stats.uid})` }
  }
  let real: string
  try {
    real = realpathSync(path)
  } catch (error) {
    return { kind: 'unusable', path, reason: `cannot be resolved (${(error as NodeJS.ErrnoException).code ?? String(error)})` }
  }
  for (let at = real; ; at = dirname(at)) {
    let stats: Stats
    try {
      stats = statSync(at)
    } catch (error) {
      return { kind: 'unusable', path: at, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` }
    }
    const sticky = (stats.mode & 0o1000) !== 0
    if (!stats.isDirectory()) return { kind: 'unusable', path: at, reason: 'is not a directory' }
    if (stats.uid !== 0 && stats.uid !== user.uid)
      return {
        kind: 'unsafe',
        path: at,
        reason: `is owned by another user (uid ${stats.uid}), who could put another directory in place of the one below it`,
      }
    if ((stats.mode & 0o002) !== 0 && !sticky)
      return { kind: 'unsafe', path: at, reason: `is writable by others without the sticky bit (mode ${modeText(stats.mode)})` }
    if ((stats.mode & 0o020) !== 0 && !sticky && stats.gid !== user.gid)
      return {
        kind: 'unsafe',
        path: at,
        reason: `is writable by its group (gid ${stats.gid}, mode ${modeText(stats.mode)}), which is not this user's own`,
      }
    if (dirname(at) === at) return undefined
  }
}

function isProblem(value: Stats | DirectoryProblem): value is DirectoryProblem {
  return 'kind' in value
}

// lstat, as Stats; 'missing' when nothing is there; a problem when it cannot be looked at.
function lstatOrProblem(path: string): Stats | 'missing' | DirectoryProblem {
  try {
    return lstatSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return 'missing'
    if (code === 'ENOTDIR') return { kind: 'unusable', path: dirname(path), reason: 'is not a directory' }
    return { kind: 'unusable', path, reason: `cannot be looked at (${code ?? String(error)})` }
  }
}
