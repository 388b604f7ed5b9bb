/** One column of a plain-text table. */
export interface Column {
  header: string
  /** Right-align numbers, left-align text. Default left. */
  align?: 'left' | 'right'
}

/**
 * Render rows as a plain-text table: a header line, a rule, then one line per row, columns
 * separated by two spaces. A row that is `null` is drawn as a rule.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[] | null)[]): string {
  const widths = columns.map((column, index) => Math.max(column.header.length, ...rows.map((row) => (row ? (row[index] ?? '').length : 0))))
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? ''
        const width = widths[index] ?? 0
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [line(columns.map((column) => column.header)), rule, ...rows.map((row) => (row ? line(row) : rule))].join('\n')
}

/** A number with thousands separators and a fixed number of decimals, e.g. `12,345.6`. */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return 'n/a'
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}

/** A ratio as `0.43x` (or with more decimals, e.g. `0.398x`). */
export function formatRatio(value: number, decimals = 2): string {
  return Number.isFinite(value) ? `${value.toFixed(decimals)}x` : 'n/a'
}

/** Every line of `text` indented by two spaces. */
export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}

/** A fraction as a percentage, e.g. `12.5%`. */
export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : 'n/a'
}

/** Bytes as MiB with one decimal, e.g. `84.2 MiB`; `n/a` for null or NaN. */
export function formatMiB(bytes: number | null): string {
  return bytes === null || !Number.isFinite(bytes) ? 'n/a' : `${formatNumber(bytes / (1024 * 1024), 1)} MiB`
}
