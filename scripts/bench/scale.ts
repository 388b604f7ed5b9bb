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

/** The default fixtures, a second instance of them (the A/A control), or one of the large variants. */
export type ScaleServerName = 'default' | 'control' | ScaleVariant

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
  /** RSS after each start's token rounds, bytes. */
  rssAfterLoadBytes: number[]
  medianRssAfterLoadBytes: number
  /** The customer the token requests are for: the last one of the store's list. */
  signedInAs: ListedCustomer
  /** The unrecorded warm-up right after each start (empty when skipped). */
  warmups: LoadSample[]
  /** Every measured round, in run order: `rounds` per start, for each start. */
  rounds: LoadSample[]
  meanReqPerSec: number
  meanP99Ms: number
  meanCpuUsPerRequest: number
  /** Mean req/s over the default's mean req/s (1 for the default itself). */
  ratioToDefault: number
  /** Each round's req/s over the default's in the same round (same start), in run order. */
  roundRatios: number[]
  /**
   * Median of {@link roundRatios} (1 for the default): the target's figure. Each ratio pairs two
   * measurements taken moments apart, the rounds come from several processes of each fixture,
   * and the median is not swayed by one disturbed round or one unlucky process.
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
  rssAfterLoadBytes: number[]
  warmups: LoadSample[]
  rounds: LoadSample[]
  customers: number
  signedInAs?: ListedCustomer
}

/**
 * The scale section: the bundled default fixtures against large fixture files (see
 * {@link writeScaleFixtures}) in the same run, optionally with a second default server as an
 * A/A control. `starts` times over: start one fresh process per fixture, one after the other
 * (spawn -> first 200 on `GET /login.php`, RSS read at that moment), sign each in as the last
 * customer of its list, warm each up, then take `rounds` interleaved token rounds (10
 * connections; the order rotates every round), and stop them all. Fresh processes per start
 * keep one unlucky process (JIT, placement) from deciding the comparison.
 */
export async function runScale(children: ChildProcesses, settings: ScaleConfig, options: { pollMs: number; connections: number }, progress: Progress): Promise<ScaleResults> {
  const fixtures = await writeScaleFixtures(settings.customers, settings.variants)
  const contender = (name: ScaleServerName, fixture: ScaleFixture | null): Contender => ({ name, fixture, startupMs: [], rssAtStartBytes: [], rssAfterLoadBytes: [], warmups: [], rounds: [], customers: Number.NaN })
  const contenders: Contender[] = [contender('default', null), ...(settings.control ? [contender('control', null)] : []), ...fixtures.files.map((fixture) => contender(fixture.variant, fixture))]
  progress(`  wrote ${fixtures.files.map((file) => `${file.variant} (${(file.bytes / 2 ** 20).toFixed(1)} MiB)`).join(', ')} to ${fixtures.dir}`)
  const defaultPasswords = await FixturePasswords.fromFile(DEFAULT_FIXTURES)
  const load = { connections: options.connections, pipelining: 1 }
  const running = new Map<ScaleServerName, RunningServer>()
  let round = 0
  try {
    for (let start = 1; start <= settings.starts; start++) {
      const targets = new Map<ScaleServerName, LoadTarget>()
      for (const entry of contenders) {
        const server = await startServer(children, 'mock', 'silent', { extraArgs: entry.fixture ? ['--fixtures', entry.fixture.path] : [], pollMs: options.pollMs, timeoutMs: 180_000 })
        running.set(entry.name, server)
        const rss = processRssBytes(server.child.process.pid)
        entry.startupMs.push(server.startupMs)
        entry.rssAtStartBytes.push(rss ?? Number.NaN)
        targets.set(entry.name, await signInLast(server, entry, defaultPasswords))
        progress(`  start ${start}/${settings.starts} ${entry.name.padEnd(9)}: first 200 after ${server.startupMs.toFixed(0)} ms, RSS ${rss === undefined ? 'n/a' : `${(rss / 2 ** 20).toFixed(1)} MiB`}; ${entry.customers.toLocaleString('en-US')} customers, signed in as the last, ${entry.signedInAs?.email}`)
      }
      if (settings.warmupSeconds > 0) {
        for (const entry of contenders) entry.warmups.push(await runLoad(targets.get(entry.name) as LoadTarget, { ...load, seconds: settings.warmupSeconds }))
        progress(`  warm-up ${settings.warmupSeconds} s each: ${contenders.map((entry) => `${entry.name} ${entry.warmups.at(-1)?.reqPerSec.toFixed(0)} req/s`).join(', ')}`)
      }
      for (let inStart = 1; inStart <= settings.rounds; inStart++, round++) {
        // Rotate the order so that no fixture always runs right after another's load.
        const order = contenders.map((_, index) => contenders[(index + round) % contenders.length] as Contender)
        const line: string[] = []
        for (const entry of order) {
          const sample = await runLoad(targets.get(entry.name) as LoadTarget, { ...load, seconds: settings.seconds })
          entry.rounds.push(sample)
          line.push(`${entry.name} ${sample.reqPerSec.toFixed(0)} req/s`)
        }
        progress(`  start ${start}, round ${inStart}/${settings.rounds}: ${line.join(', ')}`)
      }
      for (const entry of contenders) entry.rssAfterLoadBytes.push(processRssBytes(running.get(entry.name)?.child.process.pid) ?? Number.NaN)
      await Promise.all([...running.values()].map((server) => server.child.stop()))
      running.clear()
    }
  } finally {
    await Promise.all([...running.values()].map((server) => server.child.stop()))
    await fixtures.remove()
  }
  return { settings, connections: options.connections, servers: summarise(contenders) }
}

