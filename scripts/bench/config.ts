/** The sections of a benchmark run, in the order they run. */
export const SECTIONS = ['throughput', 'cold', 'load', 'memory', 'scale'] as const

/** One section of a benchmark run (see {@link SECTIONS}). */
export type Section = (typeof SECTIONS)[number]

/** The scale section's fixture variants: how the large customer list is written. */
export const SCALE_VARIANTS = ['generated', 'yaml-list', 'json-list'] as const

/** One large-fixture variant of the scale section (see {@link SCALE_VARIANTS}). */
export type ScaleVariant = (typeof SCALE_VARIANTS)[number]

/** The variants measured unless `BENCH_SCALE_VARIANTS` says otherwise. */
export const DEFAULT_SCALE_VARIANTS: readonly ScaleVariant[] = ['generated', 'json-list']

/** Settings of the mixed load (issue 5, section 3). */
export interface LoadConfig {
  /** Seconds of mixed load (`BENCH_LOAD_SECONDS`, default 30). */
  seconds: number
  /** autocannon connections on the token endpoint, each with its own session (`BENCH_LOAD_TOKEN_CONNECTIONS`, default 50). */
  tokenConnections: number
  /** Clients looping form sign-in -> sign-out (`BENCH_LOAD_SIGNIN_CLIENTS`, default 4). */
  signInClients: number
  /** Clients looping SSO URL -> SSO sign-in -> sign-out (`BENCH_LOAD_SSO_CLIENTS`, default 2). */
  ssoClients: number
}

/** Settings of the memory section. */
export interface MemoryConfig {
  /** Token requests, in {@link MemoryConfig.samples} equal chunks (`BENCH_MEMORY_TOKEN_REQUESTS`, default 1,000,000). */
  tokenRequests: number
  /** Form sign-ins never signed out, in equal chunks (`BENCH_MEMORY_SIGNINS`, default 200,000). */
  signIns: number
  /** RSS samples per phase after the first (`BENCH_MEMORY_SAMPLES`, default 10: every 100,000 tokens, every 20,000 sign-ins). */
  samples: number
}

/** Settings of the scale section. */
export interface ScaleConfig {
  /** Customers of the large fixtures (`BENCH_SCALE_CUSTOMERS`, default 100,000). */
  customers: number
  /**
   * Large-fixture variants compared with the default (`BENCH_SCALE_VARIANTS`, default
   * `generated,json-list`; `yaml-list` on request: its parse takes ~8 s and ~850 MB of
   * short-lived garbage, which also disturbs the other servers' rounds).
   */
  variants: ScaleVariant[]
  /**
   * Also run a second instance of the default fixtures as an A/A control: its ratio to the
   * default shows how far two identical servers differ in this run, i.e. the noise the target's
   * 10% must be read against (`BENCH_SCALE_CONTROL`, default 1; 0 skips).
   */
  control: boolean
  /** Fresh processes per fixture, one set after the other, each measured (`BENCH_SCALE_STARTS`, default 3); start-up and RSS are their medians. */
  starts: number
  /**
   * Seconds of unrecorded token load on each server after each start (`BENCH_SCALE_WARMUP_SECONDS`,
   * default 4; 0 skips): a large fixture leaves garbage of its parse or generation, whose collection
   * slows the first seconds of load (its warm-up req/s is reported).
   */
  warmupSeconds: number
  /** Interleaved token rounds per start; the target uses the median of all rounds' ratios (`BENCH_SCALE_ROUNDS`, default 2). */
  rounds: number
  /** Seconds of load per server and round (`BENCH_SCALE_SECONDS`, default 5). */
  seconds: number
}

/** Settings of one benchmark run: defaults, overridable by `BENCH_*` environment variables. */
export interface BenchConfig {
  /** Sections to run (`BENCH_ONLY`, comma-separated, default all of {@link SECTIONS}). */
  sections: Section[]
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
  load: LoadConfig
  memory: MemoryConfig
  scale: ScaleConfig
}

