import { connect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'

/** What came back on a raw socket. */
export interface RawAnswer {
  /** The status of the first status line, if any arrived. */
  status: number | undefined
  /** Everything received (latin-1), up to when the exchange ended. */
  text: string
  /** From connecting to the end of the exchange. */
  elapsedMs: number
  /** The exchange hit `timeoutMs` before it ended. */
  timedOut: boolean
}

export interface RawOptions {
  /** Half-close the socket after writing (default true). */
  end?: boolean
  /** Stop as soon as a whole response head arrived instead of waiting for the close (default false). */
  untilHead?: boolean
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number
  /** Speak TLS, trusting this PEM certificate (an `--https` mock's); the bytes are written once the handshake is done. */
  tlsCa?: string
}

/**
 * Write bytes to 127.0.0.1:port exactly as given (no client-side checks or limits, unlike
 * `fetch`) and collect the answer until the server closes the connection, or only until the
 * response head with `untilHead` (for a body the client never finishes sending).
 */
export function rawExchange(port: number, data: string | Buffer, options: RawOptions = {}): Promise<RawAnswer> {
  const { end = true, untilHead = false, timeoutMs = 5000, tlsCa } = options
  const started = Date.now()
  return new Promise((resolve) => {
    const send = () => {
      const payload = typeof data === 'string' ? Buffer.from(data, 'latin1') : data
      if (end) socket.end(payload)
      else socket.write(payload)
    }
    const socket =
      tlsCa === undefined ? connect(port, '127.0.0.1') : tlsConnect({ host: '127.0.0.1', port, ca: tlsCa, servername: '127.0.0.1' }, send)
    let text = ''
    let settled = false
    const finish = (timedOut: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]
      resolve({ status: status === undefined ? undefined : Number(status), text, elapsedMs: Date.now() - started, timedOut })
    }
    const timer = setTimeout(() => finish(true), timeoutMs)
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      text += chunk
      if (untilHead && text.includes('\r\n\r\n')) finish(false)
    })
    // A server that stops reading and resets the connection still counts as an answer.
    socket.on('error', () => finish(false))
    socket.on('close', () => finish(false))
    if (tlsCa === undefined) send()
  })
}
