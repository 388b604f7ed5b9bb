// `npm run mock` as a real subprocess (`node dist/bin/cli.js`) that starts and serves, over
// real sockets. The ways it refuses to start are in errors.test.ts.
import t, { type Test } from 'tap'
import { stringify as toYaml } from 'yaml'
import { jwtVerify } from 'jose'
import { DEMO } from '../helpers/storefront.js'
import { Browser } from '../helpers/browser.js'
import { ensureBuilt, freePort, isListening, spawnCli, type CliProcess } from '../helpers/cli.js'
import { SECRETS, testDocument, writeTemp } from '../helpers/fixture-docs.js'
import { checkToken, decodeToken, type AppUnderTest } from '../helpers/tokens.js'

const HS512: AppUnderTest = { clientId: DEMO.hs512App.clientId, secret: DEMO.hs512App.secret, algorithm: 'HS512' }
const HS256: AppUnderTest = { clientId: DEMO.hs256App.clientId, secret: DEMO.hs256App.secret, algorithm: 'HS256' }
const SEED_NOW = 1480831863

t.before(ensureBuilt)

/** Sign in through the form like a browser and answer the token for `clientId`. */
async function signInAndFetchToken(t: Test, url: string, clientId = HS512.clientId): Promise<string> {
  const browser = new Browser(url)
  const form = await browser.fetch('/login.php')
  t.equal(form.status, 200, 'the sign-in form over a real socket')
  const action = /<form\b[^>]*action="([^"]+)"/.exec(await form.text())?.[1]
  t.equal(action, '/login.php?action=check_login', 'the form posts to check_login')
  const login = await browser.fetch(action!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString(),
  })
  t.equal(login.status, 302)
  t.equal(login.headers.get('location'), '/account.php')
  t.same([...browser.jar.keys()].sort(), ['SHOP_SESSION_TOKEN', 'SHOP_TOKEN'], 'both cookies set')
  const account = await browser.fetch(login.headers.get('location')!)
  t.equal(account.status, 200)
  t.match(await account.text(), DEMO.john.email, 'the account page shows the customer')
  const response = await browser.fetch(`/customer/current.jwt?app_client_id=${clientId}`)
  t.equal(response.status, 200)
  t.match(response.headers.get('content-type'), /^text\/plain/)
  t.match(response.headers.get('cache-control'), /no-store/)
  return response.text()
}

/** Send a signal; it must exit 0 promptly and free its port. */
async function stopWith(t: Test, cli: CliProcess, url: string, signal: NodeJS.Signals): Promise<void> {
  const started = Date.now()
  cli.child.kill(signal)
  const exit = await cli.waitForExit(5000)
  t.same(exit, { code: 0, signal: null }, `${signal}: exit code 0`)
  t.ok(Date.now() - started < 3000, `${signal}: within 3 s (${Date.now() - started} ms)`)
  t.notOk(await isListening(Number(new URL(url).port)), `${signal}: the port is free again`)
}

t.test('--port 0: banner, sign in through the form, token verified, SIGINT', async (t) => {
  const cli = spawnCli(t, ['--port', '0'])
  const url = await cli.url()
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the banner prints the real URL')
  t.not(new URL(url).port, '0')

  t.test('the banner lists client ids and demo sign-ins, never a secret', async (t) => {
    const output = cli.stdout
    t.equal(output.match(/listening on/g)?.length, 1, 'one banner')
    t.match(output, DEMO.hs512App.clientId)
    t.match(output, DEMO.hs256App.clientId)
    t.match(output, DEMO.john.email)
    t.match(output, DEMO.john.password, 'the demo password to sign in with')
    t.notMatch(output + cli.stderr, DEMO.hs512App.secret, 'no HS512 client secret')
    t.notMatch(output + cli.stderr, DEMO.hs256App.secret, 'no HS256 client secret')
  })

  t.test('form sign-in and a token that jose verifies', async (t) => {
    const token = await signInAndFetchToken(t, url)
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(DEMO.hs512App.secret), {
      algorithms: ['HS512'],
      audience: DEMO.hs512App.clientId,
    })
    t.same(protectedHeader, { typ: 'JWT', alg: 'HS512' })
    t.match(payload, { customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: '6' }, iss: 'bc/apps', sub: 'abc123' })
    await checkToken(t, token, HS512)
    const hs256 = await signInAndFetchToken(t, url, HS256.clientId)
    await checkToken(t, hs256, HS256)
    await new Promise((resolve) => setTimeout(resolve, 100))
    for (const secret of [token, hs256, token.split('.')[2]!]) t.notMatch(cli.stdout + cli.stderr, secret, 'tokens never appear in the log')
  })

  t.test('the checkout SDK Accept, logout, then a guest', async (t) => {
    const browser = new Browser(url)
    t.equal((await browser.signIn(DEMO.jane.email, DEMO.jane.password)).status, 302)
    const sdk = await browser.fetch(`/customer/current.jwt?app_client_id=${HS256.clientId}`, {
      headers: { accept: 'application/json, text/plain, */*' },
    })
    t.equal(sdk.status, 200)
    t.match(sdk.headers.get('content-type'), /^application\/json/)
    const claims = await checkToken(t, ((await sdk.json()) as { token: string }).token, HS256)
    t.equal(claims.customer.id, DEMO.jane.id)
    const logout = await browser.fetch('/login.php?action=logout')
    t.equal(logout.status, 302)
    t.equal(logout.headers.get('location'), '/')
    t.equal(browser.jar.size, 0, 'logout cleared the cookies in the browser')
    const guest = await browser.fetch(`/customer/current.jwt?app_client_id=${HS256.clientId}`)
    t.equal(guest.status, 404)
    t.match(await guest.text(), /errors/)
  })

  t.test('SIGINT with a kept-alive connection open', async (t) => {
    const browser = new Browser(url)
    await browser.signIn(DEMO.john.email, DEMO.john.password)
    const response = await browser.fetch(`/customer/current.jwt?app_client_id=${HS512.clientId}`)
    t.equal(response.status, 200)
    await checkToken(t, await response.text(), HS512)
    await stopWith(t, cli, url, 'SIGINT')
  })
})

