import autocannon from 'autocannon'
import type { Server } from './children.js'

/** What to load: one request, sent again and again. */
export interface LoadTarget {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** Headers per connection, added to `headers`: connection `i` sends entry `i` modulo the list's length. */
  perConnection?: readonly Record<string, string>[]
  /** The server, to read the CPU time it spends per answer. */
  server?: Server
}

/** How long to load: `seconds`, or exactly `amount` requests. */
export type LoadLength = { seconds: number; amount?: undefined } | { amount: number; seconds?: undefined }

/** The figures of one autocannon run. */
export interface LoadSample {
  /** Answers per second: autocannon's mean of per-second samples; for an `amount`, answers over wall time. */
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  /** Answers received. */
  requests: number
  statusCounts: Record<string, number>
  /** Connection errors, timeouts included. */
  errors: number
  timeouts: number
  seconds: number
  /** CPU time (user + system) the server spent per answer, microseconds; NaN when not measured. */
  cpuUsPerRequest: number
}

/** Run autocannon (10 connections unless told otherwise, pipelining 1) against `target`. */
export async function runLoad(target: LoadTarget, length: LoadLength, connections = 10): Promise<LoadSample> {
  const cpuBefore = target.server?.cpuMs() ?? Number.NaN
  const startedAt = performance.now()
  const { perConnection = [] } = target
  let next = 0
  const result = await autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: { ...target.headers },
    ...(target.body !== undefined && { body: target.body }),
    connections,
    // A run ends at autocannon's next sample tick: with an amount, tick often so it ends soon after its last answer.
    ...(length.amount !== undefined ? { amount: length.amount, sampleInt: 100 } : { duration: length.seconds }),
    ...(perConnection.length > 0 && {
      setupClient: (client: autocannon.Client) => client.setHeaders({ ...target.headers, ...perConnection[next++ % perConnection.length] }),
    }),
  })
  const wallSeconds = (performance.now() - startedAt) / 1000
  const cpuMs = (target.server?.cpuMs() ?? Number.NaN) - cpuBefore
  const requests = result.requests.total
  return {
    reqPerSec: length.amount !== undefined ? requests / wallSeconds : result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests,
    statusCounts: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0])),
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: length.amount !== undefined ? wallSeconds : result.duration,
    cpuUsPerRequest: (cpuMs * 1000) / requests,
  }
}

/** A description of what went wrong in `sample`, if any answer had another status than `expected`, or any request failed. */
export function sampleProblems(what: string, sample: LoadSample, expected = 200): string[] {
  const unexpected = sample.requests - (sample.statusCounts[expected] ?? 0)
  if (unexpected === 0 && sample.errors === 0 && sample.requests > 0) return []
  return [
    `${what}: ${sample.requests} answers, ${unexpected} not ${expected}, ${sample.errors} errors (${sample.timeouts} timeouts), statuses ${JSON.stringify(sample.statusCounts)}`,
  ]
}
