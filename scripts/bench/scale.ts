import type { ChildProcesses } from './children.js'
import { TARGETS, type ScaleConfig, type ScaleVariant } from './config.js'
import { FixturePasswords, lastCustomer, readHealth, type ListedCustomer } from './control.js'
import { DEMO } from './demo.js'
import { runLoad, type LoadSample, type LoadTarget } from './load.js'
import { DEFAULT_FIXTURES } from './paths.js'
import type { Progress } from './progress.js'
import { processRssBytes } from './rss.js'
import { SCALE_PASSWORD, writeScaleFixtures, type ScaleFixture } from './scale-fixtures.js'
import { startServer, type RunningServer } from './servers.js'
import { checkTokenResponse, signInWithForm } from './session.js'
import { mean, median } from './stats.js'

/** The default fixtures, or one of the large variants. */
export type ScaleServerName = 'default' | ScaleVariant

/** The figures of one fixture in the scale section. */
export interface ScaleServerFigures {
  name: ScaleServerName
  /** How its customers are given. */
  fixture: string
  /** Size of the fixture file, bytes (null for the bundled default). */
  fixtureBytes: number | null
  /** Customers the store held (`GET /__mock/health`). */
  customers: number
  /** Spawn to the first 200 on `GET /login.php`, ms, per start. */
  startupMs: number[]
  medianStartupMs: number
  /** RSS when the first 200 arrived, bytes, per start. */
  rssAtStartBytes: number[]
  medianRssAtStartBytes: number
  /** RSS after the token rounds, bytes. */
  rssAfterLoadBytes: number | null
  /** The customer the token requests are for: the last one of the store's list. */
  signedInAs: ListedCustomer
  /** The unrecorded warm-up right after start-up (null when skipped). */
  warmup: LoadSample | null
  rounds: LoadSample[]
  meanReqPerSec: number
  meanP99Ms: number
  meanCpuUsPerRequest: number
  /** Mean req/s over the default's mean req/s (1 for the default itself). */
  ratioToDefault: number
  /**
   * Median over rounds of this server's req/s over the default's in the same round (1 for the
   * default): the target's figure. Each ratio pairs two measurements taken moments apart, and the
   * median is not swayed by one round that other work on the machine disturbed.
   */
  medianRoundRatio: number
  /** The default's CPU per request over this one's: the same comparison, robust to other load. */
  cpuRatioToDefault: number
}

/** Everything the scale section measured. */
export interface ScaleResults {
  settings: ScaleConfig
  /** autocannon connections per token round. */
  connections: number
  servers: ScaleServerFigures[]
}

interface Contender {
  name: ScaleServerName
  fixture: ScaleFixture | null
  startupMs: number[]
  rssAtStartBytes: number[]
  server?: RunningServer
}

/**
 * The scale section: the bundled default fixtures against large fixture files (see
 * {@link writeScaleFixtures}) in the same run. Each is started `starts` times, alternating
 * (spawn -> first 200 on `GET /login.php`, RSS read at that moment); the last start of each
 * stays up, signs in as the last customer of its list, and takes interleaved token rounds
 * (10 connections; the order rotates each round).
 */
