import { setTimeout as sleep } from 'node:timers/promises'
import { startServer } from './children.js'
import { mib, num, table } from './figures.js'
import { int } from './knobs.js'
import { runLoad, sampleProblems, type LoadTarget } from './run-load.js'
import { target, type Log, type Section } from './section.js'
import { checkToken, DEMO, FORM_HEADERS, health, SIGN_IN_PATH, signIn, signInBody, TOKEN_PATH } from './storefront.js'

/** RSS growth allowed however small the first half's growth: V8 may grow its heap at any time. */
const NOISE_BYTES = 5 * 2 ** 20
/** The second half of a phase may grow RSS by at most this fraction of the first half's growth (or {@link NOISE_BYTES}). */
const SECOND_HALF_FRACTION = 0.1

/** One RSS reading: after `done` requests of the phase, with the sessions `/__mock/health` counted then. */
interface Reading {
  done: number
  rssBytes: number
  sessions: number
}

// The phase's readings, half-way growth check, and the first reading no later one exceeds by more than the noise.
function phaseFigures(readings: readonly Reading[]) {
  const rss = readings.map((reading) => reading.rssBytes)
  const [first, middle, last] = [rss[0], rss[Math.floor((rss.length - 1) / 2)], rss.at(-1)].map((value) => value ?? Number.NaN) as [
    number,
    number,
    number,
  ]
  const growth = {
    firstHalfBytes: middle - first,
    secondHalfBytes: last - middle,
    allowedBytes: Math.max(SECOND_HALF_FRACTION * Math.max(0, middle - first), NOISE_BYTES),
  }
  const from = readings.findIndex(
    (_, index) => index < readings.length - 1 && Math.max(...rss.slice(index)) - (rss[index] ?? 0) <= NOISE_BYTES,
  )
  const plateau = from < 0 ? null : { fromDone: readings[from]?.done ?? 0, rssBytes: Math.max(...rss.slice(from)) }
  return { growth, bounded: growth.secondHalfBytes <= growth.allowedBytes, plateau }
}

/**
 * Memory: one mock on the bundled fixtures (`--log-level silent`, `--max-sessions` from
 * `BENCH_MEMORY_MAX_SESSIONS`, default 10,000 as the CLI's). First `BENCH_MEMORY_TOKEN_REQUESTS`
 * (1,000,000) token requests for the demo customer, then `BENCH_MEMORY_SIGNINS` (200,000) form
 * sign-ins never signed out, each phase in `BENCH_MEMORY_SAMPLES` (10) equal chunks (autocannon
 * `amount`, 10 connections), the mock's RSS (`VmRSS`) and session count read before the first
 * and after each chunk. Targets: RSS growth over a phase's second half at most 10% of the first
 * half's (or 5 MiB), and sessions never above `--max-sessions`.
 */
