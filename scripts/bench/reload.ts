import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir, removeTempDir, startServer } from './children.js'
import { num } from './figures.js'
import { int } from './knobs.js'
import { PACKAGE_ROOT } from './paths.js'
import { runLoad, sampleProblems } from './run-load.js'
import { target, type Section } from './section.js'
import { checkToken, DEMO, health, signIn, TOKEN_PATH } from './storefront.js'

/**
 * Reload under load: the mock with `--watch` serves the token route to autocannon (10
 * connections) while its fixture file is saved with `generate.customers` set high; the load
 * runs from before the save until after the new store is in. Target: p99 of the token route
 * over that window <= 100 ms (the reload happens in a worker thread). Knobs:
 * `BENCH_RELOAD_CUSTOMERS` (1,000,000), `BENCH_RELOAD_SECONDS` (length of the load, 30; the reload must finish within it).
 */
export const reload: Section = {
  name: 'reload',
  prepare() {
    const settings = { customers: int('BENCH_RELOAD_CUSTOMERS', 1_000_000), seconds: int('BENCH_RELOAD_SECONDS', 30), connections: 10 }
    const run = async () => {
      const dir = makeTempDir('bc-mock-bench-reload-')
      try {
        const file = join(dir, 'store.yaml')
        copyFileSync(join(PACKAGE_ROOT, 'fixtures', 'store.yaml'), file)
        const mock = await startServer('mock', ['--log-level', 'silent', '--fixtures', file, '--watch'])
        const cookie = await signIn(mock.url, DEMO.email, DEMO.password)
        await checkToken(mock.url, cookie, DEMO.customerId)
        const before = (await health(mock.url)).customers
        const expected = before - 25 + settings.customers
        const loading = runLoad(
          { url: mock.url + TOKEN_PATH, headers: { cookie }, server: mock },
          { seconds: settings.seconds },
          settings.connections,
        )
        await new Promise((resolve) => setTimeout(resolve, 1000))
        const savedAt = performance.now()
        const text = readFileSync(file, 'utf8').replace(/customers: 25\b/, `customers: ${settings.customers}`)
        writeFileSync(file, text)
        let reloadMs = Number.NaN
        while (performance.now() - savedAt < settings.seconds * 1000 - 1500) {
          await new Promise((resolve) => setTimeout(resolve, 100))
          if ((await health(mock.url)).customers === expected) {
            reloadMs = performance.now() - savedAt
            break
          }
        }
        const sample = await loading
        await mock.stop()
        const problems = [
          ...sampleProblems('token during reload', sample),
          ...(Number.isNaN(reloadMs) ? [`the reload did not finish within the ${settings.seconds} s of load`] : []),
        ]
        const report = [
          `RELOAD  --watch save of generate.customers: ${settings.customers} while autocannon (${settings.connections} connections) loads GET ${TOKEN_PATH}`,
          `  reload took ${num(reloadMs)} ms (save to the new store answering); token ${num(sample.reqPerSec)} req/s, p50 ${num(sample.p50Ms)} ms, p99 ${num(sample.p99Ms)} ms over ${num(sample.seconds, 1)} s`,
        ].join('\n')
        return {
          results: { reloadMs, sample, customers: settings.customers },
          report,
          targets: [target('token p99 during a big --watch reload, ms', sample.p99Ms, '<=', 100, (value) => num(value))],
          problems,
        }
      } finally {
        removeTempDir(dir)
      }
    }
    return { settings, run }
  },
}
