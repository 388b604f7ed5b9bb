import { startServer } from './children.js'
import { mean, median, num, percent, ratio, spread, table } from './figures.js'
import { int } from './knobs.js'
import { runLoad, sampleProblems, type LoadSample, type LoadTarget } from './run-load.js'
import { target, type Log, type Section } from './section.js'
import { checkToken, DEMO, signIn, TOKEN_PATH } from './storefront.js'

/**
 * Throughput: the token route (`GET /customer/current.jwt`, signed in as the demo customer)
 * against the bare Fastify baseline's `GET /hello`, each server in its own process at
 * `--log-level silent`, loaded by autocannon (10 connections) in interleaved rounds, bare then
 * token, after an unrecorded warm-up of each. Target: token req/s at least 0.40x the bare
 * route's (ratio of the means). Within a second, a session asking again gets the token the store
 * minted last (the same bytes: no claim is random); so each round also loads the route with a
 * different customer on each connection ("token, each signed"), where nearly every answer is
 * signed afresh, and reports that figure beside the target's. Knobs: `BENCH_ROUNDS` (4), `BENCH_SECONDS` (5),
 * `BENCH_WARMUP_SECONDS` (2; 0 skips). The mock runs with no fault active (checked through
 * `GET /__mock/faults` before loading): what every request then pays for faults is one
 * `store.hasAnyFault()` count read, so the target holds for a mock without faults.
 */
const LOADS = ['bare', 'token', 'signed'] as const
type Load = (typeof LOADS)[number]

