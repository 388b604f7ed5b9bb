import { createHash, createPrivateKey, X509Certificate } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ERRORS } from '../errors.js'
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
  | { kind: 'generate'; names: string[]; cacheDir: string }

/** Days a generated certificate is valid; it is made again once less than {@link RENEW_BEFORE_DAYS} remain. */
export const GENERATED_VALID_DAYS = 365
const RENEW_BEFORE_DAYS = 7

/**
 * The user's cache directory for this package: `$XDG_CACHE_HOME` or `~/.cache` on Linux,
 * `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows, each with `bigcommerce-mock-storefront`.
 */
export function defaultCertCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const base =
    platform === 'darwin'
      ? join(homedir(), 'Library', 'Caches')
      : platform === 'win32'
        ? (env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
        : env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.trim() !== ''
          ? env.XDG_CACHE_HOME
          : join(homedir(), '.cache')
  return join(base, 'bigcommerce-mock-storefront')
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
export function readCertificatePair(certFile: string, keyFile: string, labels: { cert: string; key: string }): Extract<TlsSource, { kind: 'files' }> {
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
    throw ERRORS.tlsCertificate(labels.key, `${keyFile} is not a PEM private key without a passphrase (expected -----BEGIN PRIVATE KEY----- or similar)`)
  }
  if (!x509.checkPrivateKey(privateKey)) throw ERRORS.tlsCertificate(labels.key, `${keyFile} is not the private key of ${certFile} (${labels.cert}); give the pair made together (mkcert writes NAME.pem and NAME-key.pem)`)
  return { kind: 'files', cert, key, certFile, keyFile }
}

/**
 * Largest PEM file read for `--cert` or `--key`: 1 MiB. A certificate chain is a few KiB (a
 * dozen certificates, or an RSA-16384 key, stay well under 100 KiB); anything near the cap is
 * not a PEM file, and reading stops there.
 */
export const MAX_PEM_FILE_BYTES = 1024 * 1024

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
 * `names` is taken from the cache directory when one is there, valid and for the same names,
 * and generated and cached when not, so a browser's exception for it survives restarts. A cache
 * directory that cannot be written is not an error: the certificate is then used for this run only.
 */
export async function resolveTlsCertificate(source: TlsSource): Promise<TlsCertificate> {
  if (source.kind === 'files') return describe(source.cert, source.key, source.certFile, 'given', subjectAltNames)
  const dir = join(source.cacheDir, 'tls', createHash('sha256').update(source.names.join(',')).digest('hex').slice(0, 16))
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  const cached = readCached(certFile, keyFile)
  if (cached) return describe(cached.cert, cached.key, certFile, 'cached', () => source.names)
  const { cert, key } = await generateSelfSigned(source.names)
  return describe(cert, key, writeCached(dir, certFile, keyFile, cert, key) ? certFile : undefined, 'generated', () => source.names)
}

function readCached(certFile: string, keyFile: string): { cert: string; key: string } | undefined {
  try {
    const cert = readFileSync(certFile, 'utf8')
    const key = readFileSync(keyFile, 'utf8')
    const x509 = new X509Certificate(cert)
    if (!x509.checkPrivateKey(createPrivateKey(key))) return undefined
    if (Date.parse(x509.validTo) - Date.now() < RENEW_BEFORE_DAYS * 86_400_000 || Date.parse(x509.validFrom) > Date.now()) return undefined
    return { cert, key }
  } catch {
    return undefined
  }
}

function writeCached(dir: string, certFile: string, keyFile: string, cert: string, key: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(keyFile, key, { mode: 0o600 })
    chmodSync(keyFile, 0o600)
    writeFileSync(certFile, cert, { mode: 0o644 })
    return true
  } catch {
    return false
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
      { name: 'subjectAltName', altNames: names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })) },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

// `names`: those a generated certificate was made for, or a given one's subject alternative names.
function describe(cert: string, key: string, certFile: string | undefined, source: TlsCertificate['source'], names: (x509: X509Certificate) => string[]): TlsCertificate {
  const x509 = new X509Certificate(cert)
  return { cert, key, fingerprint256: x509.fingerprint256, certFile, source, names: names(x509), validTo: new Date(x509.validTo) }
}

function subjectAltNames(x509: X509Certificate): string[] {
  return (x509.subjectAltName ?? '')
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter((entry) => entry !== '')
}
