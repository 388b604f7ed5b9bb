// Helpers for tests of `--https`: requests over real TLS sockets that trust only the mock's
// certificate, Set-Cookie parsing, a developer's own certificate pair, and the CLI's ready line.
import { spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect as tlsConnect, type PeerCertificate } from 'node:tls'
import { generate } from 'selfsigned'
import type { Test } from 'tap'
import { cleanEnv, type CliProcess } from './cli.js'

/** A response as a test reads it. */
export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  /** Every Set-Cookie line, as sent. */
  setCookies: string[]
  body: string
}

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  body?: string
  /** The only certificate(s) trusted for an https URL. */
  ca?: string
  /** The name the server certificate must be valid for (default: the URL's host). */
  servername?: string
}

/**
 * One request on a fresh connection (no agent, no pooling: nothing stays open after it),
 * over TLS for an `https:` URL with `ca` as the only trusted certificate.
 */
export function request(url: string, options: RequestOptions = {}): Promise<Answer> {
  const target = new URL(url)
  const secure = target.protocol === 'https:'
  const send = secure ? httpsRequest : httpRequest
  const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8')
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        protocol: target.protocol,
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: { ...(body && { 'content-length': String(body.length) }), ...options.headers },
        agent: false,
        ...(secure && {
          ca: options.ca ?? [],
          rejectUnauthorized: true,
          ...(options.servername !== undefined && { servername: options.servername }),
        }),
        timeout: 5000,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const raw = response.headers['set-cookie']
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            setCookies: raw ?? [],
            body: Buffer.concat(chunks).toString('utf8'),
          })
        })
        response.on('error', reject)
      },
    )
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${url} within 5 s`)))
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/** The certificate a TLS server at `url` presents, verified against `ca` (and the URL's host, or `servername`). */
export function peerCertificate(url: string, ca: string, servername?: string): Promise<PeerCertificate> {
  const target = new URL(url)
  const host = target.hostname.replace(/^\[|\]$/g, '')
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port: Number(target.port), ca, servername: servername ?? host, rejectUnauthorized: true }, () => {
      const peer = socket.getPeerCertificate()
      socket.destroy()
      resolve(peer)
    })
    socket.on('error', reject)
  })
}

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: Test, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A self-signed pair as a developer might make one (mkcert-like): for `names`, EC P-256. */
export async function developerCertificate(
  names: string[],
  commonName = 'developer certificate',
  validity: { notBeforeDate?: Date; notAfterDate?: Date } = {},
): Promise<{ cert: string; key: string; fingerprint256: string }> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    ...validity,
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })),
      },
    ],
  })
  return { cert: pems.cert, key: pems.private, fingerprint256: new X509Certificate(pems.cert).fingerprint256 }
}

/**
 * The base64 lines of a PEM private key: none of them may ever appear in any output. (The
 * `-----BEGIN ... KEY-----` line is not secret, and lines too short to be telling are left out.)
 */
export function keyMaterial(keyPem: string): string[] {
  return keyPem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'))
}

/** `--ready-json`'s first stdout line. */
export interface ReadyLine {
  url: string
  port: number
  host: string
  pid: number
  store_hash: string
  app_client_ids: string[]
  cert_file?: string | null
  fingerprint256?: string
}

async function waitFor<T>(cli: CliProcess, what: string, timeoutMs: number, found: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = found()
    if (value !== undefined) return value
    if (cli.exit)
      throw new Error(`the CLI exited (${JSON.stringify(cli.exit)}) before ${what}.\nstdout: ${cli.stdout}\nstderr: ${cli.stderr}`)
    if (Date.now() > deadline) throw new Error(`no ${what} after ${timeoutMs} ms.\nstdout: ${cli.stdout}\nstderr: ${cli.stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Wait for the ready line (started with `--ready-json`) and parse it. */
export function readyLine(cli: CliProcess, timeoutMs = 10_000): Promise<ReadyLine> {
  return waitFor(cli, 'the ready line', timeoutMs, () => {
    const end = cli.stdout.indexOf('\n')
    return end === -1 ? undefined : (JSON.parse(cli.stdout.slice(0, end)) as ReadyLine)
  })
}

/** Wait for the whole banner (its last line is the control API's); answers it. */
export function bannerOf(cli: CliProcess, timeoutMs = 10_000): Promise<string> {
  return waitFor(cli, 'the banner', timeoutMs, () => {
    const match = /BigCommerce mock storefront listening on[\s\S]*?\n {2}Control API:[^\n]*\n/.exec(cli.stdout)
    return match?.[0]
  })
}

/** What a child `node` process's `fetch(url)` did: `status 200`, or `error CODE`. */
export function fetchFromChildNode(url: string, env: Record<string, string>): Promise<string> {
  const script =
    "try { const r = await fetch(process.argv[1]); await r.text(); console.log('status ' + r.status) } catch (e) { console.log('error ' + (e.cause?.code ?? e.message)) }"
  const base = cleanEnv()
  delete base.NODE_EXTRA_CA_CERTS
  delete base.NODE_TLS_REJECT_UNAUTHORIZED
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, url], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the child node did not finish within 10 s; stdout ${stdout}; stderr ${stderr}`))
    }, 10_000)
    child.on('close', () => {
      clearTimeout(timer)
      resolve(stdout.trim() || `no output; stderr ${stderr}`)
    })
  })
}