export async function runScale(children: ChildProcesses, settings: ScaleConfig, options: { pollMs: number; connections: number }, progress: Progress): Promise<ScaleResults> {
  const fixtures = await writeScaleFixtures(settings.customers, settings.variants)
  const contenders: Contender[] = [{ name: 'default', fixture: null, startupMs: [], rssAtStartBytes: [] }, ...fixtures.files.map((fixture) => ({ name: fixture.variant, fixture, startupMs: [], rssAtStartBytes: [] }))]
  progress(`  wrote ${fixtures.files.map((file) => `${file.variant} (${(file.bytes / 2 ** 20).toFixed(1)} MiB)`).join(', ')} to ${fixtures.dir}`)
  try {
    for (let start = 1; start <= settings.starts; start++) {
      for (const contender of contenders) {
        const server = await startServer(children, 'mock', 'silent', { extraArgs: contender.fixture ? ['--fixtures', contender.fixture.path] : [], pollMs: options.pollMs, timeoutMs: 180_000 })
        const rss = processRssBytes(server.child.process.pid)
        contender.startupMs.push(server.startupMs)
        contender.rssAtStartBytes.push(rss ?? Number.NaN)
        progress(`  start ${start}/${settings.starts} ${contender.name.padEnd(9)}: first 200 after ${server.startupMs.toFixed(0)} ms, RSS ${rss === undefined ? 'n/a' : `${(rss / 2 ** 20).toFixed(1)} MiB`}`)
        if (start < settings.starts) await server.child.stop()
        else contender.server = server
      }
    }

    const defaultPasswords = await FixturePasswords.fromFile(DEFAULT_FIXTURES)
    const tokenPath = `/customer/current.jwt?app_client_id=${DEMO.clientId}`
    const targets = new Map<ScaleServerName, { target: LoadTarget; customer: ListedCustomer; customers: number }>()
    for (const contender of contenders) {
      const server = contender.server as RunningServer
      const customer = await lastCustomer(server.baseUrl)
      const password = contender.fixture ? SCALE_PASSWORD : defaultPasswords.passwordOf(customer.email)
      const cookie = await signInWithForm(server.baseUrl, customer.email, password)
      await checkTokenResponse(server.baseUrl + tokenPath, cookie, { clientId: DEMO.clientId, customerId: customer.id })
      const { customers } = await readHealth(server.baseUrl)
      targets.set(contender.name, { target: { name: `scale ${contender.name}`, url: server.baseUrl + tokenPath, headers: { cookie }, serverPid: server.child.process.pid }, customer, customers })
      progress(`  ${contender.name}: ${customers.toLocaleString('en-US')} customers; signed in as the last one, ${customer.email} (id ${customer.id})`)
    }

    const load = { connections: options.connections, pipelining: 1 }
    const warmups = new Map<ScaleServerName, LoadSample>()
    if (settings.warmupSeconds > 0) {
      for (const contender of contenders) warmups.set(contender.name, await runLoad(targets.get(contender.name)?.target as LoadTarget, { ...load, seconds: settings.warmupSeconds }))
      progress(`  warm-up ${settings.warmupSeconds} s each: ${contenders.map((contender) => `${contender.name} ${warmups.get(contender.name)?.reqPerSec.toFixed(0)} req/s`).join(', ')}`)
    }
    const rounds = new Map<ScaleServerName, LoadSample[]>(contenders.map((contender) => [contender.name, []]))
    for (let round = 0; round < settings.rounds; round++) {
      // Rotate the order so that no fixture always runs right after another's load.
      const order = contenders.map((_, index) => contenders[(index + round) % contenders.length] as Contender)
      const line: string[] = []
      for (const contender of order) {
        const sample = await runLoad(targets.get(contender.name)?.target as LoadTarget, { ...load, seconds: settings.seconds })
        rounds.get(contender.name)?.push(sample)
        line.push(`${contender.name} ${sample.reqPerSec.toFixed(0)} req/s`)
      }
      progress(`  round ${round + 1}/${settings.rounds}: ${line.join(', ')}`)
    }

    const figures = contenders.map((contender): Omit<ScaleServerFigures, 'ratioToDefault' | 'medianRoundRatio' | 'cpuRatioToDefault'> => {
      const samples = rounds.get(contender.name) ?? []
      const target = targets.get(contender.name)
      return {
        name: contender.name,
        fixture: contender.fixture?.description ?? 'bundled fixtures/store.yaml (2 listed + 25 generated)',
        fixtureBytes: contender.fixture?.bytes ?? null,
        customers: target?.customers ?? Number.NaN,
        startupMs: contender.startupMs,
        medianStartupMs: median(contender.startupMs),
        rssAtStartBytes: contender.rssAtStartBytes,
        medianRssAtStartBytes: median(contender.rssAtStartBytes),
        rssAfterLoadBytes: processRssBytes(contender.server?.child.process.pid) ?? null,
        signedInAs: target?.customer ?? { id: Number.NaN, email: '' },
        warmup: warmups.get(contender.name) ?? null,
        rounds: samples,
        meanReqPerSec: mean(samples.map((sample) => sample.reqPerSec)),
        meanP99Ms: mean(samples.map((sample) => sample.p99Ms)),
        meanCpuUsPerRequest: mean(samples.map((sample) => sample.serverCpuUsPerRequest ?? Number.NaN)),
      }
    })
    const reference = figures[0]
    return {
      settings,
      connections: options.connections,
      servers: figures.map((entry) => ({
        ...entry,
        ratioToDefault: entry.meanReqPerSec / (reference?.meanReqPerSec ?? Number.NaN),
        medianRoundRatio: median(entry.rounds.map((sample, index) => sample.reqPerSec / (reference?.rounds[index]?.reqPerSec ?? Number.NaN))),
        cpuRatioToDefault: (reference?.meanCpuUsPerRequest ?? Number.NaN) / entry.meanCpuUsPerRequest,
      })),
    }
  } finally {
    await Promise.all(contenders.map((contender) => contender.server?.child.stop()))
    await fixtures.remove()
  }
}

/** Whether a large fixture's token req/s meets the target against the default's (by {@link ScaleServerFigures.medianRoundRatio}). */
export function meetsScaleTarget(figures: ScaleServerFigures): boolean {
  return figures.medianRoundRatio >= TARGETS.minScaleThroughputRatio
}
