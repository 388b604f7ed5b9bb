/** Arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

/** Median (mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
    : (sorted[Math.floor(middle)] ?? Number.NaN)
}

/** Nearest-rank `p`-th percentile (0-100); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

/** Coefficient of variation (sample standard deviation over the mean); 0 for fewer than 2 values. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0
  const m = mean(values)
  return Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1)) / m
}

/** A number with thousands separators, e.g. `12,345.6`; `n/a` when not finite. */
export function num(value: number, decimals = 0): string {
  return Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    : 'n/a'
}

/** A ratio, e.g. `0.43x`. */
export function ratio(value: number, decimals = 2): string {
  return Number.isFinite(value) ? `${value.toFixed(decimals)}x` : 'n/a'
}

/** A fraction as a percentage, e.g. `12.5%`. */
export function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : 'n/a'
}

/** Bytes as MiB, e.g. `84.2 MiB`. */
export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? `${num(bytes / 2 ** 20, 1)} MiB` : 'n/a'
}

const NUMERIC = /^(n\/a|[<>=]=? ?[-+]?[\d.,]+.*|[-+]?[\d.,]+.*)$/

/**
 * A plain-text table, indented by two spaces: the header, a rule, one line per row (`null` draws
 * a rule). A column whose cells are all numeric (or empty) is right-aligned.
 */
export function table(header: readonly string[], rows: readonly (readonly string[] | null)[]): string {
  const cells = (row: readonly string[]): string[] => header.map((_, index) => row[index] ?? '')
  const body = rows.map((row) => (row ? cells(row) : null))
  const widths = header.map((title, index) => Math.max(title.length, ...body.map((row) => row?.[index]?.length ?? 0)))
  const right = header.map((_, index) => body.every((row) => !row || row[index] === '' || NUMERIC.test(row[index] ?? '')))
  const line = (row: readonly string[]): string =>
    `  ${row.map((cell, index) => (right[index] ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0))).join('  ')}`.trimEnd()
  const rule = `  ${widths.map((width) => '-'.repeat(width)).join('  ')}`
  return [line(cells(header)), rule, ...body.map((row) => (row ? line(row) : rule))].join('\n')
}
