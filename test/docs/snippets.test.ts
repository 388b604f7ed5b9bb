// Every code snippet in the docs is a file the suite runs. A fenced block in a language a user
// copies into a project (TypeScript, JavaScript, Python, PHP) in README.md, CONTRIBUTING.md,
// docs/*.md or an example's README must come right after a line
//   <!-- snippet: path/from/the/repository/root -->
// and equal that file exactly; the file must be a test tap runs (test/**/*.test.ts) or a file of
// an example project (examples/NAME/...) that a test under test/ runs (names examples/NAME).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, normalize, relative, sep } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/cli.js'

/** Languages a reader copies as code (with their common aliases). */
const CHECKED_LANGUAGES = new Set(['ts', 'tsx', 'typescript', 'js', 'jsx', 'mjs', 'cjs', 'javascript', 'py', 'python', 'php'])

const MARKER = /^\s*<!--\s*snippet:\s*(\S+)\s*-->\s*$/
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/

/** The documents checked: README.md, CONTRIBUTING.md, docs/*.md, examples/NAME/README.md. */
function documents(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
  const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, 'examples', entry.name, 'README.md')))
    .map((entry) => `examples/${entry.name}/README.md`)
  return ['README.md', 'CONTRIBUTING.md', ...docs, ...examples]
}

/** Every file's text under test/ (TypeScript), to find which example projects a test runs. */
function testSources(): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return walk(path)
      return entry.name.endsWith('.ts') && path !== join(ROOT, 'test', 'docs', 'snippets.test.ts') ? [path] : []
    })
  return walk(join(ROOT, 'test'))
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n')
}

/** Why `path` (from the repository root) is not a file the suite runs, or undefined when it is. */
function notRunReason(path: string, tests: string): string | undefined {
  if (/^test\/.+\.test\.ts$/.test(path)) return undefined
  const project = /^examples\/([^/]+)\/./.exec(path)?.[1]
  if (project === undefined) return 'it is neither a test tap runs (test/**/*.test.ts) nor a file of an example project (examples/NAME/...)'
  const named = new RegExp(`examples(/|['"], *['"])${project.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`)
  return named.test(tests) ? undefined : `no test under test/ runs the example project examples/${project} (none names it)`
}

/**
 * The problems of one document's snippets: a checked block with no marker, a marker with no
 * block, a file that is missing, outside test/ and examples/, not run, or not equal to the block.
 * `readFile` answers a file's text by its path from the root (undefined when there is none).
 */
function snippetProblems(name: string, markdown: string, readFile: (path: string) => string | undefined, tests: string): string[] {
  const problems: string[] = []
  const lines = markdown.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    const marker = MARKER.exec(line)
    const open = FENCE_OPEN.exec(line)
    if (marker && !FENCE_OPEN.test(lines[index + 1] ?? ''))
      problems.push(`${name}:${index + 1}: the snippet marker for ${marker[1]} is not followed by a fenced block`)
    if (!open) continue
    const [, indent = '', fence = '', language = ''] = open
    // The block's lines, less the fence's indentation (a block inside a list item).
    const body: string[] = []
    let end = index + 1
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`)
    while (end < lines.length && !close.test(lines[end] ?? ''))
      body.push((lines[end++] ?? '').replace(new RegExp(`^ {0,${indent.length}}`), ''))
    const where = `${name}:${index + 1}`
    const previous = MARKER.exec(lines[index - 1] ?? '')
    index = end
    if (!CHECKED_LANGUAGES.has(language.toLowerCase())) continue
    if (!previous) {
      problems.push(
        `${where}: a \`\`\`${language} block without a <!-- snippet: PATH --> line before it: move the code to a file the suite runs and name it, or make it prose`,
      )
      continue
    }
    const path = previous[1] ?? ''
    const normalized = normalize(path).split(sep).join('/')
    if (normalized !== path || path.startsWith('/') || path.startsWith('..')) {
      problems.push(`${where}: snippet path ${path} must be relative to the repository root, written plainly (${normalized})`)
      continue
    }
    if (!/^(test|examples)\//.test(path)) {
      problems.push(`${where}: ${path} is not under test/ or examples/`)
      continue
    }
    const text = readFile(path)
    if (text === undefined) {
      problems.push(`${where}: ${path} does not exist`)
      continue
    }
    const notRun = notRunReason(path, tests)
    if (notRun !== undefined) problems.push(`${where}: ${path}: ${notRun}`)
    const block = body.join('\n') + '\n'
    if (text !== block) {
      const blockLines = block.split('\n')
      const fileLines = text.split('\n')
      const first = blockLines.findIndex((value, at) => value !== fileLines[at])
      problems.push(
        `${where}: the block is not ${path}: first difference at its line ${first + 1}: ${JSON.stringify(blockLines[first] ?? '(end)')} in the document, ${JSON.stringify(fileLines[first] ?? '(end)')} in the file`,
      )
    }
  }
  return problems
}

