import http from 'node:http'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ManagedChild } from './children.js'

/** The loopback address every benchmark server listens on. */
export const HOST = '127.0.0.1'

/**
 * A port that is free on 127.0.0.1 right now (the kernel's pick for port 0, then released).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))))
    })
  })
}

/**
 * One `GET` on a fresh connection; resolves to the status code as soon as the response head
 * arrives (the body is drained), rejects on a connection error or after `timeoutMs`.
 */
export function getStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.once('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)))
    request.once('error', reject)
  })
}

/** Options of {@link waitForOk}. */
export interface WaitForOkOptions {
  /** The process that should come to answer; its early exit fails the wait at once. */
  child: ManagedChild
  /** Pause between attempts, in ms. */
  pollMs: number
  /** Give up after this many ms. */
  timeoutMs: number
}

/**
 * Poll `url` until it answers 200. Resolves to `performance.now()` at the moment the 200 arrived.
 * Rejects, with the child's output, if the child exits first or the timeout passes.
 */
export async function waitForOk(url: string, { child, pollMs, timeoutMs }: WaitForOkOptions): Promise<number> {
  const deadline = performance.now() + timeoutMs
  let last = 'no attempt'
  while (performance.now() < deadline) {
    if (child.hasExited()) throw new Error(`${child.label} exited before answering ${url}:\n${child.output()}`)
    try {
      const status = await getStatus(url, 1000)
      if (status === 200) return performance.now()
      last = `status ${status}`
    } catch (error) {
      last = error instanceof Error ? error.message : String(error)
    }
    await sleep(pollMs)
  }
  throw new Error(`${child.label} did not answer 200 on ${url} within ${timeoutMs} ms (last: ${last}):\n${child.output()}`)
}
