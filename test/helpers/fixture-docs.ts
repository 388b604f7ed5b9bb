import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import type { FixtureDocument } from '../../server/index.js'

/** Secrets used by {@link testDocument}; no error message may ever contain one. */
export const SECRETS = {
  hs512: 'hs512-secret-value-that-must-never-leak-0001',
  hs256: 'hs256-secret-value-that-must-never-leak-0002',
  hs384: 'hs384-secret-value-that-must-never-leak-0003',
  password: 'customer-password-never-leak-0004',
} as const

/** A small valid fixture document with one app per algorithm; a fresh copy each call. */
export function testDocument(): FixtureDocument {
  return {
    store_hash: 'teststore1',
    apps: [
      { client_id: 'app-hs512', client_secret: SECRETS.hs512 },
      { client_id: 'app-hs256', client_secret: SECRETS.hs256, algorithm: 'HS256', token_ttl: 300 },
      { client_id: 'app-hs384', client_secret: SECRETS.hs384, algorithm: 'HS384', group_id: '9' },
    ],
    customers: [
      { id: 10, email: 'alice@example.com', password: SECRETS.password, group_id: '3' },
      { id: 11, email: 'bob@example.com', password: SECRETS.password },
    ],
  }
}

/** A temporary folder under the OS temp dir, removed when the test ends. */
export function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'bc-mock-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Write `text` to a file named `name` in a fresh temp folder; answers its path. */
export function writeTemp(t: Test, name: string, text: string): string {
  const file = join(tempDir(t), name)
  writeFileSync(file, text)
  return file
}
