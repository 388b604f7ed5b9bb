import { resolve as resolvePath } from 'node:path'
import { showValue } from '../domain/describe-value.js'
import { ERRORS } from '../errors.js'
import {
  checkCertCacheDir,
  defaultCertCacheDir,
  generatedCertificateNames,
  readCertificatePair,
  type TlsSource,
} from '../http/tls-certificate.js'
import { check } from './checks.js'
import { optionLabel, type MockStorefrontOptions, type OptionLabels, type OptionName } from './mock-storefront-options.js'
import type { ResolvedOptions } from './resolved-options.js'

/**
 * `--https`, `--cert`, `--key` and `--cert-cache-dir`, each checked once, before anything could
 * listen; errors name each by its label. A given pair is read and checked here; a cache directory
 * given is checked here too (made when missing): one another user could write is an error, not a
 * silent fallback, since the caller chose it. `startMockStorefront` then takes the certificate.
 */
export function resolveTlsOptions(
  options: MockStorefrontOptions,
  host: string,
  labels: OptionLabels,
): Pick<ResolvedOptions, 'https' | 'tls'> {
  const label = (name: OptionName) => optionLabel(labels, name)
  const pair = tlsPair(options.cert, options.key, { cert: label('cert'), key: label('key') })
  const https = options.https === undefined ? pair !== undefined : check.boolean(options.https, label('https'))
  const cacheDir = options.certCacheDir === undefined ? undefined : resolvePath(check.path(options.certCacheDir, label('certCacheDir')))
  if (!https && pair) {
    // From the command line `https` is off only by its variable: the flag can only turn it on.
    if (labels.https === undefined)
      throw ERRORS.conflictingOptions('https: false', 'cert/key', 'a certificate is only for serving https; drop it, or drop https: false')
    throw ERRORS.conflictingOptions(labels.https, label('cert'), 'a certificate is only for serving https; drop it, or unset the variable')
  }
  if (!https) return { https, tls: undefined }
  if (pair) return { https, tls: pair }
  const names = generatedCertificateNames(host)
  if (cacheDir === undefined) return { https, tls: { kind: 'generate', names, cacheDir: defaultCertCacheDir() } }
  checkCertCacheDir(cacheDir, label('certCacheDir'))
  return { https, tls: { kind: 'generate', names, cacheDir, cacheDirLabel: label('certCacheDir') } }
}

/**
 * A certificate and key given together, read and checked; undefined when neither is given.
 * `labels` name them as the caller knows them (options `cert`/`key`, flags `--cert`/`--key`).
 */
function tlsPair(cert: unknown, key: unknown, labels: { cert: string; key: string }): TlsSource | undefined {
  if (cert === undefined && key === undefined) return undefined
  if (key === undefined)
    throw ERRORS.invalidOption(
      labels.key,
      `missing: ${labels.cert} ${typeof cert === 'string' ? cert : showValue(cert)} needs the certificate's private key file too`,
    )
  if (cert === undefined)
    throw ERRORS.invalidOption(
      labels.cert,
      `missing: ${labels.key} ${typeof key === 'string' ? key : showValue(key)} needs its certificate file too`,
    )
  return readCertificatePair(resolvePath(check.path(cert, labels.cert)), resolvePath(check.path(key, labels.key)), labels)
}
