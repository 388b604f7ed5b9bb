import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { makeTempDir, removeTempDir, startServer, type Server } from './children.js'
import { mean, median, num, ratio, table } from './figures.js'
import { int } from './knobs.js'
import { DEFAULT_FIXTURES } from './paths.js'
import { runLoad, sampleProblems, type LoadSample, type LoadTarget } from './run-load.js'
import { target, type Log, type Section } from './section.js'
import { checkToken, fixturePasswords, health, lastCustomer, signIn, TOKEN_PATH } from './storefront.js'

/** The default fixtures' store and the HS512 demo app's access token (docs/fixtures.md). */
const STORE_HASH = 'abc123'
const ACCESS_TOKEN = 'demo-access-token-6sv16tfx3j5gsopm42ss5dd67g2srvq'
/** The password every generated customer of the large fixture signs in with. */
const PASSWORD = 'storefront'

type LoadName = 'token' | 'api-1' | 'api-10'
const LOADS: readonly LoadName[] = ['token', 'api-1', 'api-10']
const LABEL: Record<LoadName, string> = {
  token: 'GET /customer/current.jwt',
  'api-1': 'GET /v3/customers?id:in= (1 id)',
  'api-10': 'GET /v3/customers?id:in= (10 ids)',
}

interface Contender {
  name: string
  customers: number
  server?: Server
  loads?: Record<LoadName, LoadTarget>
  ids?: { one: number; ten: number[] }
  rounds: Record<LoadName, LoadSample>[]
}

// Check an API answer once before loading it: a 200 that lists exactly these customers.
async function checkCustomers(url: string, ids: readonly number[]): Promise<void> {
  const response = await fetch(url, { headers: { 'x-auth-token': ACCESS_TOKEN } })
  const body = (await response.json()) as { data?: { id: number }[] }
  const got = (body.data ?? []).map((customer) => customer.id)
  if (response.status !== 200 || JSON.stringify(got) !== JSON.stringify([...ids].sort((a, b) => a - b)))
    throw new Error(`GET ${url} answered ${response.status} with customers ${JSON.stringify(got)}, expected ${JSON.stringify(ids)}`)
}

/**
 * Management API: `GET /stores/{store_hash}/v3/customers?id:in=` (the look-up an app backend
 * makes after verifying a token) with 1 id and with 10 ids spread over the store, beside the
 * token route, on the bundled default fixtures (27 customers) and on `BENCH_API_CUSTOMERS`
 * (100,000) generated customers (`generate:`, with the default fixtures' store hash and apps),
 * each server a process at `--log-level silent`. Each is signed in as its last customer (the
 * token route's look-up) and asked for its last customer by id; after an unrecorded warm-up of
 * each load (`BENCH_API_WARMUP_SECONDS`, 2; 0 skips), `BENCH_API_ROUNDS` (3) interleaved rounds of
 * `BENCH_API_SECONDS` (5) per load (autocannon, 10 connections; the order rotates). Targets: the
 * 1-id look-up's req/s over 100,000 customers at least 0.90x its req/s over 27 (median round: the
 * look-up does not scan the store), and at least 0.50x the token route's over the same store.
 */
