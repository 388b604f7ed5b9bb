import { readFileSync } from 'node:fs'

// Linux reports utime and stime in clock ticks of USER_HZ, which is 100 on every mainstream kernel.
const USER_HZ = 100

/**
 * CPU time (user + system) a process has used so far, in ms, from `/proc/<pid>/stat`; undefined
 * where there is no procfs (not Linux) or the process is gone. Resolution 10 ms.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / USER_HZ : undefined
}
