import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import type { RawData, WebSocketServer } from 'ws'

/** A stand-in dev server listening on a free loopback port, and how to stop it with its WebSocket clients. */
export async function listenUpstream(server: Server, wss: WebSocketServer): Promise<{ origin: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A stand-in dev server that answers `dev server` and counts what reached it; closed when the test ends. */
export async function countingUpstream(t: Test): Promise<{ origin: string; hits(): number }> {
  let hits = 0
  const upstream = createServer((_request, response) => {
    hits++
    response.end('dev server')
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => upstream.close(() => resolve())))
  return { origin: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, hits: () => hits }
}

/** The text of a WebSocket message, whichever form `ws` hands it in (a Buffer, an ArrayBuffer or fragments). */
export function wsText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8')
}