// Sign in as the store's last customer through the form; the token route for that session.
async function signInLast(server: RunningServer, entry: Contender, defaultPasswords: FixturePasswords): Promise<LoadTarget> {
  const tokenPath = `/customer/current.jwt?app_client_id=${DEMO.clientId}`
  const customer = await lastCustomer(server.baseUrl)
  const cookie = await signInWithForm(server.baseUrl, customer.email, entry.fixture ? SCALE_PASSWORD : defaultPasswords.passwordOf(customer.email))
  await checkTokenResponse(server.baseUrl + tokenPath, cookie, { clientId: DEMO.clientId, customerId: customer.id })
  entry.customers = (await readHealth(server.baseUrl)).customers
  entry.signedInAs = customer
  return { name: `scale ${entry.name}`, url: server.baseUrl + tokenPath, headers: { cookie }, serverPid: server.child.process.pid }
}

function summarise(contenders: readonly Contender[]): ScaleServerFigures[] {
  const reference = contenders[0]
  const referenceMean = mean(reference?.rounds.map((sample) => sample.reqPerSec) ?? [])
  const referenceCpu = mean(reference?.rounds.map((sample) => sample.serverCpuUsPerRequest ?? Number.NaN) ?? [])
  return contenders.map((entry) => {
    const meanReqPerSec = mean(entry.rounds.map((sample) => sample.reqPerSec))
    const meanCpuUsPerRequest = mean(entry.rounds.map((sample) => sample.serverCpuUsPerRequest ?? Number.NaN))
    const roundRatios = entry.rounds.map((sample, index) => sample.reqPerSec / (reference?.rounds[index]?.reqPerSec ?? Number.NaN))
    return {
      name: entry.name,
      fixture: entry.fixture?.description ?? `bundled fixtures/store.yaml (2 listed + 25 generated)${entry.name === 'control' ? ', a second server: the A/A control' : ''}`,
      fixtureBytes: entry.fixture?.bytes ?? null,
      customers: entry.customers,
      startupMs: entry.startupMs,
      medianStartupMs: median(entry.startupMs),
      rssAtStartBytes: entry.rssAtStartBytes,
      medianRssAtStartBytes: median(entry.rssAtStartBytes),
      rssAfterLoadBytes: entry.rssAfterLoadBytes,
      medianRssAfterLoadBytes: median(entry.rssAfterLoadBytes),
      signedInAs: entry.signedInAs ?? { id: Number.NaN, email: '' },
      warmups: entry.warmups,
      rounds: entry.rounds,
      meanReqPerSec,
      meanP99Ms: mean(entry.rounds.map((sample) => sample.p99Ms)),
      meanCpuUsPerRequest,
      ratioToDefault: meanReqPerSec / referenceMean,
      roundRatios,
      medianRoundRatio: median(roundRatios),
      cpuRatioToDefault: referenceCpu / meanCpuUsPerRequest,
    }
  })
}

/** Whether a large fixture's token req/s meets the target against the default's (by {@link ScaleServerFigures.medianRoundRatio}). */
export function meetsScaleTarget(figures: ScaleServerFigures): boolean {
  return figures.medianRoundRatio >= TARGETS.minScaleThroughputRatio
}