t.test(`--now ${SEED_NOW}: the seed example's claims; SIGTERM`, async (t) => {
  const cli = spawnCli(t, ['--port', '0', '--now', String(SEED_NOW)])
  const url = await cli.url()
  t.match(cli.stdout, /frozen at 1480831863/, 'the banner says the clock is frozen')
  const token = await signInAndFetchToken(t, url)
  const claims = await checkToken(t, token, HS512, SEED_NOW)
  t.equal(claims.iat, SEED_NOW, 'iat is --now')
  t.same(decodeToken(token).claims, {
    customer: { id: 4927, email: 'john.doe@example.com', group_id: '6' },
    iss: 'bc/apps',
    sub: 'abc123',
    iat: SEED_NOW,
    exp: SEED_NOW + 900,
    version: 1,
    aud: DEMO.hs512App.clientId,
    application_id: DEMO.hs512App.clientId,
    store_hash: 'abc123',
    operation: 'current_customer',
  })
  await stopWith(t, cli, url, 'SIGTERM')
})

t.test('environment variables', async (t) => {
  t.test('BC_MOCK_PORT, BC_MOCK_NOW, BC_MOCK_TOKEN_TTL', async (t) => {
    const port = await freePort()
    const cli = spawnCli(t, [], { BC_MOCK_PORT: String(port), BC_MOCK_NOW: String(SEED_NOW), BC_MOCK_TOKEN_TTL: '600' })
    const url = await cli.url()
    t.equal(new URL(url).port, String(port), 'BC_MOCK_PORT')
    const claims = await checkToken(t, await signInAndFetchToken(t, url), HS512, SEED_NOW)
    t.equal(claims.iat, SEED_NOW, 'BC_MOCK_NOW')
    t.equal(claims.exp - claims.iat, 600, 'BC_MOCK_TOKEN_TTL')
  })

  t.test('PORT', async (t) => {
    const port = await freePort()
    const cli = spawnCli(t, [], { PORT: String(port) })
    t.equal(new URL(await cli.url()).port, String(port))
  })

  t.test('flags win over the environment', async (t) => {
    const [flagPort, envPort] = [await freePort(), await freePort()]
    const cli = spawnCli(t, ['--port', String(flagPort), '--now', '1500000000', '--token-ttl', '120'], {
      BC_MOCK_PORT: String(envPort),
      PORT: String(envPort),
      BC_MOCK_NOW: String(SEED_NOW),
      BC_MOCK_TOKEN_TTL: '600',
    })
    const url = await cli.url()
    t.equal(new URL(url).port, String(flagPort), '--port beats BC_MOCK_PORT and PORT')
    const claims = await checkToken(t, await signInAndFetchToken(t, url), HS512, 1500000000)
    t.equal(claims.iat, 1500000000, '--now beats BC_MOCK_NOW')
    t.equal(claims.exp - claims.iat, 120, '--token-ttl beats BC_MOCK_TOKEN_TTL')
  })
})

t.test('--fixtures: its apps and customers; --token-ttl only for apps without token_ttl', async (t) => {
  const file = writeTemp(t, 'store.yaml', toYaml(testDocument()))
  const cli = spawnCli(t, ['--port', '0', '--fixtures', file, '--token-ttl', '60'])
  const browser = new Browser(await cli.url())
  for (const id of ['app-hs512', 'app-hs256', 'app-hs384']) t.match(cli.stdout, id, `the banner lists ${id}`)
  t.match(cli.stdout, 'alice@example.com', 'and the sign-ins')
  for (const secret of [SECRETS.hs512, SECRETS.hs256, SECRETS.hs384]) t.notMatch(cli.stdout + cli.stderr, secret, 'never a client secret')

  t.equal((await browser.signIn('alice@example.com', SECRETS.password)).status, 302)
  const hs512 = await (await browser.fetch('/customer/current.jwt?app_client_id=app-hs512')).text()
  const hs256 = await (await browser.fetch('/customer/current.jwt?app_client_id=app-hs256')).text()
  const hs384 = await (await browser.fetch('/customer/current.jwt?app_client_id=app-hs384')).text()
  const a = await checkToken(t, hs512, { clientId: 'app-hs512', secret: SECRETS.hs512, algorithm: 'HS512' })
  const b = await checkToken(t, hs256, { clientId: 'app-hs256', secret: SECRETS.hs256, algorithm: 'HS256' })
  const c = await checkToken(t, hs384, { clientId: 'app-hs384', secret: SECRETS.hs384, algorithm: 'HS384' })
  t.equal(a.exp - a.iat, 60, '--token-ttl for an app without token_ttl')
  t.equal(b.exp - b.iat, 300, "the app's own token_ttl")
  t.equal(c.customer.group_id, '9', "the app's group_id")
  t.equal(a.store_hash, 'teststore1')
})
