import { parse as parseYaml, YAMLError } from 'yaml'
import { ERRORS } from '../errors.js'
import { parseStore } from './parse-store.js'
import type { StoreDefinition } from './types.js'

/**
 * A store from a fixture document's text, YAML or (with `json`) JSON; `file` names it in every
 * problem. Throws a `FixtureError` as `loadFixtures` does: the fixture loader reads files with
 * it, and the MSW handlers documents given as text (in browsers too: nothing here reads a file).
 */
export function parseFixtureText(text: string, file: string, json: boolean): StoreDefinition {
  // Said as such: parsed, nothing would read as null (`expected a mapping, got null`).
  if (text.trim() === '') throw ERRORS.fixtureInvalid([{ file, path: '', message: 'the file is empty' }])
  return parseStore(parseText(file, text, json), file)
}

function parseText(file: string, text: string, json: boolean): unknown {
  try {
    // logLevel 'error': the yaml package would otherwise print warnings (an unknown `!tag`) to
    // stderr with the offending source line, which may hold a client secret.
    return json ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, logLevel: 'error' })
  } catch (error) {
    throw ERRORS.fixtureInvalid([
      { file, path: '', message: `not valid ${json ? 'JSON' : 'YAML'}: ${syntaxProblem(error as Error, json)}` },
    ])
  }
}

/**
 * What a parser said, without any text quoted from the file: V8's JSON errors quote the source
 * around an unexpected token, and the yaml package's alias errors name the alias (a secret
 * written unquoted as `*abc...`). Either may be a client secret.
 */
function syntaxProblem(error: Error, json: boolean): string {
  const reason = error.message.split('\n')[0] ?? ''
  if (json)
    return / is not valid JSON$/.test(reason)
      ? `${reason.startsWith('Unexpected token') ? 'Unexpected token' : 'Unexpected input'} (the text around it is not shown: it may hold a secret)`
      : reason
  return error instanceof YAMLError ? reason : reason.replace(/:.*$/, '')
}
