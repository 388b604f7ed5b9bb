// The generated certificate's cache: starts racing on an empty cache each serve the certificate
// of the file they name; the cache trusts only a directory no other user can write, never follows
// a symbolic link there, and serves only a leaf for exactly the expected names. Real CLI processes,
// real files and links, and a second user (`nobody`) as the one planting.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { generate } from 'selfsigned'
import t, { type Test } from 'tap'
import { ERRORS, startMockStorefront } from '../../server/index.js'
import { ensureBuilt, runCli, spawnCli } from '../helpers/cli.js'
import { bannerOf, developerCertificate, readyLine, request, tempDir } from '../helpers/tls.js'

ensureBuilt()

const NOBODY = 65534
const NAMES = ['localhost', '127.0.0.1', '::1']
/** The folder the mock keeps the certificate for `NAMES` in, under a cache directory. */
const NAMES_FOLDER = join('tls', createHash('sha256').update(NAMES.join(',')).digest('hex').slice(0, 16))

/** The certificate a TLS server presents, whatever it is (not verified: that is what the caller checks). */
function servedCertificate(url: string): Promise<X509Certificate> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: target.hostname, port: Number(target.port), rejectUnauthorized: false, servername: 'localhost' },
      () => {
        const peer = socket.getPeerCertificate()
        socket.destroy()
        resolve(new X509Certificate(peer.raw))
      },
    )
    socket.on('error', reject)
  })
}

function needsRoot(t: Test): boolean {
  if (process.getuid?.() === 0) return true
  // Files owned by another user need root to make; CI runs as root, so there it must not be skipped.
  if (process.env.CI) t.fail('this test needs root (to make files owned by nobody)')
  else t.plan(0, 'skipped: needs root')
  return false
}

/** A CA certificate and key, as an attacker would plant: for `names`, `cA: true`. */
async function caCertificate(names: string[]): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: 'planted CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })),
      },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

/** Put a pair where the mock looks for its certificate for `NAMES`, as private files of this user. */
function plantPair(cacheDir: string, pair: { cert: string; key: string }): string {
  const folder = join(cacheDir, NAMES_FOLDER)
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  writeFileSync(join(folder, 'key.pem'), pair.key, { mode: 0o600 })
  writeFileSync(join(folder, 'cert.pem'), pair.cert, { mode: 0o644 })
  return folder
}

for (const setup of [
  { name: 'an empty cache', prepare: (_cacheDir: string) => undefined },
  {
    name: 'a cache with the stale lock of a killed start',
    prepare: (cacheDir: string) => {
      const folder = join(cacheDir, NAMES_FOLDER)
      mkdirSync(folder, { recursive: true, mode: 0o700 })
      writeFileSync(join(folder, 'lock'), '999999\n', { mode: 0o600 })
      const old = new Date(Date.now() - 60_000)
      utimesSync(join(folder, 'lock'), old, old)
    },
  },
]) {
  t.test(`six starts at once on ${setup.name}: each serves the certificate in the cert_file it names`, async (t) => {
    const cacheDir = tempDir(t, 'bc-mock-cert-race-')
    setup.prepare(cacheDir)
    const clis = Array.from({ length: 6 }, () =>
      spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir, '--log-level', 'silent']),
    )
    const readies = await Promise.all(clis.map((cli) => readyLine(cli, 30_000)))
    for (const [index, ready] of readies.entries()) {
      t.type(ready.cert_file, 'string', `start ${index} names a certificate file`)
      const pem = readFileSync(String(ready.cert_file), 'utf8')
      const kept = new X509Certificate(pem)
      const served = await servedCertificate(ready.url)
      t.ok(served.raw.equals(kept.raw), `start ${index} serves the certificate its cert_file holds`)
      t.equal(ready.fingerprint256, served.fingerprint256, `start ${index}'s ready line has the fingerprint it serves`)
      t.equal(
        (await request(`${ready.url}/login.php`, { ca: pem })).status,
        200,
        `start ${index}: a request trusting only its cert_file is answered`,
      )
    }
    t.equal(new Set(readies.map((ready) => ready.cert_file)).size, 1, 'all name the one file')
    const folder = join(cacheDir, NAMES_FOLDER)
    t.same(readdirSync(folder).sort(), ['cert.pem', 'key.pem'], 'no temporary file or lock is left')
    t.ok(
      new X509Certificate(readFileSync(join(folder, 'cert.pem'))).checkPrivateKey(createPrivateKey(readFileSync(join(folder, 'key.pem')))),
      "the kept key is the kept certificate's",
    )
  })
}