/** Targets the benchmark checks: issue 2 point 11, and issue 5 section 3. */
export const TARGETS = {
  /** The token endpoint's req/s must be at least this fraction of the bare route's. */
  minTokenToBareThroughput: 0.4,
  /** The mock's cold start must be at most this multiple of a bare Fastify's. */
  maxColdStartRatio: 1.5,
  /** Unexpected statuses and socket errors allowed during the mixed load, per kind. */
  maxLoadFailures: 0,
  /**
   * Memory stays bounded when the RSS growth over the second half of a phase is at most this
   * fraction of the growth over the first half ...
   */
  maxSecondHalfGrowthFraction: 0.1,
  /** ... or at most this many bytes, whichever is larger: an allowance for when V8 happens to grow its heap. */
  rssNoiseAllowanceBytes: 5 * 1024 * 1024,
  /** A large fixture's token req/s must be at least this fraction of the default fixture's (median of the rounds' ratios). */
  minScaleThroughputRatio: 0.9,
} as const

/**
 * Read the configuration from the environment. A bad value throws an Error naming the variable.
 *
 * @param env - usually `process.env`.
 */
export function readConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const memorySamples = integer(env, 'BENCH_MEMORY_SAMPLES', 10, 2)
  const config: BenchConfig = {
    sections: list(env, 'BENCH_ONLY', SECTIONS),
    rounds: integer(env, 'BENCH_ROUNDS', 4, 1),
    seconds: integer(env, 'BENCH_SECONDS', 5, 1),
    warmupSeconds: integer(env, 'BENCH_WARMUP_SECONDS', 2, 0),
    coldRuns: integer(env, 'BENCH_COLD_RUNS', 7, 5),
    pollMs: integer(env, 'BENCH_POLL_MS', 2, 1),
    strict: env.BENCH_STRICT === '1' || env.BENCH_STRICT === 'true',
    connections: 10,
    pipelining: 1,
    load: {
      seconds: integer(env, 'BENCH_LOAD_SECONDS', 30, 1),
      tokenConnections: integer(env, 'BENCH_LOAD_TOKEN_CONNECTIONS', 50, 1),
      signInClients: integer(env, 'BENCH_LOAD_SIGNIN_CLIENTS', 4, 1),
      ssoClients: integer(env, 'BENCH_LOAD_SSO_CLIENTS', 2, 1),
    },
    memory: {
      // Each chunk must give every one of the 10 connections at least one request.
      tokenRequests: integer(env, 'BENCH_MEMORY_TOKEN_REQUESTS', 1_000_000, memorySamples * 10),
      signIns: integer(env, 'BENCH_MEMORY_SIGNINS', 200_000, memorySamples * 10),
      samples: memorySamples,
    },
    scale: {
      customers: integer(env, 'BENCH_SCALE_CUSTOMERS', 100_000, 1),
      variants: list(env, 'BENCH_SCALE_VARIANTS', SCALE_VARIANTS, DEFAULT_SCALE_VARIANTS),
      control: env.BENCH_SCALE_CONTROL === undefined || env.BENCH_SCALE_CONTROL.trim() === '' ? true : flag(env, 'BENCH_SCALE_CONTROL'),
      starts: integer(env, 'BENCH_SCALE_STARTS', 3, 1),
      warmupSeconds: integer(env, 'BENCH_SCALE_WARMUP_SECONDS', 4, 0),
      rounds: integer(env, 'BENCH_SCALE_ROUNDS', 2, 1),
      seconds: integer(env, 'BENCH_SCALE_SECONDS', 5, 1),
    },
  }
  return config
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase()
  if (['1', 'true', 'yes'].includes(raw)) return true
  if (['0', 'false', 'no'].includes(raw)) return false
  throw new Error(`${name}: expected 1 or 0, got ${JSON.stringify(env[name])}`)
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const text = raw.trim().replace(/_/g, '')
  if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`${name}: expected a whole number >= ${min}, got ${JSON.stringify(raw)}`)
  return Number(text)
}

// A comma-separated subset of `allowed`, kept in the order of `allowed`; unset means `fallback` (default: all).
function list<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: readonly T[] = allowed): T[] {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return [...fallback]
  const wanted = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
  const unknown = wanted.filter((item) => !(allowed as readonly string[]).includes(item))
  if (unknown.length > 0 || wanted.length === 0) throw new Error(`${name}: expected a comma-separated list of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`)
  return allowed.filter((item) => wanted.includes(item))
}
