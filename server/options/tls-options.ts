import { resolve as resolvePath } from 'node:path'
import { ERRORS } from '../errors.js'
import { defaultCertCacheDir, generatedCertificateNames, readCertificatePair, type TlsSource } from '../http/tls-certificate.js'
import { check } from './checks.js'
import type { MockStorefrontOptions } from './mock-storefront-options.js'
import type { ResolvedOptions } from './resolve.js'

// --https, --cert, --key: a given pair is read and checked here, before anything could listen.
export function resolveTlsOptions(options: MockStorefrontOptions, host: string): Pick<ResolvedOptions, 'https' | 'tls'> {
  const pair = tlsPair(options.cert, options.key, { cert: 'cert', key: 'key' })
  const https = options.https === undefined ? pair !== undefined : check.boolean(options.https, 'https')
  if (!https && pair) throw ERRORS.conflictingOptions('https: false', 'cert/key', 'a certificate is only for serving https; drop it, or drop https: false')
  if (!https) return { https, tls: undefined }
  if (pair) return { https, tls: pair }
  // A cache directory given is one the caller chose: another user able to write it is an error, not a silent fallback.
  const names = generatedCertificateNames(host)
  if (options.certCacheDir === undefined) return { https, tls: { kind: 'generate', names, cacheDir: defaultCertCacheDir() } }
  return { https, tls: { kind: 'generate', names, cacheDir: resolvePath(check.path(options.certCacheDir, 'certCacheDir')), cacheDirLabel: 'certCacheDir' } }
}

/**
 * A certificate and key given together, read and checked; undefined when neither is given.
 * `labels` name them as the caller knows them (options `cert`/`key`, flags `--cert`/`--key`).
 */
export function tlsPair(cert: unknown, key: unknown, labels: { cert: string; key: string }): TlsSource | undefined {
  if (cert === undefined && key === undefined) return undefined
  if (key === undefined) throw ERRORS.invalidOption(labels.key, `missing: ${labels.cert} ${String(cert)} needs the certificate's private key file too`)
  if (cert === undefined) throw ERRORS.invalidOption(labels.cert, `missing: ${labels.key} ${String(key)} needs its certificate file too`)
  return readCertificatePair(resolvePath(check.path(cert, labels.cert)), resolvePath(check.path(key, labels.key)), labels)
}