t.test('a symbolic link planted as key.pem or cert.pem is never followed: its target is unchanged, the link replaced', async (t) => {
  const cacheDir = tempDir(t, 'bc-mock-cert-symlink-')
  const elsewhere = tempDir(t, 'bc-mock-cert-victim-')
  const folder = join(cacheDir, NAMES_FOLDER)
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  const victims = { key: join(elsewhere, 'authorized_keys'), cert: join(elsewhere, 'notes.txt') }
  writeFileSync(victims.key, 'ssh-ed25519 AAAA... precious\n')
  writeFileSync(victims.cert, 'precious notes\n')
  symlinkSync(victims.key, join(folder, 'key.pem'))
  symlinkSync(victims.cert, join(folder, 'cert.pem'))

  const cli = spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir, '--log-level', 'silent'])
  const ready = await readyLine(cli)
  t.equal(readFileSync(victims.key, 'utf8'), 'ssh-ed25519 AAAA... precious\n', 'the file key.pem pointed to is unchanged')
  t.equal(readFileSync(victims.cert, 'utf8'), 'precious notes\n', 'the file cert.pem pointed to is unchanged')
  for (const name of ['key.pem', 'cert.pem']) t.ok(lstatSync(join(folder, name)).isFile(), `${name} is now a regular file`)
  t.equal(lstatSync(join(folder, 'key.pem')).mode & 0o777, 0o600, 'key.pem is 0600')
  t.equal(ready.cert_file, join(folder, 'cert.pem'))
  t.ok(
    (await servedCertificate(ready.url)).raw.equals(new X509Certificate(readFileSync(join(folder, 'cert.pem'))).raw),
    'it serves what it kept',
  )
})

t.test('a valid pair behind symbolic links is not used (the links are not followed for reading either)', async (t) => {
  const cacheDir = tempDir(t, 'bc-mock-cert-symlink-read-')
  const elsewhere = tempDir(t, 'bc-mock-cert-linked-')
  const theirs = await developerCertificate(NAMES, 'linked pair')
  writeFileSync(join(elsewhere, 'cert.pem'), theirs.cert)
  writeFileSync(join(elsewhere, 'key.pem'), theirs.key, { mode: 0o600 })
  const folder = join(cacheDir, NAMES_FOLDER)
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  symlinkSync(join(elsewhere, 'key.pem'), join(folder, 'key.pem'))
  symlinkSync(join(elsewhere, 'cert.pem'), join(folder, 'cert.pem'))
  const storefront = await startMockStorefront({ https: true, certCacheDir: cacheDir })
  t.teardown(() => storefront.close())
  t.not(storefront.tls?.fingerprint256, theirs.fingerprint256, 'the linked certificate is not served')
  t.equal(storefront.tls?.source, 'generated')
  t.equal(readFileSync(join(elsewhere, 'key.pem'), 'utf8'), theirs.key, 'the linked key is unchanged')
})

t.test('a planted CA certificate for other names is not served: a fresh leaf is made', async (t) => {
  const cacheDir = tempDir(t, 'bc-mock-cert-ca-')
  const planted = await caCertificate(['bank.example'])
  const folder = plantPair(cacheDir, planted)
  const cli = spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir])
  const ready = await readyLine(cli)
  const served = await servedCertificate(ready.url)
  t.not(served.fingerprint256, new X509Certificate(planted.cert).fingerprint256, 'the planted CA is not served')
  t.equal(served.ca, false, 'a leaf is served')
  t.equal(served.checkHost('localhost'), 'localhost')
  t.equal(served.checkHost('bank.example'), undefined, 'not for the planted name')
  t.ok(served.raw.equals(new X509Certificate(readFileSync(join(folder, 'cert.pem'))).raw), 'and it replaced the planted one in the cache')
  const banner = await bannerOf(cli)
  t.match(banner, `made and kept in ${join(folder, 'cert.pem')}`, 'the banner says it was made, not reused')
  t.notMatch(banner, /bank\.example/)
})

