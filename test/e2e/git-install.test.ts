// The package installed from git, as the README says to until it is published: a repository
// made of this working tree's files (what HEAD holds once committed: tracked and new files, none
// git ignores), installed into a new project with `npm install git+file://...`. npm clones it,
// installs its devDependencies and runs its `prepare` script, which builds dist/; the
// project then gets the API (ESM import and CommonJS require), its types, and the bin
// (`npx bigcommerce-mock --port 0`, a sign-in and a token verified).
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { jwtVerify } from 'jose'
import t from 'tap'
import { CliProcess, ROOT } from '../helpers/cli.js'
import { consumerEnv as env, runIn as run } from '../helpers/consumer.js'
import { DEMO } from '../helpers/storefront.js'

const { name } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }
const work = mkdtempSync(join(tmpdir(), 'bc-mock-git-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
// npm installs every devDependency (msw twice, jsdom, ...) to run prepare, which builds the API, the
// bin and the MSW bundles with their declarations: past tap's 120 s on a loaded two-core machine.
t.setTimeout(300_000)
const repo = join(work, 'repo')
const consumer = join(work, 'consumer')

t.test('npm install git+file://: npm builds dist/ with the prepare script', async (t) => {
  const git = (args: string[], cwd: string) =>
    spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd,
      encoding: 'utf8',
    })
  const listed = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT)
  t.equal(listed.status, 0, listed.stderr)
  const files = listed.stdout.split('\0').filter((file) => file !== '' && existsSync(join(ROOT, file)))
  t.notOk(
    files.some((file) => file.startsWith('dist/')),
    'the repository holds no dist/ (git ignores it): the install has to build it',
  )
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true })
    copyFileSync(join(ROOT, file), join(repo, file))
  }
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['commit', '-q', '-m', 'snapshot'],
  ]) {
    const step = git(args, repo)
    t.equal(step.status, 0, `git ${args.join(' ')}\n${step.stderr}`)
  }

  mkdirSync(consumer)
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2))
  const started = Date.now()
  const install = run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', `git+${pathToFileURL(repo).href}`],
    consumer,
    240_000,
  )
  t.equal(install.status, 0, `npm install git+file:// works\n${install.stderr}`)
  t.comment(`installed from git in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const installed = join(consumer, 'node_modules', name)
  for (const built of ['dist/api/index.js', 'dist/api/index.cjs', 'dist/api/index.d.ts', 'dist/api/index.d.cts', 'dist/bin/cli.js']) {
    t.ok(existsSync(join(installed, built)), `the install holds ${built}`)
  }
  t.notOk(existsSync(join(installed, 'server')), 'and only what the tarball would: no sources')
})

t.test('import, require and types of the package installed from git', async (t) => {
  writeFileSync(
    join(consumer, 'esm.mjs'),
    `import { startMockStorefront } from '${name}'
const storefront = await startMockStorefront()
console.log(storefront.mintToken('${DEMO.hs256App.clientId}', ${DEMO.john.id}))
await storefront.close()
`,
  )
  writeFileSync(
    join(consumer, 'cjs.cjs'),
    `const { startMockStorefront } = require('${name}')
startMockStorefront().then(async (storefront) => {
  console.log(storefront.mintToken('${DEMO.hs256App.clientId}', ${DEMO.jane.id}))
  await storefront.close()
})
`,
  )
  const secret = new TextEncoder().encode(DEMO.hs256App.secret)
  for (const [file, customer, nodeArgs] of [
    ['esm.mjs', DEMO.john.id, []],
    ['cjs.cjs', DEMO.jane.id, ['--no-experimental-require-module']],
  ] as const) {
    const result = run(process.execPath, [...nodeArgs, file], consumer)
    t.equal(result.status, 0, `${file}\n${result.stderr}`)
    const { payload } = await jwtVerify(result.stdout.trim(), secret, { audience: DEMO.hs256App.clientId, algorithms: ['HS256'] })
    t.match(payload, { customer: { id: customer } }, `${file}: a verifiable token`)
  }

  writeFileSync(
    join(consumer, 'consumer.ts'),
    `import { startMockStorefront, type RunningMockStorefront } from '${name}'
export const start: () => Promise<RunningMockStorefront> = () => startMockStorefront({ port: 0 })
// @ts-expect-error port is a number
void startMockStorefront({ port: '3100' })
`,
  )
  copyFileSync(join(consumer, 'consumer.ts'), join(consumer, 'consumer-cjs.cts'))
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files: ['consumer.ts', 'consumer-cjs.cts'],
    }),
  )
  const tsc = run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer)
  t.equal(tsc.status, 0, `the types check, ESM and CommonJS\n${tsc.stdout}${tsc.stderr}`)
})

t.test('npx bigcommerce-mock --port 0 from the install: sign in, a token verified', async (t) => {
  const child = spawn('npx', ['--no-install', 'bigcommerce-mock', '--port', '0'], {
    cwd: consumer,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const cli = new CliProcess(child)
  t.teardown(async () => {
    if (cli.exit) return
    process.kill(-child.pid!, 'SIGKILL')
    await cli.exited
  })
  const url = await cli.url(30_000)
  const signIn = await fetch(`${url}/login.php?action=check_login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }),
  })
  t.equal(signIn.status, 302)
  const cookie = signIn.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ')
  const answer = await fetch(`${url}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { headers: { cookie } })
  t.equal(answer.status, 200)
  const { payload } = await jwtVerify(await answer.text(), new TextEncoder().encode(DEMO.hs512App.secret), {
    audience: DEMO.hs512App.clientId,
    algorithms: ['HS512'],
  })
  t.match(payload, { customer: { id: DEMO.john.id, email: DEMO.john.email } })
  t.equal((await fetch(`${url}/__mock/assets/current-customer.js`)).status, 200, 'the page script is in the install')
  process.kill(-child.pid!, 'SIGTERM')
  t.ok(await cli.waitForExit(10_000), 'SIGTERM ends it')
})
