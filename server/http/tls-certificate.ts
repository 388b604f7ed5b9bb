import { createHash, createPrivateKey, randomBytes, X509Certificate } from 'node:crypto'
import { closeSync, constants, fstatSync, linkSync, lstatSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ERRORS } from '../errors.js'
import { userCacheDirectory } from '../files/cache-directory.js'
import { ensurePrivateDirectory, processUser, strictProblem, type DirectoryProblem } from '../files/private-directory.js'
import { readRegularTextFile, UnreadableFileError } from '../files/read-regular-file.js'
import { bareHost } from './bare-host.js'

/** The certificate the mock serves TLS with, and what a developer needs to trust it (all but `key` is public: see `ServedCertificate`). */
export interface TlsCertificate {
  /** PEM certificate. */
  cert: string
  /** PEM private key. Never logged, never printed. */
  key: string
  /** SHA-256 fingerprint, colon-separated hex, as browsers show it. */
  fingerprint256: string
  /** The certificate's file: the developer's own (`--cert`), or the cached generated one; undefined when it could not be cached. */
  certFile: string | undefined
  /** Why a generated certificate was not kept (`certFile` undefined): the cache directory cannot be written, or another user could write it. */
  notKept?: string
  /** `given` (`--cert`/`--key`), `generated` now, or `cached` (generated on an earlier start and reused). */
  source: 'given' | 'generated' | 'cached'
  /** The names and addresses it is for (the generated certificate), or its subject alternative names (a given one). */
  names: string[]
  /** When it stops being valid. */
  validTo: Date
}

/** Where the TLS certificate comes from, as resolved from the options. */
export type TlsSource =
  | { kind: 'files'; cert: string; key: string; certFile: string; keyFile: string }
  | { kind: 'generate'; names: string[]; cacheDir: string; cacheDirLabel?: string }

/** Days a generated certificate is valid; it is made again once less than {@link RENEW_BEFORE_DAYS} remain. */
const GENERATED_VALID_DAYS = 365
const RENEW_BEFORE_DAYS = 7

/**
 * The user's cache directory for this package: `$XDG_CACHE_HOME` or `~/.cache` on Linux,
 * `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows, each with `bigcommerce-mock-storefront`.
 */
export function defaultCertCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return userCacheDirectory(env, platform).dir
}

/**
 * The names a generated certificate covers: `localhost`, `127.0.0.1`, `::1`, and the host the
 * mock listens on when it is a name or a specific address (not `0.0.0.0` or `::`).
 */
export function generatedCertificateNames(host: string): string[] {
  const names = ['localhost', '127.0.0.1', '::1']
  const bare = bareHost(host)
  if (bare !== '0.0.0.0' && bare !== '::' && !names.includes(bare)) names.push(bare)
  return names
}

/**
 * Read and check a developer's own certificate and key (`--cert`, `--key`): both regular files
 * of at most {@link MAX_PEM_FILE_BYTES}, readable, each PEM of its kind, the key the certificate's. A problem throws the catalogue's `tlsCertificate` error,
 * naming the flag or option (`labels`) and the file; the key's content is never repeated.
 */
export function readCertificatePair(
  certFile: string,
  keyFile: string,
  labels: { cert: string; key: string },
): Extract<TlsSource, { kind: 'files' }> {
  const cert = readPem(certFile, labels.cert)
  const key = readPem(keyFile, labels.key)
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch {
    throw ERRORS.tlsCertificate(labels.cert, `${certFile} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)`)
  }
  let privateKey
  try {
    privateKey = createPrivateKey(key)
  } catch {
    throw ERRORS.tlsCertificate(
      labels.key,
      `${keyFile} is not a PEM private key without a passphrase (expected -----BEGIN PRIVATE KEY----- or similar)`,
    )
  }
  if (!x509.checkPrivateKey(privateKey))
    throw ERRORS.tlsCertificate(
      labels.key,
      `${keyFile} is not the private key of ${certFile} (${labels.cert}); give the pair made together (mkcert writes NAME.pem and NAME-key.pem)`,
    )
  return { kind: 'files', cert, key, certFile, keyFile }
}

