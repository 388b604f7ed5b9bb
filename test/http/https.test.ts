// --https: TLS on the same port, a generated certificate kept and reused (or the developer's own
// pair), production's cookie attributes, and the same front-end integration and bounded close as
// over plain http. Everything goes over real sockets that trust only the mock's certificate.
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { connect as netConnect, type Socket } from 'node:net'
import { dirname, join, sep } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { jwtVerify } from 'jose'
import jwt from 'jsonwebtoken'
import t, { type Test } from 'tap'
import WebSocket, { WebSocketServer } from 'ws'
import {
  buildApp,
  ERRORS,
  INVALID_LOGIN,
  LOGIN_FLASH_COOKIE,
  MockError,
  SESSION_COOKIE,
  SHOP_TOKEN_COOKIE,
  startMockStorefront,
} from '../../server/index.js'
import { composeApp } from '../../server/build-app.js'
import { SERVER_TIMEOUTS } from '../../server/http/limits.js'
import { resolveTlsCertificate } from '../../server/http/tls-certificate.js'
import { resolveOptions } from '../../server/options/resolve.js'
import { ensureBuilt, spawnCli, runCli } from '../helpers/cli.js'
import { LEVEL, LogCapture } from '../helpers/log-capture.js'
import { DEMO } from '../helpers/storefront.js'
import {
  bannerOf,
  developerCertificate,
  fetchFromChildNode,
  keyMaterial,
  peerCertificate,
  readyLine,
  request,
  tempDir,
  type Answer,
} from '../helpers/tls.js'
import { cookieHeaderOf, parseSetCookie } from '../helpers/session.js'
import { rawExchange } from '../helpers/raw-http.js'
import { listenUpstream, wsText } from '../helpers/upstream.js'

ensureBuilt()

const SECURE_SESSION = ['HttpOnly', 'Path=/', 'SameSite=None', 'Secure']
const LAX_SESSION = ['HttpOnly', 'Path=/', 'SameSite=Lax']
const EPOCH_EXPIRES = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT'

/** A clearing Set-Cookie line's attributes, sorted, without the `Expires`/`Max-Age=0` that expire it (checked on their own). */
function clearedAttributesOf(line: string): string[] {
  return attributesOf(line).filter((attribute) => attribute !== 'Max-Age=0')
}

/** A Set-Cookie line's attributes, sorted, without `Expires` (checked on its own where it matters). */
function attributesOf(line: string): string[] {
  return parseSetCookie(line)
    .attributes.filter((attribute) => !attribute.startsWith('Expires='))
    .sort()
}

/** Verify a Current Customer token with the app's secret through two independent libraries; answers the claims. */
async function verifyToken(
  t: Test,
  token: string,
  app: { clientId: string; secret: string } = DEMO.hs512App,
  algorithm: 'HS512' | 'HS256' = 'HS512',
): Promise<Record<string, unknown>> {
  const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(app.secret), {
    algorithms: [algorithm],
    audience: app.clientId,
  })
  t.equal(protectedHeader.alg, algorithm, 'jose: signed with the app algorithm')
  const legacy = jwt.verify(token, app.secret, { algorithms: [algorithm], audience: app.clientId })
  t.not(typeof legacy, 'string', 'jsonwebtoken: verifies to a claims object')
  t.same(legacy, payload, 'jsonwebtoken and jose read the same claims')
  return payload
}

/** The two session cookie lines of a reply, in the order the mock sets them. */
function sessionLines(t: Test, answer: Answer): string[] {
  t.same(
    answer.setCookies.map((line) => parseSetCookie(line).name),
    [SESSION_COOKIE, SHOP_TOKEN_COOKIE],
    'exactly the two session cookies are set',
  )
  return answer.setCookies
}

function signInForm(): { method: string; headers: Record<string, string>; body: string } {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login_email: DEMO.john.email, login_pass: DEMO.john.password }).toString(),
  }
}

/** No line of the private key appears in `output`. */
function assertNoKey(t: Test, output: string, keyPem: string, what: string): void {
  const leaked = keyMaterial(keyPem).filter((line) => output.includes(line))
  t.same(leaked, [], `${what}: no part of the private key`)
}

