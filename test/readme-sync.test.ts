import { readFileSync } from 'node:fs'
import t from 'tap'

// The README's "Using it in tests" block must be exactly test/readme-example.test.ts (less its
// opening comment), so the example users copy is one the suite runs.
t.test('the README test example is the one the suite runs', async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('## Using it in tests'))
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1]
  const file = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8').replace(/^(\/\/.*\n)+/, '')
  t.ok(block, 'README has the example block')
  t.equal(block?.trim(), file.trim())
})

// Same for the example of docs/failure-scenarios.md and test/readme-faults-example.test.ts.
t.test('the failure-scenarios example is the one the suite runs', async (t) => {
  const page = readFileSync(new URL('../docs/failure-scenarios.md', import.meta.url), 'utf8')
  const block = /```ts\n([\s\S]*?)```/.exec(page)?.[1]
  const file = readFileSync(new URL('./readme-faults-example.test.ts', import.meta.url), 'utf8').replace(/^(\/\/.*\n)+/, '')
  t.ok(block, 'docs/failure-scenarios.md has the example block')
  t.equal(block?.trim(), file.trim())
})
