import { readFileSync } from 'node:fs'
import { FLAGS } from '../../server/cli-flags.js'
import t from 'tap'

// The README's "Using it in tests" block must be exactly test/docs/readme-example.test.ts (less its
// opening comment), so the example users copy is one the suite runs.
t.test('the README test example is the one the suite runs', async (t) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('## Using it in tests'))
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  const file = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8').replace(/^(\/\/.*\n)+/, '')
  t.ok(block, 'README has the example block')
  t.equal(block?.trim(), file.trim())
})

// Same for the example of docs/failure-scenarios.md and test/docs/failure-scenarios-example.test.ts.
t.test('the failure-scenarios example is the one the suite runs', async (t) => {
  const page = readFileSync(new URL('../../docs/failure-scenarios.md', import.meta.url), 'utf8')
  const block = /```ts\n([\s\S]*?)```/.exec(page)?.[1]
  const file = readFileSync(new URL('./failure-scenarios-example.test.ts', import.meta.url), 'utf8').replace(/^(\/\/.*\n)+/, '')
  t.ok(block, 'docs/failure-scenarios.md has the example block')
  t.equal(block?.trim(), file.trim())
})

// The flag table of docs/command-line.md is FLAGS: the same flags in --help's order, each with the
// environment variables it reads, a value placeholder unless it is a switch (whose variable is
// shown `=1`), "comma-separated" for a repeatable one, and the default --help prints.
t.test('the flag table of docs/command-line.md is FLAGS', async (t) => {
  const page = readFileSync(new URL('../../docs/command-line.md', import.meta.url), 'utf8')
  const rows = page
    .split('\n')
    .filter((line) => line.startsWith('| `--'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, '').trim()))
  t.same(
    rows.map(([flag]) => /^`--([a-z-]+)/.exec(flag ?? '')?.[1]),
    [...FLAGS.map((spec) => spec.flag), 'help', 'version'],
  )
  for (const spec of FLAGS) {
    const [flag = '', env = '', defaultValue = ''] = rows.find(([cell]) => cell?.startsWith(`\`--${spec.flag}`)) ?? []
    if (spec.boolean) t.equal(flag, `\`--${spec.flag}\``, `--${spec.flag}: a switch, no value`)
    else t.match(flag, new RegExp(`^\`--${spec.flag} \\S`), `--${spec.flag}: its value`)
    t.same(
      [...env.matchAll(/`([A-Z_]+)(=1)?`/g)].map((match) => match[1]),
      spec.env,
      `--${spec.flag}: its variables`,
    )
    t.equal(/`[A-Z_]+=1`/.test(env), spec.boolean === true, `--${spec.flag}: a switch's variable reads =1`)
    t.equal(env.includes('(comma-separated)'), spec.multiple === true, `--${spec.flag}: a list's variable is comma-separated`)
    const printed = /\(default ([^\s:)]+)\)/.exec(spec.help)?.[1]
    if (printed !== undefined) t.equal(defaultValue, `\`${printed}\``, `--${spec.flag}: the default --help prints`)
  }
})