t.test('CLI --https: a generated certificate, announced, kept with a private key file, and reused', async (t) => {
  const cacheDir = tempDir(t, 'bc-mock-https-cache-')
  const first = spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir])
  const ready = await readyLine(first)
  t.equal(ready.url, `https://127.0.0.1:${ready.port}`, 'the ready line has an https URL')
  t.ok(ready.port > 0)
  t.type(ready.cert_file, 'string', 'the ready line names the certificate file')
  const certFile = String(ready.cert_file)
  t.ok(certFile.startsWith(cacheDir + sep), `kept in the given cache directory (${certFile})`)
  t.match(certFile, /[/\\]tls[/\\][0-9a-f]{16}[/\\]cert\.pem$/)
  const pem = readFileSync(certFile, 'utf8')
  const x509 = new X509Certificate(pem)
  t.equal(ready.fingerprint256, x509.fingerprint256, "the ready line's fingerprint is the file's")
  t.match(ready.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)

  const banner = await bannerOf(first)
  t.match(banner, `listening on ${ready.url}`)
  t.match(banner, `SHA-256 fingerprint ${x509.fingerprint256}`, 'the banner prints the fingerprint')
  t.match(banner, 'Secure; SameSite=None', 'and the cookie attributes https brings')
  t.match(banner, `made and kept in ${certFile}`)
  t.match(banner, `NODE_EXTRA_CA_CERTS=${certFile}`, 'and how Node can trust it')

  t.equal(x509.checkHost('localhost'), 'localhost', 'valid for localhost')
  t.equal(x509.checkIP('127.0.0.1'), '127.0.0.1', 'valid for 127.0.0.1')
  t.equal(x509.checkIP('::1'), '::1', 'valid for ::1')
  t.equal(x509.checkHost('example.com'), undefined, 'not for other names')
  t.notOk(x509.ca, 'a leaf certificate, not a CA')
  t.ok(Date.parse(x509.validTo) > Date.now() + 300 * 86_400_000, `valid for about a year (${x509.validTo})`)

  const keyFile = join(dirname(certFile), 'key.pem')
  t.equal(statSync(keyFile).mode & 0o777, 0o600, 'the key file is readable by its owner only')
  const keyPem = readFileSync(keyFile, 'utf8')
  t.ok(x509.checkPrivateKey(createPrivateKey(keyPem)), 'key.pem is the certificate key')

  const served = await peerCertificate(ready.url, pem)
  t.equal(served.fingerprint256, x509.fingerprint256, 'the port serves that certificate')
  const localhostName = await peerCertificate(ready.url, pem, 'localhost')
  t.equal(localhostName.fingerprint256, x509.fingerprint256, 'and it verifies for the name localhost too')
  const page = await request(`${ready.url}/login.php`, { ca: pem })
  t.equal(page.status, 200, 'a request trusting only that certificate is answered')
  t.match(page.body, /login_email/)

  // Restarted on the same cache directory, here through the environment variables.
  const second = spawnCli(t, ['--port', '0', '--ready-json'], { BC_MOCK_HTTPS: '1', BC_MOCK_CERT_CACHE_DIR: cacheDir })
  const again = await readyLine(second)
  t.match(again.url, /^https:\/\/127\.0\.0\.1:\d+$/, 'BC_MOCK_HTTPS=1 serves https')
  t.equal(again.cert_file, certFile, 'the same file')
  t.equal(again.fingerprint256, x509.fingerprint256, 'the same certificate on the second start')
  const secondBanner = await bannerOf(second)
  t.match(secondBanner, `reused from ${certFile}`, 'the banner says it was reused')
  t.match(secondBanner, `SHA-256 fingerprint ${x509.fingerprint256}`)
  t.equal(readFileSync(keyFile, 'utf8'), keyPem, 'the key was not rewritten')
  t.equal((await peerCertificate(again.url, pem)).fingerprint256, x509.fingerprint256, 'the restarted mock serves it')

  // Another --host: its own certificate, which includes that address.
  const other = spawnCli(t, ['--https', '--host', '127.0.0.2', '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir])
  const otherReady = await readyLine(other)
  t.equal(otherReady.url, `https://127.0.0.2:${otherReady.port}`)
  t.not(otherReady.cert_file, certFile, 'a different certificate file for a different set of names')
  const otherPem = readFileSync(String(otherReady.cert_file), 'utf8')
  const otherX509 = new X509Certificate(otherPem)
  t.equal(otherReady.fingerprint256, otherX509.fingerprint256)
  t.not(otherX509.fingerprint256, x509.fingerprint256)
  t.equal(otherX509.checkIP('127.0.0.2'), '127.0.0.2', 'it covers the --host address')
  t.equal(otherX509.checkHost('localhost'), 'localhost', 'and still localhost')
  t.equal(otherX509.checkIP('127.0.0.1'), '127.0.0.1', 'and 127.0.0.1')
  t.match(await bannerOf(other), /self-signed certificate for localhost, 127\.0\.0\.1, ::1, 127\.0\.0\.2, made and kept in/)
  t.equal((await request(`${otherReady.url}/login.php`, { ca: otherPem })).status, 200, 'https://127.0.0.2 verifies against it')
  t.equal(readdirSync(join(cacheDir, 'tls')).length, 2, 'two cached certificates, one per set of names')

  for (const [name, cli] of [
    ['first', first],
    ['second', second],
    ['other host', other],
  ] as const) {
    assertNoKey(t, cli.stdout + cli.stderr, keyPem, `${name} start's output`)
  }
})

t.test('trusting it as a developer would: NODE_EXTRA_CA_CERTS in a child node', async (t) => {
  const cacheDir = tempDir(t, 'bc-mock-https-trust-')
  const cli = spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir, '--log-level', 'silent'])
  const ready = await readyLine(cli)
  const [trusted, untrusted] = await Promise.all([
    fetchFromChildNode(`${ready.url}/login.php`, { NODE_EXTRA_CA_CERTS: String(ready.cert_file) }),
    fetchFromChildNode(`${ready.url}/login.php`, {}),
  ])
  t.equal(trusted, 'status 200', 'with NODE_EXTRA_CA_CERTS=<cert_file> the fetch succeeds')
  t.match(
    untrusted,
    /^error (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/,
    `without it the fetch fails with a certificate error (${untrusted})`,
  )
})

