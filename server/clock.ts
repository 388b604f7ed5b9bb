/**
 * The one clock every timestamp comes from: token `iat`/`exp`, session expiry and Customer
 * Login checks. It runs in real time, or frozen at a given instant, and can be moved.
 */
export class Clock {
  #frozenAtMs: number | undefined
  #offsetMs = 0
  readonly #initialFrozenAtMs: number | undefined

  /** @param frozenAtSeconds - epoch seconds to freeze at (the `--now` flag); omit for real time. */
  constructor(frozenAtSeconds?: number) {
    this.#initialFrozenAtMs = frozenAtSeconds === undefined ? undefined : frozenAtSeconds * 1000
    this.#frozenAtMs = this.#initialFrozenAtMs
  }

  /** Current time in epoch milliseconds. */
  nowMs(): number {
    return this.#frozenAtMs ?? Date.now() + this.#offsetMs
  }

  /** Current time in whole epoch seconds, as JWT claims carry it. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000)
  }

  /** Whether time stands still. */
  get frozen(): boolean {
    return this.#frozenAtMs !== undefined
  }

  /** Stop time at `epochSeconds`. */
  freeze(epochSeconds: number): void {
    this.#frozenAtMs = epochSeconds * 1000
  }

  /** Move time forward (or back, with a negative value) by `seconds`, frozen or not. */
  advance(seconds: number): void {
    if (this.#frozenAtMs === undefined) this.#offsetMs += seconds * 1000
    else this.#frozenAtMs += seconds * 1000
  }

  /** Return to real time. */
  useRealTime(): void {
    this.#frozenAtMs = undefined
    this.#offsetMs = 0
  }

  /** Return to the state the clock was created in (frozen at `--now`, or real time); the store's reset does this. */
  returnToStart(): void {
    this.#frozenAtMs = this.#initialFrozenAtMs
    this.#offsetMs = 0
  }
}
