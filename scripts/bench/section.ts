/** Prints a progress message (on stderr). */
export type Log = (message: string) => void

/** One figure beside its target. */
export interface Target {
  metric: string
  /** The figure, for `latest.json`. */
  value: number
  /** The figure as printed, e.g. `0.43x`. */
  shown: string
  /** The target as printed, e.g. `>= 0.40x`. */
  target: string
  pass: boolean
}

/** What a section measured. */
export interface SectionOutcome {
  /** Its figures, written to `latest.json`. */
  results: object
  /** Its part of the printed report: a title line, then tables and notes. */
  report: string
  /** Its figures checked against their targets. */
  targets: Target[]
  /**
   * Requests that failed or got another status than expected where the section measures
   * something else: they make its figures invalid (and the run exit 1).
   */
  problems: string[]
}

/**
 * One section of `npm run bench`. A new section is a module exporting one of these, plus its
 * line in the list in `scripts/bench.ts`.
 */
export interface Section {
  /** Its name in `BENCH_ONLY`, the report and `latest.json`. */
  readonly name: string
  /**
   * Read its `BENCH_*` knobs (a bad value throws a `KnobError`) before anything runs, and answer
   * them, for the report, with the measurement that uses them. The caller stops every server
   * the measurement leaves running.
   */
  prepare(): { settings: object; run: (log: Log) => Promise<SectionOutcome> }
}

/** Check `value` against `limit`; `show` prints both. */
export function target(
  metric: string,
  value: number,
  op: '>=' | '<=' | '=',
  limit: number,
  show: (value: number) => string = String,
): Target {
  const pass = op === '>=' ? value >= limit : op === '<=' ? value <= limit : value === limit
  return { metric, value, shown: show(value), target: `${op} ${show(limit)}`, pass }
}
