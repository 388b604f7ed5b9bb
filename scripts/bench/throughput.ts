import type { ChildProcesses } from './children.js'
import type { BenchConfig } from './config.js'
import { DEMO } from './demo.js'
import { runLoad, type LoadSample, type LoadTarget } from './load.js'
import type { Progress } from './progress.js'
import { summariseThroughput, type ThroughputResults } from './results.js'
import { startServer } from './servers.js'
import { checkTokenResponse, signInWithForm } from './session.js'

/**
 * The throughput section (issue 2 point 11): the mock's token endpoint and a bare Fastify
 * route, both `--log-level silent`, in interleaved rounds (bare, then token), after an
 * unrecorded warm-up of each.
 */
export async function measureThroughput(children: ChildProcesses, config: BenchConfig, progress: Progress): Promise<ThroughputResults> {
  progress('starting the mock and the bare Fastify server (--log-level silent)')
  const [mock, bare] = await Promise.all([startServer(children, 'mock', 'silent'), startServer(children, 'bare', 'silent')])
  try {
    const cookie = await signInWithForm(mock.baseUrl, DEMO.email, DEMO.password)
    const tokenPath = `/customer/current.jwt?app_client_id=${DEMO.clientId}`
    await checkTokenResponse(mock.baseUrl + tokenPath, cookie, { clientId: DEMO.clientId, customerId: DEMO.customerId })
    progress(`signed in as ${DEMO.email}; GET ${tokenPath} answers 200 with a token for customer ${DEMO.customerId}`)

    const bareTarget: LoadTarget = { name: 'bare', url: `${bare.baseUrl}/hello`, headers: {}, serverPid: bare.child.process.pid }
    const tokenTarget: LoadTarget = { name: 'token', url: mock.baseUrl + tokenPath, headers: { cookie }, serverPid: mock.child.process.pid }
    const load = { connections: config.connections, pipelining: config.pipelining }

    let warmup: { bare: LoadSample; token: LoadSample } | null = null
    if (config.warmupSeconds > 0) {
      progress(`warm-up: ${config.warmupSeconds} s on each, not recorded`)
      const bareWarm = await runLoad(bareTarget, { ...load, seconds: config.warmupSeconds })
      const tokenWarm = await runLoad(tokenTarget, { ...load, seconds: config.warmupSeconds })
      warmup = { bare: bareWarm, token: tokenWarm }
    }

    const bareRounds: LoadSample[] = []
    const tokenRounds: LoadSample[] = []
    for (let round = 1; round <= config.rounds; round++) {
      const bareSample = await runLoad(bareTarget, { ...load, seconds: config.seconds })
      bareRounds.push(bareSample)
      const tokenSample = await runLoad(tokenTarget, { ...load, seconds: config.seconds })
      tokenRounds.push(tokenSample)
      progress(`  round ${round}/${config.rounds}: bare ${bareSample.reqPerSec.toFixed(0)} req/s (non-2xx ${bareSample.non2xx}, errors ${bareSample.errors}), token ${tokenSample.reqPerSec.toFixed(0)} req/s (non-2xx ${tokenSample.non2xx}, errors ${tokenSample.errors})`)
    }
    return summariseThroughput({ bareRequest: 'GET /hello', tokenRequest: `GET ${tokenPath}`, bareRounds, tokenRounds, warmup })
  } finally {
    await Promise.all([mock.child.stop(), bare.child.stop()])
  }
}