t.test("a developer's own certificate pair (--cert/--key)", async (t) => {
  const dir = tempDir(t, 'bc-mock-https-pair-')
  const cacheDir = join(dir, 'cache')
  const mine = await developerCertificate(['localhost', '127.0.0.1'], 'my dev cert')
  const stranger = await developerCertificate(['localhost'], 'someone else')
  const certFile = join(dir, 'localhost.pem')
  const keyFile = join(dir, 'localhost-key.pem')
  const strangerKeyFile = join(dir, 'other-key.pem')
  const notPem = join(dir, 'notes.txt')
  const missing = join(dir, 'missing.pem')
  writeFileSync(certFile, mine.cert)
  writeFileSync(keyFile, mine.key, { mode: 0o600 })
  writeFileSync(strangerKeyFile, stranger.key, { mode: 0o600 })
  writeFileSync(notPem, 'this is not a certificate\n')
  const encryptedKeyFile = join(dir, 'encrypted-key.pem')
  writeFileSync(
    encryptedKeyFile,
    createPrivateKey(mine.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'hunter2' }),
  )
  const keys = [mine.key, stranger.key]

  t.test('--cert F --key K serves it (and implies --https)', async (t) => {
    const cli = spawnCli(t, ['--cert', certFile, '--key', keyFile, '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir])
    const ready = await readyLine(cli)
    t.match(ready.url, /^https:\/\/127\.0\.0\.1:\d+$/)
    t.equal(ready.cert_file, certFile, 'the ready line names your file')
    t.equal(ready.fingerprint256, mine.fingerprint256, "the fingerprint is your certificate's")
    const banner = await bannerOf(cli)
    t.match(banner, `HTTPS: your certificate ${certFile} for localhost, 127.0.0.1`, 'the banner says it is yours')
    t.match(banner, `SHA-256 fingerprint ${mine.fingerprint256}`)
    t.notMatch(banner, 'Trust it:', 'no advice to trust a self-signed certificate')
    t.equal((await peerCertificate(ready.url, mine.cert)).fingerprint256, mine.fingerprint256, 'the port serves it')
    const signIn = await request(`${ready.url}/login.php?action=check_login`, { ...signInForm(), ca: mine.cert })
    t.equal(signIn.status, 302)
    for (const line of sessionLines(t, signIn)) t.same(attributesOf(line), SECURE_SESSION, parseSetCookie(line).name)
    t.notOk(existsSync(join(cacheDir, 'tls')), 'nothing is generated or cached')
    for (const key of keys) assertNoKey(t, cli.stdout + cli.stderr, key, 'stdout and stderr (info logs)')
  })

  t.test('BC_MOCK_CERT and BC_MOCK_KEY do the same', async (t) => {
    const cli = spawnCli(t, ['--port', '0', '--ready-json', '--log-level', 'silent'], {
      BC_MOCK_CERT: certFile,
      BC_MOCK_KEY: keyFile,
      BC_MOCK_CERT_CACHE_DIR: cacheDir,
    })
    const ready = await readyLine(cli)
    t.match(ready.url, /^https:/)
    t.equal(ready.fingerprint256, mine.fingerprint256)
    t.equal((await request(`${ready.url}/login.php`, { ca: mine.cert })).status, 200)
  })

  t.test('a bad pair: exit 2, one line naming the flag or variable and the file, nothing listening', async (t) => {
    const ready = ['--port', '0', '--ready-json', '--cert-cache-dir', cacheDir]
    const cases: { name: string; args: string[]; env?: Record<string, string>; label: string; mentions: string[] }[] = [
      {
        name: 'missing certificate file',
        args: ['--cert', missing, '--key', keyFile],
        label: '--cert:',
        mentions: [missing, 'no such file'],
      },
      { name: 'missing key file', args: ['--cert', certFile, '--key', missing], label: '--key:', mentions: [missing, 'no such file'] },
      { name: 'a directory as the certificate', args: ['--cert', dir, '--key', keyFile], label: '--cert:', mentions: [dir, 'directory'] },
      { name: 'a directory as the key', args: ['--cert', certFile, '--key', dir], label: '--key:', mentions: [dir, 'directory'] },
      {
        name: 'a certificate that is not PEM',
        args: ['--cert', notPem, '--key', keyFile],
        label: '--cert:',
        mentions: [notPem, 'not a PEM certificate'],
      },
      {
        name: 'a key that is not PEM',
        args: ['--cert', certFile, '--key', notPem],
        label: '--key:',
        mentions: [notPem, 'not a PEM private key'],
      },
      {
        name: 'a key that is not the certificate',
        args: ['--cert', certFile, '--key', strangerKeyFile],
        label: '--key:',
        mentions: [strangerKeyFile, certFile, 'not the private key'],
      },
      {
        name: 'a key with a passphrase',
        args: ['--cert', certFile, '--key', encryptedKeyFile],
        label: '--key:',
        mentions: [encryptedKeyFile, 'passphrase'],
      },
      {
        name: 'the two swapped',
        args: ['--cert', keyFile, '--key', certFile],
        label: '--cert:',
        mentions: [keyFile, 'not a PEM certificate'],
      },
      { name: '--cert without --key', args: ['--cert', certFile], label: '--key:', mentions: ['missing', '--cert'] },
      { name: '--key without --cert', args: ['--key', keyFile], label: '--cert:', mentions: ['missing', '--key'] },
      {
        name: 'BC_MOCK_CERT names a missing file',
        args: [],
        env: { BC_MOCK_CERT: missing, BC_MOCK_KEY: keyFile },
        label: 'BC_MOCK_CERT:',
        mentions: [missing, 'no such file'],
      },
      {
        name: 'BC_MOCK_KEY is not the key of BC_MOCK_CERT',
        args: [],
        env: { BC_MOCK_CERT: certFile, BC_MOCK_KEY: strangerKeyFile },
        label: 'BC_MOCK_KEY:',
        mentions: [strangerKeyFile, certFile, 'BC_MOCK_CERT'],
      },
      {
        name: 'BC_MOCK_CERT is not PEM',
        args: [],
        env: { BC_MOCK_CERT: notPem, BC_MOCK_KEY: keyFile },
        label: 'BC_MOCK_CERT:',
        mentions: [notPem],
      },
      {
        name: 'BC_MOCK_CERT without a key',
        args: [],
        env: { BC_MOCK_CERT: certFile },
        label: 'BC_MOCK_KEY:',
        mentions: ['missing', 'BC_MOCK_CERT', certFile],
      },
      {
        name: '--cert flag with a mismatched BC_MOCK_KEY',
        args: ['--cert', certFile],
        env: { BC_MOCK_KEY: strangerKeyFile },
        label: 'BC_MOCK_KEY:',
        mentions: [strangerKeyFile, '(--cert)'],
      },
      {
        name: 'BC_MOCK_HTTPS=0 with a pair',
        args: ['--cert', certFile, '--key', keyFile],
        env: { BC_MOCK_HTTPS: '0' },
        label: 'BC_MOCK_HTTPS and --cert cannot be used together:',
        mentions: ['https'],
      },
    ]
    const results = await Promise.all(cases.map((item) => runCli(t, [...item.args, ...ready], item.env ?? {})))
    for (const [index, item] of cases.entries()) {
      const result = results[index]!
      t.test(item.name, async (t) => {
        t.equal(result.code, 2, 'exit code 2')
        t.equal(result.stdout, '', 'nothing on stdout: no ready line, no banner, never listening')
        t.match(result.stderr, /^[^\n]+\n$/, `one stderr line: ${result.stderr.trim()}`)
        t.ok(result.stderr.startsWith(`bigcommerce-mock: ${item.label} `), `starts by naming ${item.label}`)
        for (const mention of item.mentions) t.ok(result.stderr.includes(mention), `mentions ${mention}`)
        for (const key of keys) assertNoKey(t, result.stdout + result.stderr, key, 'the output')
      })
    }
    t.notOk(existsSync(join(cacheDir, 'tls')), 'no certificate was generated for any of them')
  })
})

t.test('cookie attributes over a real https socket', async (t) => {
  const certCacheDir = tempDir(t, 'bc-mock-https-cookies-')
  const storefront = await startMockStorefront({ https: true, certCacheDir })
  t.teardown(() => storefront.close())
  const ca = storefront.tls?.cert ?? ''
  const url = storefront.url
  t.match(url, /^https:\/\//)

  t.test('form sign-in, the token, sign-out', async (t) => {
    const signIn = await request(`${url}/login.php?action=check_login`, { ...signInForm(), ca })
    t.equal(signIn.status, 302)
    t.equal(signIn.headers.location, '/account.php')
    for (const line of sessionLines(t, signIn))
      t.same(attributesOf(line), SECURE_SESSION, `${parseSetCookie(line).name}: exactly HttpOnly, Secure, SameSite=None, Path=/`)
    const cookie = cookieHeaderOf(signIn.setCookies)

    const token = await request(`${url}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { ca, headers: { cookie } })
    t.equal(token.status, 200)
    const claims = await verifyToken(t, token.body.trim())
    t.match(claims, { customer: { id: DEMO.john.id, email: DEMO.john.email, group_id: DEMO.john.groupId }, store_hash: DEMO.storeHash })

    const logout = await request(`${url}/login.php?action=logout`, { ca, headers: { cookie } })
    t.equal(logout.status, 302)
    t.equal(logout.headers.location, '/')
    for (const line of sessionLines(t, logout)) {
      const parsed = parseSetCookie(line)
      t.equal(parsed.value, '', `${parsed.name} cleared`)
      t.ok(parsed.attributes.includes(EPOCH_EXPIRES) && parsed.attributes.includes('Max-Age=0'), `${parsed.name} expired`)
      t.same(
        clearedAttributesOf(line),
        SECURE_SESSION,
        `${parsed.name} cleared with the attributes it was set with (Secure; SameSite=None)`,
      )
    }
    const after = await request(`${url}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { ca, headers: { cookie } })
    t.equal(after.status, 404, 'the ended session gets no token')
  })

  t.test('a refused Customer Login sets the flash cookie Secure; the login page clears it Secure', async (t) => {
    const refused = await request(`${url}/login/token/garbage`, { ca })
    t.equal(refused.status, 302)
    t.equal(refused.headers.location, '/login.php')
    t.equal(refused.setCookies.length, 1)
    const flash = parseSetCookie(refused.setCookies[0] ?? '')
    t.equal(flash.name, LOGIN_FLASH_COOKIE)
    t.same(
      attributesOf(refused.setCookies[0] ?? ''),
      ['HttpOnly', 'Max-Age=60', 'Path=/login.php', 'SameSite=Lax', 'Secure'],
      'the flash cookie is Secure over https',
    )
    const page = await request(`${url}/login.php`, { ca, headers: { cookie: `${flash.name}=${flash.value}` } })
    t.equal(page.status, 200)
    t.match(page.body, INVALID_LOGIN)
    t.equal(page.setCookies.length, 1)
    t.ok(page.setCookies[0]?.includes('; Secure'), `cleared with Secure too: ${page.setCookies[0]}`)
  })

  t.test('a valid Customer Login sets Secure; SameSite=None session cookies', async (t) => {
    const loginUrl = await storefront.customerLoginUrl(DEMO.hs512App.clientId, DEMO.jane.id, '/cart.php')
    t.ok(loginUrl.startsWith(`${url}/login/token/`), 'the URL is on the https origin')
    const answer = await request(loginUrl, { ca })
    t.equal(answer.status, 302)
    t.equal(answer.headers.location, '/cart.php')
    for (const line of sessionLines(t, answer)) t.same(attributesOf(line), SECURE_SESSION)
    const token = await request(`${url}/customer/current.jwt?app_client_id=${DEMO.hs256App.clientId}`, {
      ca,
      headers: { cookie: cookieHeaderOf(answer.setCookies) },
    })
    t.equal(token.status, 200)
    t.match(await verifyToken(t, token.body.trim(), DEMO.hs256App, 'HS256'), { customer: { id: DEMO.jane.id } })
  })

  t.test('POST /__mock/sessions sets Secure; SameSite=None cookies', async (t) => {
    const answer = await request(`${url}/__mock/sessions`, {
      method: 'POST',
      ca,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.john.email }),
    })
    t.equal(answer.status, 201)
    for (const line of sessionLines(t, answer)) t.same(attributesOf(line), SECURE_SESSION)
    const body = JSON.parse(answer.body) as { cookie: string }
    t.equal(body.cookie, cookieHeaderOf(answer.setCookies), 'the body cookie is the one set')
    const token = await request(`${url}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, {
      ca,
      headers: { cookie: body.cookie },
    })
    t.equal(token.status, 200)
    t.match(await verifyToken(t, token.body.trim()), { customer: { id: DEMO.john.id } })
  })
})

t.test('over plain http the cookies are unchanged: HttpOnly; SameSite=Lax; Path=/, never Secure', async (t) => {
  const storefront = await startMockStorefront()
  t.teardown(() => storefront.close())
  const url = storefront.url
  t.match(url, /^http:\/\//)
  t.equal(storefront.tls, undefined, 'no certificate')

  const signIn = await request(`${url}/login.php?action=check_login`, signInForm())
  t.equal(signIn.status, 302)
  for (const line of sessionLines(t, signIn)) t.same(attributesOf(line), LAX_SESSION, parseSetCookie(line).name)
  const cookie = cookieHeaderOf(signIn.setCookies)
  const token = await request(`${url}/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`, { headers: { cookie } })
  t.equal(token.status, 200)
  t.match(await verifyToken(t, token.body.trim()), { customer: { id: DEMO.john.id } })
  const logout = await request(`${url}/login.php?action=logout`, { headers: { cookie } })
  for (const line of sessionLines(t, logout)) {
    t.equal(parseSetCookie(line).value, '', 'cleared')
    t.same(clearedAttributesOf(line), LAX_SESSION, 'cleared Lax, not Secure')
  }

  const refused = await request(`${url}/login/token/garbage`)
  t.same(
    attributesOf(refused.setCookies[0] ?? ''),
    ['HttpOnly', 'Max-Age=60', 'Path=/login.php', 'SameSite=Lax'],
    'the flash cookie without Secure',
  )

  const control = await request(`${url}/__mock/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO.john.email }),
  })
  t.equal(control.status, 201)
  for (const line of sessionLines(t, control)) t.same(attributesOf(line), LAX_SESSION)
})

