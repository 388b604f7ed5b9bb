/** Settings of one benchmark run: defaults, overridable by `BENCH_*` environment variables. */
export interface BenchConfig {
  /** Interleaved rounds; each round measures the bare route, then the token route (`BENCH_ROUNDS`, default 4). */
  rounds: number
  /** Seconds of load per measurement (`BENCH_SECONDS`, default 5). */
  seconds: number
  /** Seconds of unrecorded load on each server before the first round (`BENCH_WARMUP_SECONDS`, default 2; 0 skips). */
  warmupSeconds: number
  /** Cold starts measured per server, after one discarded warm-up start each (`BENCH_COLD_RUNS`, default 7, at least 5). */
  coldRuns: number
  /** Milliseconds between readiness polls during a cold start (`BENCH_POLL_MS`, default 2). */
  pollMs: number
  /** Exit non-zero when a target is missed, not only on errors (`BENCH_STRICT=1`). */
  strict: boolean
  /** autocannon connections (fixed by the benchmark's definition). */
  connections: number
  /** autocannon pipelining (fixed by the benchmark's definition). */
  pipelining: number
}

/** Targets the benchmark checks, from issue 2 point 11. */
export const TARGETS = {
  /** The token endpoint's req/s must be at least this fraction of the bare route's. */
  minTokenToBareThroughput: 0.4,
  /** The mock's cold start must be at most this multiple of a bare Fastify's. */
  maxColdStartRatio: 1.5,
} as const

/**
 * Read the configuration from the environment. A bad value throws an Error naming the variable.
 *
 * @param env - usually `process.env`.
 */
export function readConfig(env: NodeJS.ProcessEnv): BenchConfig {
  return {
    rounds: integer(env, 'BENCH_ROUNDS', 4, 1),
    seconds: integer(env, 'BENCH_SECONDS', 5, 1),
    warmupSeconds: integer(env, 'BENCH_WARMUP_SECONDS', 2, 0),
    coldRuns: integer(env, 'BENCH_COLD_RUNS', 7, 5),
    pollMs: integer(env, 'BENCH_POLL_MS', 2, 1),
    strict: env.BENCH_STRICT === '1' || env.BENCH_STRICT === 'true',
    connections: 10,
    pipelining: 1,
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) throw new Error(`${name}: expected a whole number >= ${min}, got ${JSON.stringify(raw)}`)
  return Number(raw)
}
