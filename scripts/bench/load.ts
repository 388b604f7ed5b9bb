import autocannon from 'autocannon'
import { processCpuMs } from './process-cpu.js'

/** What to load: a URL and the headers every request carries. */
export interface LoadTarget {
  /** Short name for messages and results, e.g. `token`. */
  name: string
  url: string
  headers: Record<string, string>
  /** The server's process id, to measure the CPU it spends per request (Linux only). */
  serverPid?: number
}

/** Load settings. */
export interface LoadSettings {
  seconds: number
  connections: number
  pipelining: number
}

/** The figures of one autocannon run. */
export interface LoadSample {
  /** Mean requests per second (autocannon's `Req/Sec Avg`: the mean of its per-second samples). */
  reqPerSec: number
  /** Median latency, ms. */
  p50Ms: number
  /** 99th percentile latency, ms. */
  p99Ms: number
  /** Responses received. */
  requests: number
  /** Responses with a 2xx status. */
  ok: number
  /** Responses with any other status. */
  non2xx: number
  /** Connection errors, timeouts included. */
  errors: number
  /** Timeouts. */
  timeouts: number
  /** Responses per status code. */
  statusCounts: Record<string, number>
  /** Actual duration, seconds. */
  durationSeconds: number
  /**
   * CPU time (user + system) the server process spent per response, microseconds; null where
   * it cannot be read. Unlike req/s it hardly depends on what else the machine is doing.
   */
  serverCpuUsPerRequest: number | null
}

/**
 * Run autocannon against one target for `settings.seconds` seconds (in this process, through
 * its programmatic API) and summarise the result, with the server's CPU time per request when
 * `target.serverPid` is given.
 */
export async function runLoad(target: LoadTarget, settings: LoadSettings): Promise<LoadSample> {
  const cpuBefore = processCpuMs(target.serverPid)
  const result = await autocannon({
    url: target.url,
    title: target.name,
    headers: target.headers,
    connections: settings.connections,
    pipelining: settings.pipelining,
    duration: settings.seconds,
  })
  const cpuAfter = processCpuMs(target.serverPid)
  const statusCounts: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = stats.count ?? 0
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    durationSeconds: result.duration,
    serverCpuUsPerRequest: cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : null,
  }
}
