import type { Fault } from '../domain/rules/fault-rules.js'
import type { Store } from '../domain/store.js'

/** How long a `hang` fault holds a request at most (the server's default request timeout). */
const HANG_BOUND_MS = 300_000

/**
 * Hold a request a `delay` or `hang` fault drew, as the server's HTTP layer does: a `delay`
 * ends after `delay_ms`; a `hang` when the fault ends or the bound passes. Answers whether the
 * request is then to be answered: not when it hung to the bound, the client gave up (`signal`),
 * or the store was reset since it began (`startedIn`).
 */
export function holdForFault(store: Store, fault: Fault, signal: AbortSignal, startedIn: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(fault.effect === 'delay'), fault.effect === 'delay' ? (fault.delayMs ?? 0) : HANG_BOUND_MS)
    const stopEnded = store.onFaultEnded((ended) => {
      if (fault.effect === 'hang' && ended.id === fault.id) finish(true)
    })
    const stopReset = store.onReset(() => finish(false))
    const onAbort = () => finish(false)
    signal.addEventListener('abort', onAbort)
    function finish(answered: boolean): void {
      clearTimeout(timer)
      stopEnded()
      stopReset()
      signal.removeEventListener('abort', onAbort)
      resolve(answered && startedIn === store.generation)
    }
  })
}
