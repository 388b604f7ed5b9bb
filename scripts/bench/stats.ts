/** Arithmetic mean; NaN for an empty list. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length
}

/** Median (mean of the two middle values for an even count); NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
}

/** Smallest value; NaN for an empty list. */
export function min(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values)
}

/** Largest value; NaN for an empty list. */
export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values)
}

/** Sample standard deviation relative to the mean (coefficient of variation), 0 for fewer than 2 values. */
export function relativeSpread(values: readonly number[]): number {
  if (values.length < 2) return 0
  const m = mean(values)
  const variance = values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1)
  return Math.sqrt(variance) / m
}

/**
 * The `p`-th percentile (0-100) by the nearest-rank method: the smallest value that at least
 * `p` percent of the values do not exceed. NaN for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1] ?? Number.NaN
}