/**
 * Largest PEM file read for `--cert` or `--key`: 1 MiB. A certificate chain is a few KiB (a
 * dozen certificates, or an RSA-16384 key, stay well under 100 KiB); anything near the cap is
 * not a PEM file, and reading stops there.
 */
const MAX_PEM_FILE_BYTES = 1024 * 1024

function readPem(file: string, label: string): string {
  try {
    return readRegularTextFile(file, MAX_PEM_FILE_BYTES)
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error
    throw ERRORS.tlsCertificate(label, error.message)
  }
}

/**
 * The certificate to serve with. A given pair is used as it is; otherwise a self-signed one for
 * `names` is taken from the cache directory when one is there and fit (see {@link readCached}),
 * and generated and cached when not, so a browser's exception for it survives restarts.
 * The cache directory must be one only this user can write (`files/private-directory.ts`): one
 * named by the caller (`cacheDirLabel`) that is not throws `certCacheDirUnsafe`; the default one
 * that is not, or any that cannot be written, is not an error: the certificate is then used for
 * this run only, and `notKept` says why. Starts racing on an empty cache all serve the pair the
 * cache ends up holding, so each one's `certFile` is the certificate it serves.
 */
export async function resolveTlsCertificate(source: TlsSource): Promise<TlsCertificate> {
  if (source.kind === 'files') return describe(source.cert, source.key, source.certFile, 'given', subjectAltNames)
  const names = () => source.names
  const dir = join(source.cacheDir, 'tls', createHash('sha256').update(source.names.join(',')).digest('hex').slice(0, 16))
  const problem = ensurePrivateDirectory(dir, source.cacheDir)
  if (problem?.kind === 'unsafe' && source.cacheDirLabel !== undefined)
    throw ERRORS.certCacheDirUnsafe(source.cacheDirLabel, source.cacheDir, `${problem.path} ${problem.reason}`)
  if (problem) {
    const { cert, key } = await generateSelfSigned(source.names)
    return { ...describe(cert, key, undefined, 'generated', names), notKept: notKeptBecause(problem) }
  }
  const files: CacheFiles = { dir, cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') }
  const cached = readCached(files, source.names)
  if (cached) return describe(cached.cert, cached.key, files.cert, 'cached', names)
  const made = await generateSelfSigned(source.names)
  const kept = await keepGenerated(files, source.names, made)
  if (typeof kept === 'string') return { ...describe(made.cert, made.key, undefined, 'generated', names), notKept: kept }
  return describe(kept.cert, kept.key, files.cert, kept === made ? 'generated' : 'cached', names)
}

/**
 * Check a cache directory the user named (`label`: the flag or variable) before anything starts:
 * made when missing, and refused with `certCacheDirUnsafe` when another user could write it or
 * the folders the mock keeps in it (`tls/` and one per set of names). One that cannot be made is
 * left to {@link resolveTlsCertificate} (the certificate is then not kept).
 */
export function checkCertCacheDir(dir: string, label: string): void {
  const problem = ensurePrivateDirectory(dir) ?? keptFoldersProblem(dir)
  if (problem?.kind === 'unsafe') throw ERRORS.certCacheDirUnsafe(label, dir, `${problem.path} ${problem.reason}`)
}

// `tls/` and the folders in it, where they exist: each by the rule of the directory itself.
function keptFoldersProblem(dir: string): DirectoryProblem | undefined {
  const user = processUser()
  const tls = join(dir, 'tls')
  try {
    for (const folder of [tls, ...readdirSync(tls).map((name) => join(tls, name))]) {
      const problem = strictProblem(lstatSync(folder), user)
      if (problem?.kind === 'unsafe') return { ...problem, path: folder }
    }
  } catch {
    // none yet (or gone meanwhile): resolveTlsCertificate checks what it uses
  }
  return undefined
}

function notKeptBecause(problem: DirectoryProblem): string {
  if (problem.kind === 'unusable') return `the cache directory cannot be written: ${problem.path} ${problem.reason}`
  const { from } = userCacheDirectory()
  return `another user could write the cache directory (${from}): ${problem.path} ${problem.reason}; choose one with --cert-cache-dir`
}

interface CacheFiles {
  dir: string
  cert: string
  key: string
}

/** How long a lock on a cache directory may be held before another start takes it (the holder only renames two files). */
const LOCK_STALE_MS = 10_000
/** The largest certificate or key file read from the cache (ours are under 1 KiB). */
const MAX_CACHED_FILE_BYTES = 64 * 1024
/** Extended key usage "TLS server", which the generated certificate has. */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1'
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0

/**
 * A cached pair fit to serve, or undefined: both regular files (never through a symbolic link),
 * this user's, the key readable by nobody else; the certificate a self-signed leaf (not a CA) for
 * exactly `names`, valid now and for more than {@link RENEW_BEFORE_DAYS} days, and the key its own.
 * A pair caught half-written (one start's key beside another's certificate) does not match.
 */
function readCached(files: CacheFiles, names: string[]): { cert: string; key: string } | undefined {
  const key = readCacheFile(files.key, 0o077)
  const cert = key === undefined ? undefined : readCacheFile(files.cert, 0o022)
  if (key === undefined || cert === undefined) return undefined
  try {
    const x509 = new X509Certificate(cert)
    if (x509.ca || !sameNames(x509, names) || !(x509.keyUsage ?? []).includes(SERVER_AUTH)) return undefined
    if (x509.issuer !== x509.subject || !x509.verify(x509.publicKey)) return undefined
    if (Date.parse(x509.validTo) - Date.now() < RENEW_BEFORE_DAYS * 86_400_000 || Date.parse(x509.validFrom) > Date.now()) return undefined
    if (!x509.checkPrivateKey(createPrivateKey(key))) return undefined
    return { cert, key }
  } catch {
    return undefined
  }
}

// A cache file's text: opened without following a symbolic link (and without waiting on a FIFO),
// a regular file of this user's, none of the `forbidden` mode bits, bounded in size.
function readCacheFile(file: string, forbidden: number): string | undefined {
  const user = processUser()
  try {
    return readRegularTextFile(file, MAX_CACHED_FILE_BYTES, {
      followLinks: false,
      refuse: (stats) => (user && (stats.uid !== user.uid || (stats.mode & forbidden) !== 0) ? "not this user's own" : undefined),
    })
  } catch {
    return undefined
  }
}

// The subject alternative names are exactly `names` (addresses compared in canonical form).
function sameNames(x509: X509Certificate, names: string[]): boolean {
  const canonical = (name: string) => (isIP(name) === 6 ? new URL(`http://[${name}]`).hostname : name.toLowerCase())
  const expected = new Set(names.map((name) => (isIP(name) ? `IP:${canonical(name)}` : `DNS:${canonical(name)}`)))
  const found = new Set<string>()
  for (const entry of (x509.subjectAltName ?? '').split(', ')) {
    const match = /^(DNS|IP Address):([^"\s,]+)$/.exec(entry)
    if (!match?.[2]) return false
    found.add(match[1] === 'DNS' ? `DNS:${canonical(match[2])}` : isIP(match[2]) ? `IP:${canonical(match[2])}` : 'IP:?')
  }
  return found.size === expected.size && [...found].every((name) => expected.has(name))
}

/**
 * Keep a generated pair, under the cache directory's lock: when another start kept a fit pair
 * meanwhile, that one is answered (serve it, so the file named is the certificate served); else
 * ours is written (the key, then the certificate, each to a new file renamed over the old one) and
 * read back. A string says why it was not kept.
 */
async function keepGenerated(
  files: CacheFiles,
  names: string[],
  made: { cert: string; key: string },
): Promise<{ cert: string; key: string } | string> {
  const release = await lock(join(files.dir, 'lock'))
  if (typeof release === 'string') return release
  try {
    const theirs = readCached(files, names)
    if (theirs) return theirs
    removeLeftovers(files.dir)
    writeReplacing(files.key, made.key, 0o600)
    writeReplacing(files.cert, made.cert, 0o644)
    const now = readCached(files, names)
    if (now?.cert !== made.cert || now.key !== made.key) return `the cache directory changed while it was written (${files.dir})`
    return made
  } catch (error) {
    return `the cache directory cannot be written: ${files.dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`
  } finally {
    release()
  }
}

// `file` replaced at once by a new one with `text`: made beside it under a random name (O_EXCL,
// so nothing there is followed or reused) with its mode, then renamed over it (a symbolic link
// there is replaced, never followed).
function writeReplacing(file: string, text: string, mode: number): void {
  const temporary = `${file}.${randomBytes(8).toString('hex')}.tmp`
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode)
  try {
    writeSync(fd, text)
  } catch (error) {
    closeSync(fd)
    rmSync(temporary, { force: true })
    throw error
  }
  closeSync(fd)
  try {
    renameSync(temporary, file)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

// Remove the stale lock `file` was when it was looked at (inode `ino`), not a fresh one another
// start made in its place since: it is moved aside first (atomic), and put back when it is not the stale one.
function removeStaleLock(file: string, ino: number): void {
  const aside = `${file}.${randomBytes(8).toString('hex')}.stale`
  renameSync(file, aside)
  if (lstatSync(aside).ino !== ino) {
    try {
      linkSync(aside, file)
    } catch {
      // a third start holds it now: the one moved aside is no longer needed to keep it
    }
  }
  rmSync(aside, { force: true })
}

// Temporary files a start killed while writing left behind (only written under the lock).
function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir))
    if (/^((cert|key)\.pem\.[0-9a-f]{16}\.tmp|lock\.[0-9a-f]{16}\.stale)$/.test(name)) rmSync(join(dir, name), { force: true })
}

/**
 * Take the lock file `file` (made with O_EXCL, so one start at a time): answers its release, or
 * why it cannot be had. A lock older than {@link LOCK_STALE_MS} (its holder was killed) is removed.
 */
async function lock(file: string): Promise<(() => void) | string> {
  const deadline = Date.now() + LOCK_STALE_MS + 2000
  for (;;) {
    try {
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600)
      const { ino } = fstatSync(fd)
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      // Removed only while it is still this start's lock (not taken over as stale meanwhile).
      return () => {
        try {
          if (lstatSync(file).ino === ino) rmSync(file, { force: true })
        } catch {
          // already gone
        }
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') return `the cache directory cannot be written: ${file} (${code ?? String(error)})`
    }
    try {
      const held = lstatSync(file)
      if (Math.abs(Date.now() - held.mtimeMs) > LOCK_STALE_MS) removeStaleLock(file, held.ino)
    } catch {
      // released meanwhile: try again at once
      continue
    }
    if (Date.now() > deadline) return `the cache directory stayed locked by another start (${file})`
    await sleep(10 + Math.random() * 20)
  }
}

// selfsigned (over @peculiar/x509 and WebCrypto) makes the certificate; Node can read X.509 but not write it.
async function generateSelfSigned(names: string[]): Promise<{ cert: string; key: string }> {
  const { generate } = await import('selfsigned')
  const notBeforeDate = new Date(Date.now() - 60_000)
  const notAfterDate = new Date(notBeforeDate.getTime() + GENERATED_VALID_DAYS * 86_400_000)
  const pems = await generate([{ name: 'commonName', value: 'BigCommerce mock storefront (localhost)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })),
      },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

// `names`: those a generated certificate was made for, or a given one's subject alternative names.
function describe(
  cert: string,
  key: string,
  certFile: string | undefined,
  source: TlsCertificate['source'],
  names: (x509: X509Certificate) => string[],
): TlsCertificate {
  const x509 = new X509Certificate(cert)
  return { cert, key, fingerprint256: x509.fingerprint256, certFile, source, names: names(x509), validTo: new Date(x509.validTo) }
}

/** The names and addresses a certificate source is for: those to generate, or a given certificate's subject alternative names. */
export function tlsSourceNames(source: TlsSource): string[] {
  return source.kind === 'generate' ? source.names : subjectAltNames(new X509Certificate(source.cert))
}

function subjectAltNames(x509: X509Certificate): string[] {
  return (x509.subjectAltName ?? '')
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter((entry) => entry !== '')
}
