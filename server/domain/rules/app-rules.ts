import { MAX_CLIENT_ID_LENGTH } from '../../errors.js'
import { join, readEntry, type FieldReader } from '../field-reader.js'
import type { FixtureApp } from '../fixture-document.js'
import type { App, TokenAlgorithm } from '../types.js'
import { readGroupId } from './customer-rules.js'

/**
 * The rules of apps, for every way one comes in: the fixture file (and `--watch`), and apps
 * registered or changed at run time (`POST`/`PATCH /__mock/apps`, `app.mock`). The fixture parser
 * and the {@link Store} both call these; `openapi/mock-control.yaml` restates them
 * (`ClientIdValue`, `Algorithm`, `TokenTtl`), and test/control/rules-sync.test.ts keeps it equal to these.
 * Client ids are unique in a store, compared exactly (case matters).
 */

/** The fields an app entry may have. */
export const APP_FIELDS = ['client_id', 'client_secret', 'token_ttl', 'algorithm', 'group_id', 'name', 'access_token'] as const

/** HMAC algorithms a Current Customer token can be signed with. Production issues HS512. */
export const TOKEN_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const satisfies readonly TokenAlgorithm[]

/** One of {@link TOKEN_ALGORITHMS}. */
export type { TokenAlgorithm }

/** The algorithm of an app that names none: what production issues. */
const DEFAULT_TOKEN_ALGORITHM: TokenAlgorithm = 'HS512'

/** What a client id is made of: printable ASCII without spaces (BigCommerce's are about 31 characters). */
export const CLIENT_ID_PATTERN = /^[\x21-\x7e]+$/

/** A client id as a problem describes it. */
export const CLIENT_ID_EXPECTED = 'printable characters without spaces'

/** Is `value` a client id the mock registers: {@link CLIENT_ID_PATTERN}, at most `MAX_CLIENT_ID_LENGTH` characters? */
export function isClientId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CLIENT_ID_LENGTH && CLIENT_ID_PATTERN.test(value)
}

const CLIENT_ID = { test: CLIENT_ID_PATTERN, expected: CLIENT_ID_EXPECTED, maxLength: MAX_CLIENT_ID_LENGTH }

/** What an access token is made of: printable ASCII without spaces, as an HTTP header carries it (BigCommerce's are about 31 characters). */
export const ACCESS_TOKEN_PATTERN = /^[\x21-\x7e]+$/

/** Longest access token: BigCommerce's are about 31 characters; the bound keeps a header and a map key short. */
export const MAX_ACCESS_TOKEN_LENGTH = 256

/** An app's `access_token`: {@link ACCESS_TOKEN_PATTERN}, at most {@link MAX_ACCESS_TOKEN_LENGTH} characters; a secret, so a problem never quotes it. */
function readAccessToken(reader: FieldReader, value: unknown, path: string): string | undefined {
  const token = reader.string(value, path, undefined, true)
  if (token === undefined) return undefined
  if (token.length > MAX_ACCESS_TOKEN_LENGTH || !ACCESS_TOKEN_PATTERN.test(token)) {
    reader.problem(
      path,
      `expected 1 to ${MAX_ACCESS_TOKEN_LENGTH} printable characters without spaces (not shown: it is a secret), got ${token.length} characters`,
    )
    return undefined
  }
  return token
}

/** What {@link readAppEntry} read: the app, and its client id even when another field is wrong (to check it for clashes all the same). */
export interface AppRead {
  app: App | undefined
  clientId: string | undefined
}

/**
 * One app entry checked field by field, each problem noted in `reader` under `path` (e.g.
 * `apps[2]`); the app is undefined when a field is wrong. Defaults: algorithm
 * {@link DEFAULT_TOKEN_ALGORITHM}, the store's token lifetime, the customer's own group.
 */
export function readAppEntry(reader: FieldReader, entry: unknown, path: string): AppRead {
  const fields = reader.object(entry, path, APP_FIELDS)
  if (!fields) return { app: undefined, clientId: undefined }
  const clientId = reader.string(fields.client_id, join(path, 'client_id'), CLIENT_ID)
  const clientSecret = reader.string(fields.client_secret, join(path, 'client_secret'), undefined, true)
  const tokenTtl =
    fields.token_ttl === undefined
      ? undefined
      : reader.integer(fields.token_ttl, join(path, 'token_ttl'), 1, 'a positive whole number of seconds')
  const algorithm =
    fields.algorithm === undefined ? DEFAULT_TOKEN_ALGORITHM : reader.oneOf(fields.algorithm, join(path, 'algorithm'), TOKEN_ALGORITHMS)
  const groupId = fields.group_id === undefined ? undefined : readGroupId(reader, fields.group_id, join(path, 'group_id'))
  const name = fields.name === undefined ? undefined : reader.string(fields.name, join(path, 'name'))
  const accessToken =
    fields.access_token === undefined ? undefined : readAccessToken(reader, fields.access_token, join(path, 'access_token'))
  if (clientId === undefined || clientSecret === undefined || algorithm === undefined) return { app: undefined, clientId }
  const app: App = {
    clientId,
    clientSecret,
    algorithm,
    ...(tokenTtl !== undefined && { tokenTtl }),
    ...(groupId !== undefined && { groupId }),
    ...(name !== undefined && { name }),
    ...(accessToken !== undefined && { accessToken }),
  }
  return { app, clientId }
}

/** One app entry checked by {@link readAppEntry}, for an app registered or changed at run time: a 400 naming the field. */
export function checkAppEntry(entry: FixtureApp): App {
  return readEntry((reader, path) => readAppEntry(reader, entry, path).app)
}

/** An app as a fixture entry (for merging changes into it). */
export function appEntry(app: App): FixtureApp {
  return {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    algorithm: app.algorithm,
    ...(app.tokenTtl !== undefined && { token_ttl: app.tokenTtl }),
    ...(app.groupId !== undefined && { group_id: app.groupId }),
    ...(app.name !== undefined && { name: app.name }),
    ...(app.accessToken !== undefined && { access_token: app.accessToken }),
  }
}
