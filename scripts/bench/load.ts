import autocannon from 'autocannon'
import { processCpuMs } from './process-cpu.js'

/** What to load: a URL and the headers every request carries. */
export interface LoadTarget {
  /** Short name for messages and results, e.g. `token`. */
  name: string
  url: string
  headers: Record<string, string>
  /** Default `GET`. */
  method?: 'GET' | 'POST'
  /** Request body, sent with every request (give its `content-type` in `headers`). */
  body?: string
  /**
   * Headers of each connection, added to `headers`: connection `i` sends entry `i` modulo the
   * list's length (e.g. each connection its own session cookie). Needs pipelining 1.
   */
  connectionHeaders?: readonly Record<string, string>[]
  /** The server's process id, to measure the CPU it spends per request (Linux only). */
  serverPid?: number
}

/** Load settings: a duration, or an exact number of requests. */
export interface LoadSettings {
  /** Seconds of load; ignored when `amount` is given. */
  seconds: number
  /** Exactly this many requests, spread over the connections (autocannon's `amount`); at least `connections`. */
  amount?: number
  connections: number
  pipelining: number
}

/** The figures of one autocannon run. */
export interface LoadSample {
  /** Mean requests per second (autocannon's `Req/Sec Avg`: the mean of its per-second samples; with `amount`, answers over wall time). */
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
  /** Actual duration, seconds (with `amount`: wall time of the run). */
  durationSeconds: number
  /**
   * CPU time (user + system) the server process spent per response, microseconds; null where
   * it cannot be read. Unlike req/s it hardly depends on what else the machine is doing.
   */
  serverCpuUsPerRequest: number | null
}

const AMOUNT_SAMPLE_MS = 100

/**
 * Run autocannon against one target for `settings.seconds` seconds (in this process, through
 * its programmatic API) and summarise the result, with the server's CPU time per request when
 * `target.serverPid` is given.
 */
export async function runLoad(target: LoadTarget, settings: LoadSettings): Promise<LoadSample> {
  const cpuBefore = processCpuMs(target.serverPid)
  const startedAt = performance.now()
  const perConnection = target.connectionHeaders
  let nextConnection = 0
  const result = await autocannon({
    url: target.url,
    title: target.name,
    method: target.method ?? 'GET',
    headers: target.headers,
    ...(target.body !== undefined && { body: target.body }),
    connections: settings.connections,
    pipelining: settings.pipelining,
    // autocannon finishes a run at its next sample tick: with `amount`, tick every 100 ms so
    // that a run ends soon after its last answer (req/s then comes from the wall time).
    ...(settings.amount !== undefined ? { amount: settings.amount, sampleInt: AMOUNT_SAMPLE_MS } : { duration: settings.seconds }),
    // Called once per connection as autocannon creates it, before its first request is sent.
    ...(perConnection !== undefined &&
      perConnection.length > 0 && {
        setupClient: (client: autocannon.Client) => {
          client.setHeaders({ ...target.headers, ...perConnection[nextConnection++ % perConnection.length] })
        },
      }),
  })
  const wallSeconds = (performance.now() - startedAt) / 1000
  const cpuAfter = processCpuMs(target.serverPid)
  const statusCounts: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = stats.count ?? 0
  return {
    reqPerSec: settings.amount !== undefined ? result.requests.total / wallSeconds : result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    durationSeconds: settings.amount !== undefined ? wallSeconds : result.duration,
    serverCpuUsPerRequest: cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : null,
  }
}
