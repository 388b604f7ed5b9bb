import { readFileSync } from 'node:fs'
import { FLAGS } from '../../server/cli-flags.js'
import t from 'tap'

// The docs' code blocks are files the suite runs: test/docs/snippets.test.ts checks them.

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