const readRepoFile = (path: string): string | undefined => {
  const full = join(ROOT, path)
  if (relative(ROOT, full).startsWith('..') || !existsSync(full)) return undefined
  return readFileSync(full, 'utf8')
}

t.test('every TypeScript, JavaScript, Python and PHP snippet in the docs is a file the suite runs', async (t) => {
  const tests = testSources()
  const names = documents()
  t.ok(names.includes('docs/test-recipes.md') && names.includes('README.md'), `checks ${names.length} documents`)
  let checked = 0
  for (const name of names) {
    const markdown = readFileSync(join(ROOT, name), 'utf8')
    checked += [...markdown.matchAll(/^\s*<!--\s*snippet:/gm)].length
    t.same(snippetProblems(name, markdown, readRepoFile, tests), [], name)
  }
  t.ok(checked >= 5, `${checked} snippets checked`)
})

t.test('the check fails on what it must refuse', async (t) => {
  const files: Record<string, string> = {
    'test/docs/a.test.ts': "import t from 'tap'\nt.pass('a')\n",
    'test/helpers/b.ts': 'export const b = 1\n',
    'examples/run/x.ts': 'x\n',
    'examples/lonely/y.ts': 'y\n',
    'server/z.ts': 'z\n',
  }
  const tests = "spawn('npx', ['playwright', 'test'], { cwd: join(ROOT, 'examples', 'run') })"
  const check = (markdown: string) => snippetProblems('doc.md', markdown, (path) => files[path], tests)
  const block = (marker: string, language: string, body: string) => `${marker}\n\`\`\`${language}\n${body}\`\`\`\n`

  t.same(check(block('<!-- snippet: test/docs/a.test.ts -->', 'ts', files['test/docs/a.test.ts']!)), [], 'a test file, equal')
  t.same(check(block('<!-- snippet: examples/run/x.ts -->', 'ts', 'x\n')), [], 'an example project a test runs')
  t.same(check('```sh\nnpm test\n```\n```yaml\na: 1\n```\n'), [], 'shell and data blocks are not checked')
  t.same(
    check(`- in a list:\n\n  <!-- snippet: examples/run/x.ts -->\n  \`\`\`js\n  x\n  \`\`\`\n`),
    [],
    'an indented block in a list, less its indentation',
  )

  t.match(check('```ts\nconst a = 1\n```\n'), [/doc\.md:1: a ```ts block without a <!-- snippet: PATH --> line/])
  t.match(check('```python\nimport json\n```\n'), [/```python block without/], 'python by its long name too')
  t.match(check('<!-- snippet: examples/run/x.ts -->\n\n```ts\nx\n```\n'), [/not followed by a fenced block/, /without a <!-- snippet/])
  t.match(check(block('<!-- snippet: test/docs/a.test.ts -->', 'ts', "import t from 'tap'\nt.pass('b')\n")), [
    /the block is not test\/docs\/a\.test\.ts: first difference at its line 2: "t\.pass\('b'\)" in the document, "t\.pass\('a'\)" in the file/,
  ])
  t.match(check(block('<!-- snippet: test/helpers/b.ts -->', 'ts', 'export const b = 1\n')), [/neither a test tap runs/])
  t.match(check(block('<!-- snippet: examples/lonely/y.ts -->', 'ts', 'y\n')), [
    /no test under test\/ runs the example project examples\/lonely/,
  ])
  t.match(check(block('<!-- snippet: server/z.ts -->', 'ts', 'z\n')), [/not under test\/ or examples\//])
  t.match(check(block('<!-- snippet: test/docs/missing.test.ts -->', 'ts', 'm\n')), [/does not exist/])
  t.match(check(block('<!-- snippet: test/../server/z.ts -->', 'ts', 'z\n')), [/written plainly/])
})
