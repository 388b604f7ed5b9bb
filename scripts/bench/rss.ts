import { readFileSync } from 'node:fs'

/**
 * Resident set size of a process, in bytes, from the `VmRSS` line of `/proc/<pid>/status`;
 * undefined where there is no procfs (not Linux) or the process is gone.
 */
export function processRssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return undefined
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  return match ? Number(match[1]) * 1024 : undefined
}

/** Like {@link processRssBytes}, but throws when the RSS cannot be read: the memory figures need it. */
export function requireRssBytes(pid: number | undefined, label: string): number {
  const rss = processRssBytes(pid)
  if (rss === undefined) throw new Error(`cannot read VmRSS of ${label} (pid ${pid}) from /proc: the memory figures need Linux's procfs`)
  return rss
}

/** Bytes as MiB, e.g. `84.2`. */
export function mib(bytes: number): number {
  return bytes / (1024 * 1024)
}