t.test('programmatic: startMockStorefront, buildApp and the option checks', async (t) => {
  t.test('startMockStorefront({ https: true }): generated, then cached', async (t) => {
    const certCacheDir = tempDir(t, 'bc-mock-https-api-')
    const first = await startMockStorefront({ https: true, certCacheDir })
    t.teardown(() => first.close())
    t.equal(first.url, `https://127.0.0.1:${first.port}`)
    const tls = first.tls
    if (!tls) throw new Error('no tls on an https storefront')
    t.equal(tls.source, 'generated')
    t.match(tls.cert, /^-----BEGIN CERTIFICATE-----/)
    const x509 = new X509Certificate(tls.cert)
    t.equal(tls.fingerprint256, x509.fingerprint256)
    t.ok(tls.certFile?.startsWith(certCacheDir + sep), 'kept in certCacheDir')
    t.equal(readFileSync(String(tls.certFile), 'utf8'), tls.cert, 'the file holds the certificate served')
    t.same(tls.names, ['localhost', '127.0.0.1', '::1'])
    t.ok(
      tls.validTo instanceof Date && Math.abs(tls.validTo.getTime() - Date.parse(x509.validTo)) < 1000,
      'validTo is the certificate expiry',
    )
    t.notOk('key' in tls, 'the handle carries no private key')
    assertNoKey(t, JSON.stringify(tls), readFileSync(join(dirname(String(tls.certFile)), 'key.pem'), 'utf8'), 'the handle')
    t.equal((await peerCertificate(first.url, tls.cert)).fingerprint256, tls.fingerprint256, 'it serves that certificate')

    const second = await startMockStorefront({ https: true, certCacheDir })
    t.teardown(() => second.close())
    t.equal(second.tls?.source, 'cached', 'a second start reuses it')
    t.equal(second.tls?.fingerprint256, tls.fingerprint256)
    t.equal(second.tls?.certFile, tls.certFile)
    t.equal((await request(`${second.url}/login.php`, { ca: tls.cert })).status, 200)
  })

  t.test('a cached certificate that is broken or about to expire is made again', async (t) => {
    const certCacheDir = tempDir(t, 'bc-mock-https-stale-')
    const first = await startMockStorefront({ https: true, certCacheDir })
    await first.close()
    const certFile = String(first.tls?.certFile)
    const keyFile = join(dirname(certFile), 'key.pem')

    writeFileSync(certFile, 'not a certificate any more')
    const afterBreak = await startMockStorefront({ https: true, certCacheDir })
    await afterBreak.close()
    t.equal(afterBreak.tls?.source, 'generated', 'a broken cached file is not used')
    t.equal(afterBreak.tls?.certFile, certFile, 'the new one takes its place')
    t.not(afterBreak.tls?.fingerprint256, first.tls?.fingerprint256)
    t.equal(
      new X509Certificate(readFileSync(certFile)).fingerprint256,
      afterBreak.tls?.fingerprint256,
      'the file holds the new certificate',
    )
    t.equal(statSync(keyFile).mode & 0o777, 0o600, 'the rewritten key file is still 0600')

    const now = Date.now()
    const expiring = await developerCertificate(['localhost', '127.0.0.1', '::1'], 'expiring', {
      notBeforeDate: new Date(now - 360 * 86_400_000),
      notAfterDate: new Date(now + 2 * 86_400_000),
    })
    writeFileSync(certFile, expiring.cert)
    writeFileSync(keyFile, expiring.key)
    const afterExpiry = await startMockStorefront({ https: true, certCacheDir })
    t.teardown(() => afterExpiry.close())
    t.equal(afterExpiry.tls?.source, 'generated', 'one expiring within days is made again')
    t.not(afterExpiry.tls?.fingerprint256, expiring.fingerprint256)
    t.ok((afterExpiry.tls?.validTo.getTime() ?? 0) > now + 300 * 86_400_000, 'for another year')
  })

  t.test('a cache directory that cannot be written: the certificate is used for this run only', async (t) => {
    const parent = tempDir(t, 'bc-mock-https-unwritable-')
    const notADirectory = join(parent, 'a-file')
    writeFileSync(notADirectory, 'in the way')
    const storefront = await startMockStorefront({ https: true, certCacheDir: notADirectory })
    t.teardown(() => storefront.close())
    t.match(storefront.tls, { source: 'generated', certFile: undefined })
    t.equal((await request(`${storefront.url}/login.php`, { ca: storefront.tls?.cert ?? '' })).status, 200, 'it still serves https')
    const cli = spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', notADirectory, '--log-level', 'silent'])
    const ready = await readyLine(cli)
    t.equal(ready.cert_file, null, 'the ready line says there is no file')
    t.match(ready.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    t.match(await bannerOf(cli), 'not kept: the cache directory cannot be written')
  })

  t.test("startMockStorefront({ cert, key }): the developer's pair, https implied", async (t) => {
    const dir = tempDir(t, 'bc-mock-https-api-pair-')
    const mine = await developerCertificate(['127.0.0.1'])
    writeFileSync(join(dir, 'c.pem'), mine.cert)
    writeFileSync(join(dir, 'k.pem'), mine.key)
    const storefront = await startMockStorefront({ cert: join(dir, 'c.pem'), key: join(dir, 'k.pem'), certCacheDir: join(dir, 'cache') })
    t.teardown(() => storefront.close())
    t.match(storefront.url, /^https:\/\//)
    t.match(storefront.tls, { source: 'given', certFile: join(dir, 'c.pem'), fingerprint256: mine.fingerprint256, names: ['127.0.0.1'] })
    t.equal((await peerCertificate(storefront.url, mine.cert)).fingerprint256, mine.fingerprint256)
  })

  t.test('buildApp({ https: true }) sets Secure; SameSite=None cookies through inject (no TLS)', async (t) => {
    const certCacheDir = tempDir(t, 'bc-mock-https-build-')
    const app = buildApp({ https: true, certCacheDir })
    t.teardown(() => app.close())
    const signIn = await app.inject({
      method: 'POST',
      url: '/login.php?action=check_login',
      headers: signInForm().headers,
      payload: signInForm().body,
    })
    t.equal(signIn.statusCode, 302)
    const lines = ([] as string[]).concat(signIn.headers['set-cookie'] ?? [])
    t.equal(lines.length, 2)
    for (const line of lines) t.same(attributesOf(line), SECURE_SESSION)
    const token = await app.inject({
      url: `/customer/current.jwt?app_client_id=${DEMO.hs512App.clientId}`,
      headers: { cookie: cookieHeaderOf(lines) },
    })
    t.equal(token.statusCode, 200)
    t.match(await verifyToken(t, token.body.trim()), { customer: { id: DEMO.john.id } })
    t.same(readdirSync(certCacheDir), [], 'buildApp makes no certificate')
    const plain = buildApp()
    t.teardown(() => plain.close())
    const plainSignIn = await plain.inject({
      method: 'POST',
      url: '/login.php?action=check_login',
      headers: signInForm().headers,
      payload: signInForm().body,
    })
    for (const line of ([] as string[]).concat(plainSignIn.headers['set-cookie'] ?? []))
      t.same(attributesOf(line), LAX_SESSION, 'without https: Lax')
  })

  t.test('bad combinations throw MockErrors naming the option', async (t) => {
    const dir = tempDir(t, 'bc-mock-https-api-bad-')
    const mine = await developerCertificate(['localhost'])
    const stranger = await developerCertificate(['localhost'])
    const cert = join(dir, 'c.pem')
    const key = join(dir, 'k.pem')
    const strangerKey = join(dir, 'stranger-k.pem')
    writeFileSync(cert, mine.cert)
    writeFileSync(key, mine.key)
    writeFileSync(strangerKey, stranger.key)
    const certCacheDir = join(dir, 'cache')
    const cases: { name: string; options: Parameters<typeof resolveOptions>[0]; code: string; field: string; message: RegExp }[] = [
      {
        name: 'cert without key',
        options: { cert, certCacheDir },
        code: ERRORS.invalidOption.code,
        field: 'key',
        message: /^key: missing: cert \S+c\.pem needs/,
      },
      {
        name: 'key without cert',
        options: { key, certCacheDir },
        code: ERRORS.invalidOption.code,
        field: 'cert',
        message: /^cert: missing: key \S+k\.pem needs/,
      },
      {
        name: 'https: false with a pair',
        options: { https: false, cert, key, certCacheDir },
        code: ERRORS.conflictingOptions.code,
        field: 'https: false',
        message: /cannot be used together/,
      },
      {
        name: 'a mismatched pair',
        options: { cert, key: strangerKey, certCacheDir },
        code: 'BCMOCK_TLS_CERTIFICATE',
        field: 'key',
        message: /not the private key of/,
      },
      {
        name: 'a missing certificate',
        options: { cert: join(dir, 'nope.pem'), key, certCacheDir },
        code: 'BCMOCK_TLS_CERTIFICATE',
        field: 'cert',
        message: /nope\.pem: no such file/,
      },
      {
        name: 'https not a boolean',
        options: { https: 'yes' as unknown as boolean, certCacheDir },
        code: ERRORS.invalidOption.code,
        field: 'https',
        message: /^https: expected true or false/,
      },
    ]
    t.equal(ERRORS.tlsCertificate.code, 'BCMOCK_TLS_CERTIFICATE')
    for (const item of cases) {
      for (const [via, run] of [
        ['resolveOptions', () => resolveOptions(item.options)],
        ['buildApp', () => buildApp(item.options)],
      ] as const) {
        let thrown: unknown
        try {
          run()
        } catch (error) {
          thrown = error
        }
        t.ok(thrown instanceof MockError, `${via}, ${item.name}: a MockError`)
        t.match(thrown, { code: item.code, field: item.field, message: item.message }, `${via}, ${item.name}`)
        assertNoKey(t, String((thrown as Error | undefined)?.message), stranger.key, `${via}, ${item.name}: the message`)
      }
      await t.rejects(startMockStorefront(item.options), { code: item.code, field: item.field }, `startMockStorefront, ${item.name}`)
    }
    t.notOk(existsSync(certCacheDir), 'nothing was generated')
  })
})

t.test('--proxy over https: proxied requests and WebSockets (wss) reach the plain-http dev server', async (t) => {
  const server = createServer((incoming, response) => {
    response
      .writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' })
      .end(JSON.stringify({ url: incoming.url, headers: incoming.headers }))
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket, upgrade) => socket.on('message', (data) => socket.send(`echo ${upgrade.url ?? ''}: ${wsText(data)}`)))
  const upstream = await listenUpstream(server, wss)
  t.teardown(() => upstream.close())
  const cacheDir = tempDir(t, 'bc-mock-https-proxy-')
  const cli = spawnCli(t, [
    '--https',
    '--proxy',
    upstream.origin,
    '--port',
    '0',
    '--ready-json',
    '--cert-cache-dir',
    cacheDir,
    '--log-level',
    'silent',
  ])
  const ready = await readyLine(cli)
  const ca = readFileSync(String(ready.cert_file), 'utf8')

  const proxied = await request(`${ready.url}/assets/app.js?v=3`, { ca })
  t.equal(proxied.status, 200)
  t.equal(proxied.headers['x-upstream'], 'yes', 'answered by the dev server')
  const echo = JSON.parse(proxied.body) as { url: string; headers: Record<string, string> }
  t.equal(echo.url, '/assets/app.js?v=3')
  t.equal(echo.headers['x-forwarded-proto'], 'https', 'the dev server learns the browser used https')
  t.equal(echo.headers['x-forwarded-host'], `127.0.0.1:${ready.port}`)
  const own = await request(`${ready.url}/login.php`, { ca })
  t.equal(own.status, 200, "the mock's own routes still answer")
  t.equal(own.headers['x-upstream'], undefined)

  const socket = new WebSocket(`${ready.url.replace('https:', 'wss:')}/hmr?token=abc`, { ca })
  t.teardown(() => socket.terminate())
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(wsText(data))))
  socket.send('ping over wss')
  t.equal(await reply, 'echo /hmr?token=abc: ping over wss', 'the WebSocket reaches the dev server through the mock over TLS')

  const untrusting = new WebSocket(`${ready.url.replace('https:', 'wss:')}/hmr`)
  t.teardown(() => untrusting.terminate())
  const refusal = await new Promise<string>((resolve) => {
    untrusting.once('open', () => resolve('opened'))
    untrusting.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
  })
  t.match(refusal, /SELF_SIGNED|UNABLE_TO_VERIFY/, `a client that does not trust the certificate cannot connect (${refusal})`)
})

