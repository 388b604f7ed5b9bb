// The package as a consumer gets it: `npm pack`, then `npm install --engine-strict` of the
// tarball into an empty project (runtime dependencies only, from the local npm cache where it
// can), then the bin as a real process (`npx bigcommerce-mock`, --watch's worker included, and its end
// when the program that started it through npx is killed by SIGKILL), an
// ESM import of the ESM build, a CommonJS require of the CommonJS build (with Node's
// require(esm) turned off, so nothing it loads may be ESM), and `tsc --noEmit` over a small
// typed consumer (ESM and CommonJS, `module` node16 and nodenext), with the TypeScript of this
// project's devDependencies. Runs on the Node that runs the suite; .ci/run runs it on every
// Node line `engines` admits.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jwtVerify } from 'jose'
import semver from 'semver'
import t from 'tap'
import { inCi } from '../helpers/chromium.js'
import { CliProcess, ensureBuilt, ROOT } from '../helpers/cli.js'
import { consumerEnv as env, packTarball, runIn as run, startNpxMock } from '../helpers/consumer.js'
import { connectTo, killAll, processTree, waitUntilGone } from '../helpers/process-tree.js'
import { DEMO } from '../helpers/storefront.js'

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  version: string
  engines: { node: string }
  dependencies: Record<string, string>
}