t.test('a cached pair is used only when it is a leaf for exactly the names, with a private key file', async (t) => {
  const ours = ['localhost', '127.0.0.1', '::1']
  const cases: { name: string; pair: () => Promise<{ cert: string; key: string }>; keyMode?: number }[] = [
    { name: 'a CA for the right names', pair: () => caCertificate(ours) },
    { name: 'a leaf for other names', pair: () => developerCertificate(['bank.example']) },
    { name: 'a leaf for the names and one more', pair: () => developerCertificate([...ours, 'bank.example']) },
    { name: 'a leaf for fewer names', pair: () => developerCertificate(['localhost']) },
    {
      name: 'a leaf for the names whose key others can read (someone may have copied it)',
      pair: async () =>
        await startMockStorefront({ https: true, certCacheDir: tempDir(t, 'bc-mock-cert-donor-') }).then(async (donor) => {
          await donor.close()
          const file = String(donor.tls?.certFile)
          return { cert: readFileSync(file, 'utf8'), key: readFileSync(join(file, '..', 'key.pem'), 'utf8') }
        }),
      keyMode: 0o644,
    },
  ]
  for (const item of cases) {
    t.test(item.name, async (t) => {
      const cacheDir = tempDir(t, 'bc-mock-cert-fit-')
      const pair = await item.pair()
      const folder = plantPair(cacheDir, pair)
      if (item.keyMode !== undefined) chmodSync(join(folder, 'key.pem'), item.keyMode)
      const storefront = await startMockStorefront({ https: true, certCacheDir: cacheDir })
      t.teardown(() => storefront.close())
      t.equal(storefront.tls?.source, 'generated', 'not reused: made again')
      t.not(storefront.tls?.fingerprint256, new X509Certificate(pair.cert).fingerprint256)
      t.equal(lstatSync(join(folder, 'key.pem')).mode & 0o777, 0o600, 'the new key file is 0600')
    })
  }
  t.test('and a fit one is reused', async (t) => {
    const cacheDir = tempDir(t, 'bc-mock-cert-reuse-')
    const first = await startMockStorefront({ https: true, certCacheDir: cacheDir })
    await first.close()
    const second = await startMockStorefront({ https: true, certCacheDir: cacheDir })
    t.teardown(() => second.close())
    t.equal(second.tls?.source, 'cached')
    t.equal(second.tls?.fingerprint256, first.tls?.fingerprint256)
  })
})

// A new directory `name` under `root` with exactly `mode` (chmod, so the umask has no say).
function dirWithMode(root: string, name: string, mode: number): { given: string; at: string } {
  const dir = join(root, name)
  mkdirSync(dir)
  chmodSync(dir, mode)
  return { given: dir, at: dir }
}

t.test('a --cert-cache-dir another user could write is refused: exit 2, one line naming the flag, the directory and why', async (t) => {
  if (!needsRoot(t)) return
  const cases: { name: string; make: (root: string) => { given: string; at: string }; env?: boolean; reason: string }[] = [
    {
      name: 'owned by nobody',
      make: (root) => {
        const dir = join(root, 'theirs')
        mkdirSync(dir, { mode: 0o700 })
        chownSync(dir, NOBODY, NOBODY)
        return { given: dir, at: dir }
      },
      reason: 'is owned by another user (uid 65534, not 0)',
    },
    { name: 'mode 0777', make: (root) => dirWithMode(root, 'open', 0o777), reason: 'is writable by others (mode 0777)' },
    {
      name: 'mode 0777, named by BC_MOCK_CERT_CACHE_DIR',
      make: (root) => dirWithMode(root, 'open-env', 0o777),
      env: true,
      reason: 'is writable by others (mode 0777)',
    },
    { name: 'group-writable', make: (root) => dirWithMode(root, 'group', 0o770), reason: 'is writable by its group (mode 0770)' },
    {
      name: 'a symbolic link',
      make: (root) => {
        const real = join(root, 'real')
        mkdirSync(real, { mode: 0o700 })
        symlinkSync(real, join(root, 'link'))
        return { given: join(root, 'link'), at: join(root, 'link') }
      },
      reason: 'is a symbolic link',
    },
    {
      name: 'its tls folder made by nobody',
      make: (root) => {
        const dir = join(root, 'mine')
        mkdirSync(join(dir, 'tls'), { recursive: true, mode: 0o700 })
        chownSync(join(dir, 'tls'), NOBODY, NOBODY)
        return { given: dir, at: join(dir, 'tls') }
      },
      reason: 'is owned by another user',
    },
    {
      name: 'inside a directory anyone can write, without the sticky bit (mkdir -p)',
      make: (root) => {
        const shared = join(root, 'shared')
        mkdirSync(shared)
        chmodSync(shared, 0o777)
        return { given: join(shared, 'a', 'certs'), at: shared }
      },
      reason: 'is writable by others without the sticky bit (mode 0777)',
    },
  ]
  for (const item of cases) {
    t.test(item.name, async (t) => {
      const root = tempDir(t, 'bc-mock-cert-unsafe-')
      const { given, at } = item.make(root)
      const before = existsSync(given) ? readdirSync(given) : []
      const label = item.env ? 'BC_MOCK_CERT_CACHE_DIR' : '--cert-cache-dir'
      const result = await runCli(
        t,
        ['--https', '--port', '0', '--ready-json', ...(item.env ? [] : ['--cert-cache-dir', given])],
        item.env ? { BC_MOCK_CERT_CACHE_DIR: given } : {},
      )
      t.equal(result.code, 2, 'exit code 2')
      t.equal(result.stdout, '', 'nothing on stdout: never listening')
      t.match(result.stderr, /^[^\n]+\n$/, `one line: ${result.stderr.trim()}`)
      t.ok(
        result.stderr.startsWith(`bigcommerce-mock: ${label}: ${given} cannot hold the generated certificate: ${at} ${item.reason}`),
        'naming the flag or variable, the directory, and why',
      )
      t.same(existsSync(given) ? readdirSync(given) : [], before, 'nothing was written there')
    })
  }

  t.test('startMockStorefront({ certCacheDir }) rejects the same, naming the option', async (t) => {
    const dir = tempDir(t, 'bc-mock-cert-unsafe-api-')
    chmodSync(dir, 0o777)
    await t.rejects(startMockStorefront({ https: true, certCacheDir: dir }), {
      code: ERRORS.certCacheDirUnsafe.code,
      field: 'certCacheDir',
      message: /^certCacheDir: .* is writable by others \(mode 0777\)/,
    })
    t.same(readdirSync(dir), [], 'nothing written')
  })
})