export const memory: Section = {
  name: 'memory',
  prepare() {
    const samples = int('BENCH_MEMORY_SAMPLES', 10, 2)
    // Each chunk must give every one of the 10 connections at least one request.
    const settings = {
      tokenRequests: int('BENCH_MEMORY_TOKEN_REQUESTS', 1_000_000, samples * 10),
      signIns: int('BENCH_MEMORY_SIGNINS', 200_000, samples * 10),
      samples,
      maxSessions: int('BENCH_MEMORY_MAX_SESSIONS', 10_000),
    }
    const run = async (log: Log) => {
      const mock = await startServer('mock', ['--log-level', 'silent', '--max-sessions', String(settings.maxSessions)])
      const rssAtStart = mock.rssBytes()
      if (Number.isNaN(rssAtStart)) throw new Error("cannot read the mock's VmRSS: the memory section needs Linux's /proc")
      const cookie = await signIn(mock.url, DEMO.email, DEMO.password)
      await checkToken(mock.url, cookie, DEMO.customerId)
      const problems: string[] = []
      const phase = async (name: string, request: string, load: LoadTarget, expected: number, total: number) => {
        const read = async (done: number): Promise<Reading> => {
          await sleep(250) // an idle server's reading
          return { done, rssBytes: mock.rssBytes(), sessions: (await health(mock.url)).sessions }
        }
        const readings = [await read(0)]
        let seconds = 0
        for (let chunk = 0; chunk < settings.samples; chunk++) {
          const sample = await runLoad(load, { amount: Math.floor(total / settings.samples) + (chunk < total % settings.samples ? 1 : 0) })
          problems.push(...sampleProblems(`${name} chunk ${chunk + 1}`, sample, expected))
          seconds += sample.seconds
          readings.push(await read((readings.at(-1)?.done ?? 0) + sample.requests))
          log(`${name} ${num(readings.at(-1)?.done ?? 0)}/${num(total)}: RSS ${mib(mock.rssBytes())}, ${num(sample.reqPerSec)} req/s`)
        }
        return { name, request, expected, total, reqPerSec: (readings.at(-1)?.done ?? 0) / seconds, readings, ...phaseFigures(readings) }
      }
      const phases = [
        await phase(
          'token requests',
          `GET ${TOKEN_PATH}`,
          { url: mock.url + TOKEN_PATH, headers: { cookie }, server: mock },
          200,
          settings.tokenRequests,
        ),
        await phase(
          'sign-ins',
          `POST ${SIGN_IN_PATH} (form, no cookie: each starts a session)`,
          {
            url: mock.url + SIGN_IN_PATH,
            method: 'POST',
            headers: FORM_HEADERS,
            body: signInBody(DEMO.email, DEMO.password),
            server: mock,
          },
          302,
          settings.signIns,
        ),
      ]
      const report = [
        `MEMORY  one mock (bundled fixtures, --max-sessions ${num(settings.maxSessions)}, --log-level silent); RSS = VmRSS of /proc/PID/status, read 250 ms after each chunk; autocannon, 10 connections, \`amount\` per chunk`,
        `  RSS when it first answered: ${mib(rssAtStart)}`,
        ...phases.flatMap(({ name, request, expected, total, reqPerSec, readings, growth, bounded, plateau }) => [
          `  ${num(total)} x ${request}, expecting ${expected}; ${num(reqPerSec)} req/s`,
          table(
            [name, 'RSS', 'vs first', 'sessions'],
            readings.map((r) => [
              num(r.done),
              mib(r.rssBytes),
              `${r.rssBytes >= (readings[0]?.rssBytes ?? 0) ? '+' : ''}${mib(r.rssBytes - (readings[0]?.rssBytes ?? 0))}`,
              num(r.sessions),
            ]),
          ).replace(/^/gm, '  '),
          `    growth: first half ${mib(growth.firstHalfBytes)}, second half ${mib(growth.secondHalfBytes)} (allowed ${mib(growth.allowedBytes)}): ${bounded ? 'BOUNDED' : 'STILL GROWING'}`,
          `    plateau: ${plateau ? `RSS within ${mib(NOISE_BYTES)} of its highest, ${mib(plateau.rssBytes)}, from ${num(plateau.fromDone)} ${name} on` : 'none: RSS was still growing at the last reading'}`,
        ]),
        `  bounded = RSS growth over a phase's second half (last - half-way reading) <= ${SECOND_HALF_FRACTION * 100}% of the first half's (half-way - first reading), or <= ${mib(NOISE_BYTES)}, whichever is larger`,
      ].join('\n')
      const mostSessions = Math.max(...phases.flatMap((p) => p.readings.map((r) => r.sessions)))
      const targets = [
        ...phases.map((p) =>
          target(`RSS bounded over ${num(p.total)} ${p.name}: 2nd-half growth`, p.growth.secondHalfBytes, '<=', p.growth.allowedBytes, mib),
        ),
        target('most sessions held at once (/__mock/health)', mostSessions, '<=', settings.maxSessions, num),
      ]
      return { results: { rssAtStartBytes: rssAtStart, phases }, report, targets, problems }
    }
    return { settings, run }
  },
}