export const management: Section = {
  name: 'management',
  prepare() {
    const settings = {
      customers: int('BENCH_API_CUSTOMERS', 100_000),
      rounds: int('BENCH_API_ROUNDS', 3),
      seconds: int('BENCH_API_SECONDS', 5),
      warmupSeconds: int('BENCH_API_WARMUP_SECONDS', 2, 0),
      connections: 10,
    }
    const run = async (log: Log) => {
      const dir = makeTempDir('bc-mock-bench-api-')
      const problems: string[] = []
      const contenders: Contender[] = [
        { name: 'default', customers: Number.NaN, rounds: [] },
        { name: 'generated', customers: Number.NaN, rounds: [] },
      ]
      try {
        const { store_hash, apps } = parseYaml(readFileSync(DEFAULT_FIXTURES, 'utf8')) as { store_hash: string; apps: unknown[] }
        const large = join(dir, 'generated.yaml')
        writeFileSync(large, stringifyYaml({ store_hash, apps, generate: { customers: settings.customers, seed: 42, password: PASSWORD } }))
        const password = await fixturePasswords()
        for (const entry of contenders) {
          const server = await startServer(
            'mock',
            ['--log-level', 'silent', ...(entry.name === 'generated' ? ['--fixtures', large] : [])],
            180_000,
          )
          const customer = await lastCustomer(server.url)
          const cookie = await signIn(server.url, customer.email, entry.name === 'generated' ? PASSWORD : password(customer.email))
          await checkToken(server.url, cookie, customer.id)
          entry.customers = (await health(server.url)).customers
          // Ten ids spread from the first to the last (ids are consecutive in both fixtures but the demo ones).
          const first = customer.id - entry.customers + 1
          const ten = Array.from({ length: 10 }, (_, index) => customer.id - Math.floor((index * (entry.customers - 1)) / 9))
            .map((id) => Math.max(id, first))
            .filter((id, index, all) => all.indexOf(id) === index)
          const base = `${server.url}/stores/${STORE_HASH}/v3/customers?id:in=`
          const headers = { 'x-auth-token': ACCESS_TOKEN }
          await checkCustomers(base + customer.id, [customer.id])
          await checkCustomers(base + ten.join(','), ten)
          entry.server = server
          entry.ids = { one: customer.id, ten }
          entry.loads = {
            token: { url: server.url + TOKEN_PATH, headers: { cookie }, server },
            'api-1': { url: base + customer.id, headers, server },
            'api-10': { url: base + ten.join(','), headers, server },
          }
          log(`${entry.name}: ${num(entry.customers)} customers; signed in as the last, id ${customer.id}; ids for 10: ${ten.join(',')}`)
        }
        const measure = async (entry: Contender, name: LoadName, seconds: number, phase: string): Promise<LoadSample> => {
          const sample = await runLoad((entry.loads as Record<LoadName, LoadTarget>)[name], { seconds }, settings.connections)
          problems.push(...sampleProblems(`${entry.name} ${name} ${phase}`, sample))
          return sample
        }
        if (settings.warmupSeconds > 0)
          for (const entry of contenders) for (const name of LOADS) await measure(entry, name, settings.warmupSeconds, 'warm-up')
        let turn = 0
        for (let round = 1; round <= settings.rounds; round++) {
          const samples = new Map<Contender, Partial<Record<LoadName, LoadSample>>>(contenders.map((entry) => [entry, {}]))
          const order = contenders.flatMap((entry) => LOADS.map((name) => [entry, name] as const))
          // Rotate the order, so that no load always runs right after the same other one.
          for (let index = 0; index < order.length; index++) {
            const [entry, name] = order[(index + turn) % order.length] as (typeof order)[number]
            ;(samples.get(entry) as Partial<Record<LoadName, LoadSample>>)[name] = await measure(
              entry,
              name,
              settings.seconds,
              `round ${round}`,
            )
          }
          turn++
          for (const entry of contenders) entry.rounds.push(samples.get(entry) as Record<LoadName, LoadSample>)
          log(
            `round ${round}/${settings.rounds}: ${contenders
              .map(
                (entry) =>
                  `${entry.name} ${LOADS.map((name) => `${name} ${num(entry.rounds.at(-1)?.[name].reqPerSec ?? Number.NaN)}`).join(', ')} req/s`,
              )
              .join('; ')}`,
          )
        }
      } finally {
        for (const entry of contenders) await entry.server?.stop()
        removeTempDir(dir)
      }

      const [small, big] = contenders as [Contender, Contender]
      const reqs = (entry: Contender, name: LoadName) => entry.rounds.map((round) => round[name].reqPerSec)
      const figures = contenders.map((entry) => ({
        name: entry.name,
        customers: entry.customers,
        ids: entry.ids,
        loads: Object.fromEntries(
          LOADS.map((name) => [
            name,
            {
              meanReqPerSec: mean(reqs(entry, name)),
              meanP50Ms: mean(entry.rounds.map((round) => round[name].p50Ms)),
              meanP99Ms: mean(entry.rounds.map((round) => round[name].p99Ms)),
              meanCpuUsPerRequest: mean(entry.rounds.map((round) => round[name].cpuUsPerRequest)),
              rounds: reqs(entry, name),
            },
          ]),
        ) as Record<
          LoadName,
          { meanReqPerSec: number; meanP50Ms: number; meanP99Ms: number; meanCpuUsPerRequest: number; rounds: number[] }
        >,
      }))
      const scaleRatio = median(
        big.rounds.map((round, index) => round['api-1'].reqPerSec / (small.rounds[index]?.['api-1'].reqPerSec ?? Number.NaN)),
      )
      const tokenRatio = median(big.rounds.map((round) => round['api-1'].reqPerSec / round.token.reqPerSec))
      const targets = [
        target(
          `api id:in (1 id) req/s, ${num(big.customers)} customers / ${num(small.customers)}, median round`,
          scaleRatio,
          '>=',
          0.9,
          (value) => ratio(value, 3),
        ),
        target(
          `api id:in (1 id) req/s / token route req/s, ${num(big.customers)} customers, median round`,
          tokenRatio,
          '>=',
          0.5,
          (value) => ratio(value, 3),
        ),
      ]
      const report = [
        `MANAGEMENT API  GET /stores/${STORE_HASH}/v3/customers?id:in= beside the token route, on the default fixtures and on ${num(settings.customers)} generated customers; ${settings.warmupSeconds} s warm-up, ${settings.rounds} interleaved rounds x ${settings.seconds} s per load (autocannon ${settings.connections} connections; order rotates)`,
        table(
          ['fixture', 'customers', 'load', 'req/s', 'p50 ms', 'p99 ms', 'CPU us/req'],
          figures.flatMap((entry) =>
            LOADS.map((name) => [
              entry.name,
              num(entry.customers),
              LABEL[name],
              num(entry.loads[name].meanReqPerSec),
              num(entry.loads[name].meanP50Ms, 1),
              num(entry.loads[name].meanP99Ms, 1),
              num(entry.loads[name].meanCpuUsPerRequest, 1),
            ]),
          ),
        ),
        `  1 id: the last customer (${figures.map((entry) => `${entry.name} ${entry.ids?.one}`).join(', ')}); 10 ids: spread from the first customer to the last`,
        `  req/s, p50, p99, CPU us/req (/proc utime+stime of the mock per answer): means over the rounds; the ratios: medians of per-round ratios`,
        `  1-id look-up over ${num(big.customers)} / over ${num(small.customers)}: ${ratio(scaleRatio, 3)}; beside the token route over ${num(big.customers)}: ${ratio(tokenRatio, 3)}`,
      ].join('\n')
      return { results: { servers: figures, scaleRatio, tokenRatio }, report, targets, problems }
    }
    return { settings, run }
  },
}