t.test(
  'the default cache directory another user could write: https still starts, with a certificate for this run only and a warning',
  async (t) => {
    if (!needsRoot(t)) return
    const xdg = tempDir(t, 'bc-mock-cert-xdg-')
    const packageDir = join(xdg, 'bigcommerce-mock-storefront')
    mkdirSync(packageDir)
    chmodSync(packageDir, 0o777)
    const cli = spawnCli(t, ['--https', '--port', '0', '--ready-json'], { XDG_CACHE_HOME: xdg })
    const ready = await readyLine(cli)
    t.equal(ready.cert_file, null, 'no file is named')
    t.equal((await servedCertificate(ready.url)).fingerprint256, ready.fingerprint256, 'the ready line has the fingerprint served')
    const banner = await bannerOf(cli)
    t.match(
      banner,
      `not kept: another user could write the cache directory (XDG_CACHE_HOME): ${packageDir} is writable by others (mode 0777); choose one with --cert-cache-dir`,
    )
    t.match(banner, 'NODE_EXTRA_CA_CERTS=<file>', 'no file is offered to trust')
    t.same(readdirSync(packageDir), [], 'nothing was written there')
  },
)

t.test('directories the mock makes are 0700 and its files 0600 / 0644, whatever the umask', async (t) => {
  const root = tempDir(t, 'bc-mock-cert-umask-')
  const cacheDir = join(root, 'a', 'b', 'certs')
  // The child takes the umask as it is spawned.
  const previous = process.umask(0)
  const cli = spawnCli(t, ['--https', '--port', '0', '--ready-json', '--cert-cache-dir', cacheDir, '--log-level', 'silent'])
  process.umask(previous)
  const ready = await readyLine(cli)
  for (const dir of [join(root, 'a'), join(root, 'a', 'b'), cacheDir, join(cacheDir, 'tls'), join(cacheDir, NAMES_FOLDER)])
    t.equal(lstatSync(dir).mode & 0o777, 0o700, `${dir} is 0700`)
  t.equal(lstatSync(join(cacheDir, NAMES_FOLDER, 'key.pem')).mode & 0o777, 0o600, 'key.pem is 0600')
  t.equal(lstatSync(String(ready.cert_file)).mode & 0o777, 0o644, 'cert.pem is 0644')
})

t.test('a lock left by a start that was killed is taken over once stale; leftover temporary files are removed', async (t) => {
  const cacheDir = tempDir(t, 'bc-mock-cert-stale-')
  const folder = join(cacheDir, NAMES_FOLDER)
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  const lock = join(folder, 'lock')
  writeFileSync(lock, '999999\n', { mode: 0o600 })
  const old = new Date(Date.now() - 60_000)
  utimesSync(lock, old, old)
  writeFileSync(join(folder, 'key.pem.0123456789abcdef.tmp'), 'half a key')
  const started = Date.now()
  const storefront = await startMockStorefront({ https: true, certCacheDir: cacheDir })
  t.teardown(() => storefront.close())
  t.ok(Date.now() - started < 5000, 'no wait for a stale lock')
  t.equal(storefront.tls?.certFile, join(folder, 'cert.pem'), 'the certificate is kept')
  t.same(readdirSync(folder).sort(), ['cert.pem', 'key.pem'], 'the lock and the leftover are gone')
})