/** Session cookies of `count` different customers, started through the control API without a password. */
async function sessionsOfDistinctCustomers(url: string, count: number): Promise<string[]> {
  const { customers } = (await (await fetch(`${url}/__mock/customers`)).json()) as { customers: { id: number }[] }
  if (customers.length < count) throw new Error(`the mock has ${customers.length} customers; the signed load needs ${count}`)
  return Promise.all(
    customers.slice(0, count).map(async ({ id }) => {
      const response = await fetch(`${url}/__mock/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer_id: id }),
      })
      if (response.status !== 201) throw new Error(`POST /__mock/sessions for customer ${id} answered ${response.status}`)
      return ((await response.json()) as { cookie: string }).cookie
    }),
  )
}

export const throughput: Section = {
  name: 'throughput',
  prepare() {
    const settings = {
      rounds: int('BENCH_ROUNDS', 4),
      seconds: int('BENCH_SECONDS', 5),
      warmupSeconds: int('BENCH_WARMUP_SECONDS', 2, 0),
      connections: 10,
    }
    const run = async (log: Log) => {
      const [mock, bare] = await Promise.all([
        startServer('mock', ['--log-level', 'silent']),
        startServer('bare', ['--log-level', 'silent']),
      ])
      const cookie = await signIn(mock.url, DEMO.email, DEMO.password)
      await checkToken(mock.url, cookie, DEMO.customerId)
      log(`signed in as ${DEMO.email}; GET ${TOKEN_PATH} answers a token for customer ${DEMO.customerId}`)
      const { faults } = (await (await fetch(`${mock.url}/__mock/faults`)).json()) as { faults: unknown[] }
      if (faults.length !== 0)
        throw new Error(`the mock has ${faults.length} active fault(s); the throughput target is for a mock without faults`)
      const cookies = await sessionsOfDistinctCustomers(mock.url, settings.connections)
      const loads: Record<Load, LoadTarget> = {
        bare: { url: `${bare.url}/hello`, server: bare },
        token: { url: mock.url + TOKEN_PATH, headers: { cookie }, server: mock },
        signed: { url: mock.url + TOKEN_PATH, perConnection: cookies.map((value) => ({ cookie: value })), server: mock },
      }
      const problems: string[] = []
      const load = async (name: Load, seconds: number, phase: string): Promise<LoadSample> => {
        const sample = await runLoad(loads[name], { seconds }, settings.connections)
        problems.push(...sampleProblems(`${name} ${phase}`, sample))
        return sample
      }
      if (settings.warmupSeconds > 0) for (const name of LOADS) await load(name, settings.warmupSeconds, 'warm-up')
      const rounds: { bare: LoadSample; token: LoadSample; signed: LoadSample; ratio: number; signedRatio: number }[] = []
      for (let round = 1; round <= settings.rounds; round++) {
        const bareSample = await load('bare', settings.seconds, `round ${round}`)
        const tokenSample = await load('token', settings.seconds, `round ${round}`)
        const signedSample = await load('signed', settings.seconds, `round ${round}`)
        rounds.push({
          bare: bareSample,
          token: tokenSample,
          signed: signedSample,
          ratio: tokenSample.reqPerSec / bareSample.reqPerSec,
          signedRatio: signedSample.reqPerSec / bareSample.reqPerSec,
        })
        log(
          `round ${round}/${settings.rounds}: bare ${bareSample.reqPerSec.toFixed(0)} req/s, token ${tokenSample.reqPerSec.toFixed(0)} req/s, each signed ${signedSample.reqPerSec.toFixed(0)} req/s`,
        )
      }

      const of = (name: Load, pick: (sample: LoadSample) => number): number[] => rounds.map((round) => pick(round[name]))
      const series = (name: Load) => ({
        meanReqPerSec: mean(of(name, (s) => s.reqPerSec)),
        spread: spread(of(name, (s) => s.reqPerSec)),
        meanP99Ms: mean(of(name, (s) => s.p99Ms)),
        worstP99Ms: Math.max(...of(name, (s) => s.p99Ms)),
        meanCpuUsPerRequest: mean(of(name, (s) => s.cpuUsPerRequest)),
      })
      const means = { bare: series('bare'), token: series('token'), signed: series('signed') }
      const meanRatio = means.token.meanReqPerSec / means.bare.meanReqPerSec
      const signedRatio = means.signed.meanReqPerSec / means.bare.meanReqPerSec
      const medianRoundRatio = median(rounds.map((round) => round.ratio))
      const cpuRatio = means.bare.meanCpuUsPerRequest / means.token.meanCpuUsPerRequest
      const cells = (s: LoadSample): string[] => [num(s.reqPerSec), num(s.p99Ms), num(s.cpuUsPerRequest, 1)]
      const report = [
        `THROUGHPUT  autocannon, ${settings.connections} connections, ${settings.rounds} interleaved rounds x ${settings.seconds} s (bare, then token; ${settings.warmupSeconds} s unrecorded warm-up each first); --log-level silent`,
        `  bare : GET /hello; token: GET ${TOKEN_PATH}, signed in through the login form; p99 from autocannon's histogram (1 ms resolution)`,
        `  each signed: the same route, each connection a session of another customer (POST /__mock/sessions), so nearly every token is signed afresh rather than reused within its second`,
        `  no fault active (GET /__mock/faults answered []): the fault check per token request is one O(1) store.hasAnyFault() read`,
        table(
          [
            '',
            'bare req/s',
            'p99 ms',
            'CPU us/req',
            'token req/s',
            'p99 ms',
            'CPU us/req',
            'each signed req/s',
            'p99 ms',
            'CPU us/req',
            'token/bare',
            'signed/bare',
          ],
          [
            ...rounds.map((round, index) => [
              `round ${index + 1}`,
              ...cells(round.bare),
              ...cells(round.token),
              ...cells(round.signed),
              ratio(round.ratio),
              ratio(round.signedRatio),
            ]),
            null,
            [
              'mean',
              ...LOADS.flatMap((name) => [
                num(means[name].meanReqPerSec),
                num(means[name].meanP99Ms, 1),
                num(means[name].meanCpuUsPerRequest, 1),
              ]),
              ratio(meanRatio),
              ratio(signedRatio),
            ],
            ['worst p99', '', num(means.bare.worstP99Ms), '', '', num(means.token.worstP99Ms), '', '', num(means.signed.worstP99Ms)],
            ['req/s spread (CV)', percent(means.bare.spread), '', '', percent(means.token.spread), '', '', percent(means.signed.spread)],
          ],
        ),
        `  token/bare req/s: ${ratio(meanRatio)} as the ratio of the means (the target's figure); median of the rounds' ratios ${ratio(medianRoundRatio)}; each signed/bare ${ratio(signedRatio)}`,
        `  server CPU per request (/proc utime+stime of each server; hardly moved by other load): bare/token ${ratio(cpuRatio)}`,
        problems.length === 0
          ? '  every answer of every round and warm-up was a 200; no socket errors'
          : `  INVALID: ${problems.length} run(s) with other answers or errors`,
      ].join('\n')
      const targets = [target('token req/s / bare req/s (means)', meanRatio, '>=', 0.4, (value) => ratio(value, 3))]
      return { results: { rounds, means, ratio: meanRatio, signedRatio, medianRoundRatio, cpuRatio }, report, targets, problems }
    }
    return { settings, run }
  },
}
