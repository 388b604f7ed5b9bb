import { Writable } from 'node:stream'

/** One parsed pino log line. */
export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

/** pino's numeric levels. */
export const LEVEL = { info: 30, warn: 40, error: 50 } as const

/** A Writable that keeps every log line the mock writes, parsed, for `logStream`. */
export class LogCapture extends Writable {
  readonly lines: LogLine[] = []
  #partial = ''

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = this.#partial + chunk.toString()
    const parts = text.split('\n')
    this.#partial = parts.pop() ?? ''
    for (const part of parts) if (part.trim()) this.lines.push(JSON.parse(part) as LogLine)
    callback()
  }

  /** Lines whose message starts with `msg`. */
  find(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg.startsWith(msg))
  }

  /** Wait until `count` lines start with `msg` (default: one more than now); rejects after `timeoutMs`. */
  async waitFor(msg: string, count = this.find(msg).length + 1, timeoutMs = 5000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const found = this.find(msg)
      if (found.length >= count) return found[count - 1] as LogLine
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error(`no log line "${msg}" (#${count}) within ${timeoutMs} ms; got: ${this.lines.map((line) => line.msg).join(' | ')}`)
  }
}