t.test('--static over https serves the built files', async (t) => {
  const root = tempDir(t, 'bc-mock-https-static-')
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'index.html'), '<h1>built home</h1>')
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")')
  const certCacheDir = tempDir(t, 'bc-mock-https-static-cache-')
  const storefront = await startMockStorefront({ https: true, static: root, certCacheDir })
  t.teardown(() => storefront.close())
  const ca = storefront.tls?.cert ?? ''
  const file = await request(`${storefront.url}/assets/app.js`, { ca })
  t.equal(file.status, 200)
  t.equal(file.body, 'console.log("app")')
  const home = await request(`${storefront.url}/`, { ca })
  t.equal(home.body, '<h1>built home</h1>')
  t.equal((await request(`${storefront.url}/__mock/`, { ca })).status, 200, "the mock's home moves to /__mock/")
})

/** A connected raw TCP socket (nothing else written unless `data`), destroyed when the test ends. */
function rawSocket(t: Test, port: number, data?: Buffer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => {
      if (data) socket.write(data)
      resolve(socket)
    })
    socket.on('error', () => undefined)
    socket.once('error', reject)
    t.teardown(() => socket.destroy())
  })
}

function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed || socket.closed) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

t.test('a plain http:// request to the https port: the client sees the connection close, the log says why, once', async (t) => {
  const logs = new LogCapture()
  const storefront = await startMockStorefront({
    https: true,
    certCacheDir: tempDir(t, 'bc-mock-https-plain-'),
    logLevel: 'info',
    logStream: logs,
  })
  t.teardown(() => storefront.close())
  const ca = storefront.tls?.cert ?? ''
  t.equal((await request(`${storefront.url}/login.php`, { ca })).status, 200)
  const tlsJunk = await rawSocket(t, storefront.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00]))
  await closedWithin(tlsJunk, 2000)
  t.same(logs.find('https:'), [], 'a successful handshake, or a broken one that is not plain http, is no cause')

  const plainUrl = storefront.url.replace(/^https:/, 'http:')
  for (let i = 0; i < 2; i++) {
    const outcome = await fetch(`${plainUrl}/login.php`).then(
      (response) => `answered ${response.status}`,
      (error: Error & { cause?: { code?: string } }) => `failed ${error.cause?.code ?? error.message}`,
    )
    t.match(outcome, /^failed /, `the plain-http client sees a failure, not an answer (${outcome})`)
  }
  const line = await logs.waitFor('https:', 1)
  t.equal(line.level, LEVEL.warn)
  t.equal(line.cause, 'plain_http')
  t.match(line.msg, `https: a plain http:// request came to this port, which serves https (--https)`)
  t.match(line.msg, `Use ${storefront.url}`, 'and names the URL to use')
  t.equal(logs.find('https:').length, 1, 'once, however often it happens')
  t.equal((await request(`${storefront.url}/login.php`, { ca })).status, 200, 'https still answers')
})

