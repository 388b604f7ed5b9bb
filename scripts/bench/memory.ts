import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULTS } from '../../server/options.js'
import type { ChildProcesses } from './children.js'
import { TARGETS, type MemoryConfig } from './config.js'
import { readHealth } from './control.js'
import { DEMO } from './demo.js'
import { runLoad, type LoadTarget } from './load.js'
import type { Progress } from './progress.js'
import { requireRssBytes } from './rss.js'
import { startServer } from './servers.js'
import { checkTokenResponse, signInWithForm } from './session.js'

/** One RSS reading during a memory phase. */
export interface RssSample {
  /** Requests of the phase answered before this reading. */
  done: number
  rssBytes: number
  /** Sessions `GET /__mock/health` counted at the same moment. */
  sessions: number
}

/** How the RSS grew over a phase, and whether that counts as bounded (see {@link TARGETS}). */
export interface GrowthCheck {
  /** RSS at the half-way reading minus RSS at the start, bytes. */
  firstHalfBytes: number
  /** RSS at the end minus RSS at the half-way reading, bytes. */
  secondHalfBytes: number
  /** The most the second half may grow: 10% of the first half's growth, at least the noise allowance. */
  allowedBytes: number
  bounded: boolean
}

/** Where the RSS stopped growing: the first reading that no later one exceeds by more than the noise allowance. */
export interface Plateau {
  /** Requests done at that reading. */
  fromDone: number
  /** The highest RSS from there on, bytes. */
  rssBytes: number
}

/** One phase of the memory section: many requests of one kind, with RSS readings between chunks. */
export interface MemoryPhase {
  name: 'token' | 'sign-in'
  request: string
  /** The answer every request must get. */
  expectedStatus: number
  total: number
  /** Readings: one before the first request, then one after each chunk. */
  samples: RssSample[]
  /** Answers per second over the phase's chunks. */
  reqPerSec: number
  /** Answers with another status. */
  unexpected: number
  /** Connection errors and timeouts. */
  errors: number
  statusCounts: Record<string, number>
  growth: GrowthCheck
  /** Null when the RSS was still growing at the end. */
  plateau: Plateau | null
}

/** Everything the memory section measured. */
export interface MemoryResults {
  settings: MemoryConfig
  /** The mock's `--max-sessions` (its default: the flag is not given). */
  maxSessions: number
  /** RSS once the mock first answered, before any load, bytes. */
  rssAtStartBytes: number
  phases: MemoryPhase[]
}

/** Pause before each RSS reading, so that the reading is of an idle server. */
const SETTLE_MS = 250

/**
 * The memory section: one mock on the bundled fixtures at its default `--max-sessions`; first
 * `tokenRequests` token requests for one signed-in customer, then `signIns` form sign-ins that
 * are never signed out, each phase in `samples` equal chunks (autocannon `amount`, 10
 * connections) with the mock's RSS (`/proc/<pid>/status` VmRSS) and session count read before
 * the first and after every chunk.
 */
export async function runMemory(children: ChildProcesses, settings: MemoryConfig, progress: Progress): Promise<MemoryResults> {
  const mock = await startServer(children, 'mock', 'silent')
  try {
    const pid = mock.child.process.pid
    const rssAtStartBytes = requireRssBytes(pid, 'the mock')
    const tokenPath = `/customer/current.jwt?app_client_id=${DEMO.clientId}`
    const cookie = await signInWithForm(mock.baseUrl, DEMO.email, DEMO.password)
    await checkTokenResponse(mock.baseUrl + tokenPath, cookie, { clientId: DEMO.clientId, customerId: DEMO.customerId })

    const read = async (done: number): Promise<RssSample> => {
      await sleep(SETTLE_MS)
      return { done, rssBytes: requireRssBytes(pid, 'the mock'), sessions: (await readHealth(mock.baseUrl)).sessions }
    }
    const phase = async (name: MemoryPhase['name'], request: string, target: LoadTarget, expectedStatus: number, total: number): Promise<MemoryPhase> => {
      const samples = [await read(0)]
      const statusCounts: Record<string, number> = {}
      let answered = 0
      let errors = 0
      let seconds = 0
      for (let chunk = 0; chunk < settings.samples; chunk++) {
        const amount = Math.floor(total / settings.samples) + (chunk < total % settings.samples ? 1 : 0)
        const sample = await runLoad(target, { seconds: 0, amount, connections: 10, pipelining: 1 })
        for (const [code, count] of Object.entries(sample.statusCounts)) statusCounts[code] = (statusCounts[code] ?? 0) + count
        answered += sample.requests
        errors += sample.errors
        seconds += sample.durationSeconds
        const reading = await read(answered)
        samples.push(reading)
        progress(`  ${name} ${answered.toLocaleString('en-US')}/${total.toLocaleString('en-US')}: RSS ${(reading.rssBytes / 2 ** 20).toFixed(1)} MiB, sessions ${reading.sessions}, ${(sample.requests / sample.durationSeconds).toFixed(0)} req/s`)
      }
      return {
        name,
        request,
        expectedStatus,
        total,
        samples,
        reqPerSec: answered / seconds,
        unexpected: answered - (statusCounts[String(expectedStatus)] ?? 0),
        errors,
        statusCounts,
        growth: growthCheck(samples),
        plateau: plateau(samples),
      }
    }

    const token = await phase('token', `GET ${tokenPath}`, { name: 'memory token', url: mock.baseUrl + tokenPath, headers: { cookie }, serverPid: pid }, 200, settings.tokenRequests)
    const body = new URLSearchParams({ login_email: DEMO.email, login_pass: DEMO.password }).toString()
    const signIn = await phase(
      'sign-in',
      'POST /login.php?action=check_login (form, no cookie: every answer starts a new session)',
      { name: 'memory sign-in', url: `${mock.baseUrl}/login.php?action=check_login`, method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, serverPid: pid },
      302,
      settings.signIns,
    )
    return { settings, maxSessions: DEFAULTS.maxSessions, rssAtStartBytes, phases: [token, signIn] }
  } finally {
    await mock.child.stop()
  }
}

/**
 * The boundedness criterion: the growth over the second half of the phase (last reading minus
 * the half-way reading) is at most 10% of the growth over the first half (half-way minus the
 * first reading), or at most the noise allowance (5 MiB), whichever is larger.
 */
export function growthCheck(samples: readonly RssSample[]): GrowthCheck {
  const first = samples[0]?.rssBytes ?? Number.NaN
  const middle = samples[Math.floor((samples.length - 1) / 2)]?.rssBytes ?? Number.NaN
  const last = samples[samples.length - 1]?.rssBytes ?? Number.NaN
  const firstHalfBytes = middle - first
  const secondHalfBytes = last - middle
  const allowedBytes = Math.max(TARGETS.maxSecondHalfGrowthFraction * Math.max(0, firstHalfBytes), TARGETS.rssNoiseAllowanceBytes)
  return { firstHalfBytes, secondHalfBytes, allowedBytes, bounded: secondHalfBytes <= allowedBytes }
}

/** The first reading no later reading exceeds by more than the noise allowance; null if that is only the last one. */
export function plateau(samples: readonly RssSample[]): Plateau | null {
  for (let index = 0; index < samples.length - 1; index++) {
    const here = samples[index] as RssSample
    const highest = Math.max(...samples.slice(index).map((sample) => sample.rssBytes))
    if (highest - here.rssBytes <= TARGETS.rssNoiseAllowanceBytes) return { fromDone: here.done, rssBytes: highest }
  }
  return null
}
