/** A `BENCH_*` environment variable set to a value the benchmark cannot use (it then exits 2). */
export class KnobError extends Error {}

/** `BENCH_*` variable `name` as a whole number of at least `min` (`_` separators allowed); `fallback` when unset. */
export function int(name: string, fallback: number, min = 1): number {
  const raw = process.env[name]?.trim().replace(/_/g, '') ?? ''
  if (raw === '') return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw new KnobError(`${name}: expected a whole number >= ${min}, got ${JSON.stringify(process.env[name])}`)
  return Number(raw)
}

/** `BENCH_*` variable `name` as 1/0 (or true/false, yes/no); `fallback` when unset. */
export function flag(name: string, fallback: boolean): boolean {
  const raw = process.env[name]?.trim().toLowerCase() ?? ''
  if (raw === '') return fallback
  if (['1', 'true', 'yes'].includes(raw)) return true
  if (['0', 'false', 'no'].includes(raw)) return false
  throw new KnobError(`${name}: expected 1 or 0, got ${JSON.stringify(process.env[name])}`)
}

/** `BENCH_*` variable `name` as a comma-separated subset of `allowed`, in the order of `allowed`; `fallback` when unset. */
export function list<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[] = allowed): T[] {
  const raw = process.env[name]?.trim() ?? ''
  if (raw === '') return [...fallback]
  const wanted = raw.split(',').map((item) => item.trim())
  if (wanted.some((item) => !(allowed as readonly string[]).includes(item)))
    throw new KnobError(`${name}: expected a comma-separated list of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`)
  return allowed.filter((item) => wanted.includes(item))
}