t.test('close() is bounded over TLS: silent, half-handshake, mid-request, idle and in-flight connections', async (t) => {
  const certCacheDir = tempDir(t, 'bc-mock-https-close-')
  const storefront = await startMockStorefront({ https: true, certCacheDir, latency: 5000 })
  const ca = storefront.tls?.cert ?? ''
  const silent = await rawSocket(t, storefront.port)
  // A TLS record header announcing a ClientHello that never comes.
  const halfHandshake = await rawSocket(t, storefront.port, Buffer.from([0x16, 0x03, 0x01, 0x01, 0x00, 0x01]))
  const midRequest = await new Promise<Socket>((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port: storefront.port, ca, servername: '127.0.0.1' }, () => {
      socket.write('GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\n')
      resolve(socket)
    })
    socket.on('error', () => undefined)
    socket.once('error', reject)
    t.teardown(() => socket.destroy())
  })
  const agent = new HttpsAgent({ keepAlive: true, ca })
  t.teardown(() => agent.destroy())
  const idle = await new Promise<number>((resolve, reject) => {
    httpsRequest(`${storefront.url}/__mock/health`, { agent }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
      .on('error', reject)
      .end()
  })
  t.equal(idle, 200, 'a keep-alive connection answered and left idle')
  const inFlight = request(`${storefront.url}/login.php`, { ca }).then(
    (answer) => answer.status,
    () => 'cut',
  )
  await new Promise((resolve) => setTimeout(resolve, 150))

  const started = Date.now()
  await storefront.close()
  const elapsed = Date.now() - started
  t.ok(elapsed < 2000, `close() resolved in ${elapsed} ms`)
  for (const [name, socket] of [
    ['silent', silent],
    ['half handshake', halfHandshake],
    ['mid-request', midRequest],
  ] as const) {
    t.ok(await closedWithin(socket, 1000), `the ${name} connection was closed`)
  }
  const outcome = await Promise.race([inFlight, new Promise((resolve) => setTimeout(() => resolve('hanging'), 1000))])
  t.ok(
    outcome === 200 || outcome === 503 || outcome === 'cut',
    `the delayed request in flight was answered or cut, not left hanging (${String(outcome)})`,
  )
})

