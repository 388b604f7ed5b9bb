/**
 * A failure the mock reports to its caller: a stable `code` to match on, the HTTP status it
 * maps to, and a message that names what was wrong and where.
 */
export class MockError extends Error {
  override readonly name: string = 'MockError'

  /**
   * @param code - stable identifier, e.g. `BCMOCK_UNKNOWN_APP`.
   * @param message - one sentence naming the parameter or field at fault.
   * @param statusCode - the 4xx status the HTTP layer answers with.
   * @param field - the parameter, field or option the error is about, when there is one.
   */
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    readonly field?: string,
  ) {
    super(message)
  }
}

/** One problem found in a fixture document: the file, the path inside it, what was expected. */
export interface FixtureProblem {
  /** The fixture file, or `<object>` when fixtures were passed in memory. */
  file: string
  /** Where in the document, e.g. `apps[1].client_secret`. */
  path: string
  /** What was expected, e.g. `expected a non-empty string`. */
  message: string
}

/** A fixture document that cannot be used; `problems` lists every fault found, not only the first. */
export class FixtureError extends MockError {
  override readonly name: string = 'FixtureError'

  constructor(readonly problems: FixtureProblem[]) {
    super('BCMOCK_FIXTURE_INVALID', problems.map(formatProblem).join('\n'), 400)
  }
}

function formatProblem(problem: FixtureProblem): string {
  return problem.path ? `${problem.file}: ${problem.path}: ${problem.message}` : `${problem.file}: ${problem.message}`
}
