/** A claim or value for a log line or an answer: JSON, cut short so a hostile token cannot flood either. */
export function showValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : jsonOrType(value)
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

// JSON where it has one; a value JSON cannot show (a BigInt, a function, a cycle) by its type,
// and NaN and Infinity as themselves (JSON would say null).
function jsonOrType(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  try {
    return JSON.stringify(value) ?? typeof value
  } catch {
    return typeof value === 'bigint' ? `${value}n` : `a ${typeof value} JSON cannot show`
  }
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * The known name a misspelt one most likely meant, for "did you mean ...?": the same but for
 * case, `_` and `-` (`tokenTTL`, `delayMs`), at most two edits away (`time`), or a known name
 * the given one starts with (`statusCode`). Undefined when none is close. The one
 * implementation behind every suggestion (options, fault fields, control API body fields).
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const plain = (text: string) => text.toLowerCase().replace(/[-_]/g, '')
  const given = plain(name)
  const same = known.find((candidate) => plain(candidate) === given)
  if (same) return same
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    const distance = editDistance(given, plain(candidate))
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance }
  }
  if (best) return best.name
  // A known name with something appended (`statusCode`, `timesLeft`): the longest such one.
  const extended = known.filter((candidate) => plain(candidate).length >= 4 && given.startsWith(plain(candidate)))
  return extended.sort((a, b) => b.length - a.length)[0]
}

// Levenshtein distance over two short words (field names): a dependency would be more than these lines.
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length] ?? 0
}