t.test('over https the connection limits of server/http/limits.ts hold as over http', async (t) => {
  const certCacheDir = tempDir(t, 'bc-mock-https-limits-')

  t.test('the https server has the same timeouts as the http one', async (t) => {
    const secure = await startMockStorefront({ https: true, certCacheDir })
    t.teardown(() => secure.close())
    const server = secure.app.server
    t.equal(server.headersTimeout, SERVER_TIMEOUTS.headersMs, `headers within ${SERVER_TIMEOUTS.headersMs} ms (Node's default is 60 s)`)
    t.equal(server.requestTimeout, SERVER_TIMEOUTS.requestMs, 'whole request')
    t.equal(server.keepAliveTimeout, SERVER_TIMEOUTS.keepAliveMs, 'idle keep-alive')
    t.equal(server.timeout, SERVER_TIMEOUTS.idleSocketMs, 'idle socket')
  })

  t.test('a TLS client that stops mid-headers, or sends nothing, gets 408 within the header deadline', async (t) => {
    const resolved = resolveOptions({ https: true, certCacheDir })
    if (!resolved.tls) throw new Error('https without a certificate source')
    const certificate = await resolveTlsCertificate(resolved.tls)
    const app = composeApp(resolved, {
      tls: certificate,
      timeouts: { ...SERVER_TIMEOUTS, headersMs: 600, requestMs: 1200, keepAliveMs: 500, idleSocketMs: 3000, checkIntervalMs: 100 },
    })
    await app.listen({ host: '127.0.0.1', port: 0 })
    t.teardown(() => app.close())
    const port = (app.server.address() as { port: number }).port
    const noHandshake = new Promise<number>((resolve) => {
      const started = Date.now()
      const socket = netConnect(port, '127.0.0.1')
      socket.on('error', () => undefined)
      socket.once('close', () => resolve(Date.now() - started))
      t.teardown(() => socket.destroy())
    })
    const [midHeaders, silent] = await Promise.all([
      rawExchange(port, 'GET /login.php HTTP/1.1\r\nHost: 127.0.0.1\r\n', { tlsCa: certificate.cert, end: false, timeoutMs: 4000 }),
      rawExchange(port, '', { tlsCa: certificate.cert, end: false, timeoutMs: 4000 }),
    ])
    for (const [name, answer] of [
      ['mid-headers', midHeaders],
      ['silent after the handshake', silent],
    ] as const) {
      t.notOk(answer.timedOut, `${name}: the server closed the connection`)
      t.equal(answer.status, 408, `${name}: 408`)
      t.ok(
        answer.elapsedMs < 2500,
        `${name}: within the 600 ms header deadline, checked every 100 ms (closed after ${answer.elapsedMs} ms)`,
      )
    }
    const noHandshakeMs = await Promise.race([noHandshake, new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 1000))])
    t.ok(
      noHandshakeMs < 2500,
      `a TCP connection that never starts the TLS handshake is closed within the header deadline too (after ${noHandshakeMs} ms)`,
    )
  })

  t.test('--max-http-header-size in NODE_OPTIONS does not raise the header limit over https either', async (t) => {
    const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-http-header-size=65536`.trim() }
    const plain = spawnCli(t, ['--port', '0', '--ready-json', '--log-level', 'silent'], env)
    const secure = spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', certCacheDir, '--log-level', 'silent'], env)
    const [plainReady, secureReady] = await Promise.all([readyLine(plain), readyLine(secure)])
    const ca = readFileSync(String(secureReady.cert_file), 'utf8')
    const big = { 'x-big': 'a'.repeat(20 * 1024) }
    const overHttp = await request(`${plainReady.url}/login.php`, { headers: big }).then(
      (answer) => answer.status,
      (error: Error) => error.message,
    )
    t.equal(overHttp, 431, 'over http: 431 past 16 KiB of headers')
    const overHttps = await request(`${secureReady.url}/login.php`, { headers: big, ca }).then(
      (answer) => answer.status,
      (error: Error) => error.message,
    )
    t.equal(overHttps, 431, 'over https: the same 431')
  })
})

t.test('the https CLI exits 0 within 1 s of SIGTERM with a silent socket open', async (t) => {
  const cacheDir = tempDir(t, 'bc-mock-https-signal-')
  const cli = spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir, '--log-level', 'silent'])
  const ready = await readyLine(cli)
  await rawSocket(t, ready.port)
  await rawSocket(t, ready.port, Buffer.from([0x16, 0x03, 0x01]))
  const started = Date.now()
  cli.child.kill('SIGTERM')
  const exit = await cli.waitForExit(3000)
  const elapsed = Date.now() - started
  t.same(exit, { code: 0, signal: null }, 'exit code 0')
  t.ok(elapsed < 1500, `exited ${elapsed} ms after the signal`)
})
