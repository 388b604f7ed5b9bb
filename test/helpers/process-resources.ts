/** Process events whose listeners a server could leave behind. */
const WATCHED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'warning'] as const

/** What keeps the process alive, by kind (`TCPServerWrap`, `TCPSocketWrap`, `Timeout`, `FSEventWrap`...), and its event listeners. */
export interface ResourceSnapshot {
  resources: Record<string, number>
  listeners: Record<string, number>
}

function snapshot(): ResourceSnapshot {
  const resources: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1
  const listeners: Record<string, number> = {}
  for (const event of WATCHED_EVENTS) listeners[event] = process.listenerCount(event)
  return { resources, listeners }
}

/** Kinds and events that hold more now than in `baseline`, with both counts. */
function growth(baseline: ResourceSnapshot, now: ResourceSnapshot): string[] {
  const grown: string[] = []
  for (const [kind, count] of Object.entries(now.resources))
    if (count > (baseline.resources[kind] ?? 0)) grown.push(`${kind}: ${baseline.resources[kind] ?? 0} -> ${count}`)
  for (const [event, count] of Object.entries(now.listeners))
    if (count > (baseline.listeners[event] ?? 0)) grown.push(`'${event}' listeners: ${baseline.listeners[event] ?? 0} -> ${count}`)
  return grown
}

/**
 * Wait until nothing has grown since `baseline`, up to `timeoutMs`: closed handles are released
 * a few event-loop turns after `close()` resolves, and peers' sockets after the server's FIN.
 * Answers what still has grown at the end (empty when everything settled).
 */
export async function settleTo(baseline: ResourceSnapshot, timeoutMs = 3000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const grown = growth(baseline, snapshot())
    if (grown.length === 0 || Date.now() > deadline) return grown
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/**
 * A snapshot taken once nothing has changed for `quietMs`: handles closed a moment ago (a
 * server's `close()` resolves a tick before its socket handles are released) are gone from it,
 * so they cannot hide a leak later.
 */
export async function quiescentSnapshot(quietMs = 250, timeoutMs = 5000): Promise<ResourceSnapshot> {
  const deadline = Date.now() + timeoutMs
  let last = snapshot()
  let quietSince = Date.now()
  while (Date.now() - quietSince < quietMs && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25))
    const now = snapshot()
    if (JSON.stringify(now) !== JSON.stringify(last)) {
      last = now
      quietSince = Date.now()
    }
  }
  return last
}