if (!semver.satisfies(process.version, manifest.engines.node)) {
  const message = `Node ${process.version} is not one engines.node (${manifest.engines.node}) admits, so the packed package cannot be installed with --engine-strict here: run the suite on Node 22.13+ or 24 (.ci/run does both)`
  if (inCi()) t.fail(`CI is set, so this test must run, but ${message}`)
  else {
    process.stderr.write(`SKIPPED ${message}\n`)
    t.plan(0, message)
  }
} else {
  ensureBuilt()
  const work = mkdtempSync(join(tmpdir(), 'bc-mock-packed-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const consumer = join(work, 'consumer')

  t.test('npm pack: only what runs', async (t) => {
    const info = packTarball(work)
    const files = info.files.map((file) => file.path)
    // Only what runs: the bundles (the API's two builds and their types, the bin), the page
    // script and icon, the OpenAPI documents and the default fixtures, and the package's own three files.
    const bundleBytes = info.files
      .filter((file) => /^dist\/(api|bin|msw)\/.*\.c?js$/.test(file.path))
      .reduce((sum, file) => sum + file.size, 0)
    t.comment(
      `tarball: ${info.entryCount} files, ${(info.size / 1024).toFixed(1)} KiB packed, ${(info.unpackedSize / 1024).toFixed(1)} KiB unpacked; bundles ${(bundleBytes / 1024).toFixed(1)} KiB`,
    )
    t.same(
      files.filter(
        (file) =>
          !/^dist\/(api|bin|msw)\/[\w.-]+\.(js|cjs|d\.ts|d\.cts)$|^dist\/assets\/[\w.-]+\.(js|svg)$|^(openapi|fixtures)\/[\w.-]+\.yaml$/.test(
            file,
          ),
      ),
      ['LICENSE', 'README.md', 'package.json'],
      'nothing but the bundles, the page script and icon, the OpenAPI documents, the fixtures, LICENSE, README and package.json',
    )
    t.ok(
      info.entryCount <= 48,
      `${info.entryCount} files (the bundles are a few files each, not one per source module, of which there are over 130)`,
    )
    for (const needed of [
      'dist/api/index.js',
      'dist/api/index.cjs',
      'dist/api/index.d.ts',
      'dist/api/index.d.cts',
      'dist/bin/cli.js',
      'dist/bin/reload-worker.js',
      'dist/msw/index.js',
      'dist/msw/index.cjs',
      'dist/msw/index.d.ts',
      'dist/msw/index.d.cts',
      'dist/msw/browser.js',
      'dist/assets/current-customer.js',
      'dist/assets/favicon.svg',
      'openapi/current-customer.yaml',
      'openapi/mock-control.yaml',
      'fixtures/store.yaml',
    ]) {
      t.ok(files.includes(needed), `ships ${needed}`)
    }

    mkdirSync(consumer)
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2),
    )
    const install = run(
      'npm',
      ['install', '--engine-strict', '--prefer-offline', '--no-audit', '--no-fund', join(work, info.filename)],
      consumer,
      120_000,
    )
    t.equal(install.status, 0, `npm install --engine-strict of the tarball works on Node ${process.version}\n${install.stderr}`)
    // npm 11 lists the `prepare` script (which builds an install from git) of a package from a
    // file as "not yet covered by allowScripts", though it runs it only for git and folder
    // installs; from the registry it is not listed. That notice, about that script, is the only one allowed.
    const notice =
      /^npm warn install-scripts(\s*$| 1 package has install scripts| Run `npm install-scripts| {3}bigcommerce-mock-storefront@[\d.]+ \(prepare: node scripts\/build\.mjs\)$)/
    t.same(
      install.stderr.split('\n').filter((line) => /warn/i.test(line) && !notice.test(line)),
      [],
      'and prints no warning',
    )
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules', manifest.name, 'package.json'), 'utf8')) as { version: string }
    t.equal(installed.version, manifest.version)
    const tree = run('npm', ['ls', '--all', '--omit=dev', '--parseable'], consumer)
    const names = tree.stdout.split('\n').filter(Boolean)
    t.notOk(
      names.some((dir) => /node_modules\/(tap|typescript|autocannon|playwright-core|@playwright\/test)$/.test(dir)),
      'no dev dependency came along',
    )
  })

  t.test('npx bigcommerce-mock --port 0: sign in, fetch the token, verify it with jose', async (t) => {
    // The bin npm linked, run directly (npx is exercised below).
    const bin = join(consumer, 'node_modules', '.bin', 'bigcommerce-mock')
    const version = run(bin, ['--version'], consumer)
    t.equal(version.stdout, `${manifest.version}\n`, version.stderr)
    const help = run(bin, ['--help'], consumer)
    t.match(help.stdout, /^Usage: bigcommerce-mock \[flags\]/)

    const cli = startNpxMock(consumer, ['--port', '0', '--ready-json'], (fn) => t.teardown(fn))
    await cli.url(30_000)
    const ready = JSON.parse(cli.stdout.slice(0, cli.stdout.indexOf('\n'))) as { url: string; port: number }
    t.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/)

    const signIn = await fetch(`${ready.url}/login.php?action=check_login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }),
    })
    t.equal(signIn.status, 302)
    t.equal(signIn.headers.get('location'), '/account.php')
    const cookie = signIn.headers
      .getSetCookie()
      .map((value) => value.split(';')[0])
      .join('; ')
    const answer = await fetch(`${ready.url}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { headers: { cookie } })
    t.equal(answer.status, 200)
    const { payload, protectedHeader } = await jwtVerify(await answer.text(), new TextEncoder().encode(DEMO.hs512App.secret), {
      audience: DEMO.hs512App.clientId,
      algorithms: ['HS512'],
    })
    t.same(protectedHeader, { typ: 'JWT', alg: 'HS512' })
    t.match(payload, { customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: '6' }, store_hash: 'abc123' })

    const script = await fetch(`${ready.url}/__mock/assets/current-customer.js`)
    t.equal(script.status, 200, 'the page script is served from the installed package')
    t.match(await script.text(), /current\.jwt/)
    t.equal((await fetch(`${ready.url}/__mock/openapi.yaml`)).status, 200, 'and the bundled OpenAPI document')

    process.kill(-cli.child.pid!, 'SIGTERM')
    const exit = await cli.waitForExit(10_000)
    t.ok(exit, 'SIGTERM ends it')
  })

  t.test('npx bigcommerce-mock under a parent killed by SIGKILL: the pipe npx passed on ends, and so does the mock', async (t) => {
    // The parent holds the mock's stdin pipe and is killed outright; npx (npm exec, then a shell)
    // passes that pipe down to the bin's node process, which ends on its end as on SIGTERM.
    const parent = `
const { spawn } = require('node:child_process')
spawn('npx', ['--no-install', 'bigcommerce-mock', '--port', '0', '--ready-json'], { stdio: ['pipe', 'inherit', 'inherit'] })
`
    const child = spawn(process.execPath, ['-e', parent], {
      cwd: consumer,
      env: { ...env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const cli = new CliProcess(child)
    const seen = new Set([child.pid!])
    t.teardown(() => killAll([...seen]))
    const ready = JSON.parse((await cli.waitForStdout(/^\{"url".*$/m, 30_000, 'the ready line'))[0]) as { port: number; pid: number }
    const tree = processTree(child.pid!)
    for (const pid of [...tree, ready.pid]) seen.add(pid)
    t.ok(tree.includes(ready.pid) && tree.length >= 3, `the parent, npx and the bin's node process, ${ready.pid} (${tree.join(', ')})`)
    child.kill('SIGKILL')
    t.same(await waitUntilGone(tree, 5000), [], 'no process of the tree is left')
    t.equal(await connectTo(ready.port), 'refused', 'the port is free')
  })

  t.test('the bin with --watch: an edit of the fixture file is applied by the shipped worker', async (t) => {
    const fixtures = join(consumer, 'watched.json')
    const store = (email: string) =>
      JSON.stringify({ store_hash: 'abc123', apps: [], customers: [{ id: 1, email, password: 'pw', first_name: 'A', last_name: 'B' }] })
    writeFileSync(fixtures, store('before@example.com'))
    const bin = join(consumer, 'node_modules', '.bin', 'bigcommerce-mock')
    const cli = new CliProcess(
      spawn(bin, ['--port', '0', '--fixtures', fixtures, '--watch'], { cwd: consumer, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    )
    t.teardown(() => {
      cli.child.kill('SIGKILL')
      return cli.exited
    })
    const url = await cli.url(30_000)
    writeFileSync(fixtures, store('after@example.com'))
    let status = 0
    for (
      const deadline = Date.now() + 15_000;
      status !== 302 && Date.now() < deadline;
      await new Promise((resolve) => setTimeout(resolve, 100))
    ) {
      const signIn = await fetch(`${url}/login.php?action=check_login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login_email: 'after@example.com', login_pass: 'pw' }),
      })
      status = signIn.status
    }
    t.equal(status, 302, `the edited fixtures serve: the customer added by the edit signs in\n${cli.stderr}`)
  })

  t.test('import and require from the installed package', async (t) => {
    writeFileSync(
      join(consumer, 'esm.mjs'),
      `import { startMockStorefront, MockError } from '${manifest.name}'
const storefront = await startMockStorefront()
const cookie = storefront.login('john.doe@example.com')
const token = await (await fetch(storefront.url + '/customer/current.jwt?app_client_id=${DEMO.hs256App.clientId}', { headers: { cookie } })).text()
await storefront.close()
let error
try { await startMockStorefront({ port: 'x' }) } catch (e) { error = e }
console.log(JSON.stringify({ token, mockError: error instanceof MockError, field: error.field, file: import.meta.resolve('${manifest.name}') }))
`,
    )
    writeFileSync(
      join(consumer, 'cjs.cjs'),
      `const { startMockStorefront, buildApp, DEFAULTS } = require('${manifest.name}')
const { version } = require('${manifest.name}/package.json')
;(async () => {
  const app = buildApp()
  const home = await app.inject({ url: '/login.php' })
  await app.close()
  const storefront = await startMockStorefront()
  const token = storefront.mintToken('${DEMO.hs256App.clientId}', 4928)
  await storefront.close()
  console.log(JSON.stringify({ token, status: home.statusCode, version, defaultTtl: DEFAULTS.tokenTtl, file: require.resolve('${manifest.name}') }))
})()
`,
    )
    const secret = new TextEncoder().encode(DEMO.hs256App.secret)
    const esm = run(process.execPath, ['esm.mjs'], consumer)
    t.equal(esm.status, 0, esm.stderr)
    const fromImport = JSON.parse(esm.stdout) as { token: string; mockError: boolean; field: string; file: string }
    t.match(fromImport.file, /\/dist\/api\/index\.js$/, 'import loads the ESM build')
    t.match(
      (await jwtVerify(fromImport.token, secret, { audience: DEMO.hs256App.clientId, algorithms: ['HS256'] })).payload,
      { customer: { id: DEMO.john.id } },
      'ESM import: a verifiable token',
    )
    t.match(fromImport, { mockError: true, field: 'port' }, 'and its MockError class')

    // Without require(esm), as in Jest's module system: any ESM module on the way fails ERR_REQUIRE_ESM.
    const cjs = run(process.execPath, ['--no-experimental-require-module', 'cjs.cjs'], consumer)
    t.equal(cjs.status, 0, cjs.stderr)
    t.notMatch(cjs.stderr, /ExperimentalWarning|ERR_/, 'require() of the package: no warning, no error')
    const fromRequire = JSON.parse(cjs.stdout) as { token: string; status: number; version: string; defaultTtl: number; file: string }
    t.match(fromRequire.file, /\/dist\/api\/index\.cjs$/, 'require loads the CommonJS build')
    t.match(
      (await jwtVerify(fromRequire.token, secret, { audience: DEMO.hs256App.clientId, algorithms: ['HS256'] })).payload,
      { customer: { id: DEMO.jane.id } },
      'CommonJS require: a verifiable token',
    )
    t.match(fromRequire, { status: 200, version: manifest.version, defaultTtl: 900 })
  })

  t.test("each build finds the package's files and loads what only some runs need", async (t) => {
    // What every build must find from wherever its code landed (import.meta.url, or the CommonJS
    // build's stand-in for it): the page script, the OpenAPI document, the --watch worker; and
    // what it loads on first use: ajv (the control API's validation), pino-pretty, selfsigned.
    const probe = `async function probe({ startMockStorefront }, fs, os, path, stream) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-mock-probe-'))
  const https = await startMockStorefront({ https: true, certCacheDir: dir })
  const result = { https: https.url.startsWith('https://') }
  await https.close()
  const fixtures = path.join(dir, 'store.json')
  const store = (email) => JSON.stringify({ store_hash: 'abc123', apps: [], customers: [{ id: 1, email, password: 'pw', first_name: 'A', last_name: 'B' }] })
  fs.writeFileSync(fixtures, store('before@example.com'))
  let log = ''
  const logStream = new stream.Writable({ write(chunk, _encoding, done) { log += chunk; done() } })
  const storefront = await startMockStorefront({ fixtures, watch: true, logFormat: 'pretty', logLevel: 'info', logStream })
  const status = async (url, init) => (await fetch(storefront.url + url, init)).status
  result.asset = await status('/__mock/assets/current-customer.js')
  result.openapi = await status('/__mock/openapi.yaml')
  result.invalid = await status('/__mock/customers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":1}' })
  fs.writeFileSync(fixtures, store('after@example.com'))
  result.reloaded = false
  for (const deadline = Date.now() + 15000; !result.reloaded && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    try { storefront.login('after@example.com'); result.reloaded = true } catch {}
  }
  result.pretty = /GET \\/__mock\\/openapi\\.yaml/.test(log) && !log.trimStart().startsWith('{')
  await storefront.close()
  fs.rmSync(dir, { recursive: true, force: true })
  return result
}
`
    writeFileSync(
      join(consumer, 'probe.mjs'),
      `import fs from 'node:fs'\nimport os from 'node:os'\nimport path from 'node:path'\nimport stream from 'node:stream'\nimport * as mock from '${manifest.name}'\n${probe}console.log(JSON.stringify(await probe(mock, fs, os, path, stream)))\n`,
    )
    writeFileSync(
      join(consumer, 'probe.cjs'),
      `${probe}probe(require('${manifest.name}'), require('node:fs'), require('node:os'), require('node:path'), require('node:stream')).then((result) => console.log(JSON.stringify(result)))\n`,
    )
    for (const [file, nodeArgs] of [
      ['probe.mjs', []],
      ['probe.cjs', ['--no-experimental-require-module']],
    ] as const) {
      const result = run(process.execPath, [...nodeArgs, file], consumer)
      t.equal(result.status, 0, `${file}\n${result.stderr}`)
      t.same(
        JSON.parse(result.stdout),
        { https: true, asset: 200, openapi: 200, invalid: 400, reloaded: true, pretty: true },
        `${file}: a generated certificate, the page script, the OpenAPI document, a validation error, a --watch reload, pretty logs`,
      )
    }
  })

  t.test('tsc --noEmit over a typed consumer, ESM and CommonJS', async (t) => {
    const types = `
import { startMockStorefront, buildApp, MockError, FixtureError, type MockStorefrontOptions, type RunningMockStorefront, type CurrentCustomerClaims } from '${manifest.name}'

export async function check(): Promise<number> {
  const options: MockStorefrontOptions = { port: 0, logLevel: 'silent', logFormat: 'json', latency: { min: 1, max: 5 }, fixtures: { store_hash: 'abc123', apps: [], customers: [] } }
  const storefront: RunningMockStorefront = await startMockStorefront(options)
  const cookie: string = storefront.login('john.doe@example.com')
  const url: string = await storefront.customerLoginUrl('id', 4927, '/cart.php')
  const claims: CurrentCustomerClaims | undefined = undefined
  const app = buildApp({ now: 1480831863 })
  const response = await app.inject({ url: '/login.php' })
  // @ts-expect-error port is a number
  await startMockStorefront({ port: '3100' })
  // @ts-expect-error no such log format
  buildApp({ logFormat: 'xml' })
  const error: unknown = new Error()
  if (error instanceof MockError) console.log(error.field)
  if (error instanceof FixtureError) console.log(error.problems.length)
  await storefront.close()
  return response.statusCode + cookie.length + url.length + (claims ? 1 : 0)
}
`
    writeFileSync(join(consumer, 'consumer.ts'), types)
    writeFileSync(join(consumer, 'consumer-cjs.cts'), types)
    for (const module of ['nodenext', 'node16']) {
      writeFileSync(
        join(consumer, `tsconfig.${module}.json`),
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution: module,
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [join(ROOT, 'node_modules', '@types')],
          },
          files: ['consumer.ts', 'consumer-cjs.cts'],
        }),
      )
      // The @ts-expect-error lines make this fail if the types were missing or \`any\` (TS2578).
      const tsc = run(
        process.execPath,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${module}.json`, '--listFiles'],
        consumer,
      )
      const listed = tsc.stdout.split('\n').map((file) => file.replaceAll('\\', '/'))
      const errors = listed.filter((line) => /error TS\d+/.test(line)).join('\n')
      t.equal(tsc.status, 0, `module ${module}: the package's types check in both module kinds\n${errors}${tsc.stderr}`)
      t.ok(
        listed.some((file) => file.endsWith(`node_modules/${manifest.name}/dist/api/index.d.ts`)) &&
          listed.some((file) => file.endsWith(`node_modules/${manifest.name}/dist/api/index.d.cts`)),
        `module ${module}: the ESM consumer reads index.d.ts and the CommonJS one index.d.cts`,
      )
    }
  })

  t.test('bigcommerce-mock-storefront/msw, with msw installed beside it', async (t) => {
    // Everything above ran without msw (an optional peer dependency); now the project adds it.
    const mswVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'msw', 'package.json'), 'utf8')) as { version: string }).version
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `msw@${mswVersion}`], consumer, 120_000)
    t.equal(install.status, 0, `npm install msw@${mswVersion}\n${install.stderr}`)
    const script = (load: string) => `${load}
const { handlers, storefront } = createMockStorefrontHandlers({ now: Math.floor(Date.now() / 1000) })
const server = setupServer(...handlers)
server.listen({ onUnhandledRequest: 'error', onUnhandledFrame: 'error' })
storefront.login('john.doe@example.com')
const token = await (await fetch('http://shop.test/customer/current.jwt?app_client_id=${DEMO.hs256App.clientId}')).text()
server.close()
console.log(JSON.stringify({ token, requests: storefront.requests().length, file: RESOLVED }))
`
    writeFileSync(
      join(consumer, 'msw.mjs'),
      script(
        `import { createMockStorefrontHandlers } from '${manifest.name}/msw'\nimport { setupServer } from 'msw/node'\nconst RESOLVED = import.meta.resolve('${manifest.name}/msw')`,
      ),
    )
    writeFileSync(
      join(consumer, 'msw.cjs'),
      `;(async () => {\n${script(`const { createMockStorefrontHandlers } = require('${manifest.name}/msw')\nconst { setupServer } = require('msw/node')\nconst RESOLVED = require.resolve('${manifest.name}/msw')`)}})()\n`,
    )
    const secret = new TextEncoder().encode(DEMO.hs256App.secret)
    for (const [file, build] of [
      ['msw.mjs', /\/dist\/msw\/index\.js$/],
      ['msw.cjs', /\/dist\/msw\/index\.cjs$/],
    ] as const) {
      const result = run(process.execPath, [file], consumer)
      t.equal(result.status, 0, `${file}\n${result.stderr}`)
      const out = JSON.parse(result.stdout) as { token: string; requests: number; file: string }
      t.match(out.file, build, `${file} loads ${String(build)}`)
      t.match(
        (await jwtVerify(out.token, secret, { audience: DEMO.hs256App.clientId, algorithms: ['HS256'] })).payload,
        { customer: { id: DEMO.john.id } },
        `${file}: the handlers' token verifies with jose`,
      )
      t.equal(out.requests, 1, 'and is in the request log')
    }
  })
}
