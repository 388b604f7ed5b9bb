// The control document (openapi/mock-control.yaml) restates the domain's rules in its schemas,
// because the control API validates requests from it before the store sees them. Each rule has
// one owner (server/domain/rules/), and every restatement is checked here against it: a rule
// changed in one place and not the other fails this test, as the README's error table is kept
// equal to the catalogue by test/docs/error-catalogue.test.ts.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse as parseYaml } from 'yaml'
import { CONTROL_SPEC_PATH } from '../../server/control/spec.js'
import { APP_FIELDS, CLIENT_ID_PATTERN, TOKEN_ALGORITHMS } from '../../server/domain/rules/app-rules.js'
import { MAX_EPOCH_SECONDS } from '../../server/domain/rules/clock-rules.js'
import { CUSTOMER_FIELDS, EMAIL_PATTERN, GROUP_ID_PATTERN, MAX_CUSTOMER_ID } from '../../server/domain/rules/customer-rules.js'
import { FAULT_EFFECTS, FAULT_ROUTES, FAULT_STATUS_RANGE, MAX_FAULT_DELAY_MS } from '../../server/domain/rules/fault-rules.js'
import { TOKEN_FAILURE_REASONS } from '../../server/domain/verify-current-customer-token.js'
import { MAX_CLIENT_ID_LENGTH } from '../../server/errors.js'

type Node = Record<string, unknown>

/** One place the document restates a rule: where (a JSON pointer), what it says, what the rule's owner says. */
interface Restatement {
  where: string
  documented: unknown
  owner: unknown
}

// The value at a JSON pointer such as `/components/schemas/Email/pattern`; undefined when absent.
function at(document: unknown, pointer: string): unknown {
  let node = document
  for (const key of pointer.split('/').slice(1)) node = typeof node === 'object' && node !== null ? (node as Node)[key] : undefined
  return node
}

function keysAt(document: unknown, pointer: string): string[] {
  return Object.keys((at(document, pointer) as Node | undefined) ?? {}).sort()
}

// An x-message listing names with a note each ("a (/a), b (/b)"), without the notes.
function withoutNotes(message: unknown): unknown {
  return typeof message === 'string' ? message.replace(/ \([^)]*\)/g, '') : message
}

/** Every restatement the document makes of a domain rule, beside what the owner says. */
function restatements(document: unknown): Restatement[] {
  const schemas = '/components/schemas'
  const oneOf = (names: readonly string[]) => `must be one of ${names.join(', ')}`
  const pairs: [string, unknown, unknown][] = [
    // customer-rules.ts
    [`${schemas}/Email/pattern`, at(document, `${schemas}/Email/pattern`), EMAIL_PATTERN.source],
    ...['GroupId', 'NullableGroupId'].flatMap((name): [string, unknown, unknown][] => [
      [`${schemas}/${name}/anyOf/0/pattern`, at(document, `${schemas}/${name}/anyOf/0/pattern`), GROUP_ID_PATTERN.source],
      [`${schemas}/${name}/anyOf/1/minimum`, at(document, `${schemas}/${name}/anyOf/1/minimum`), 0],
      [`${schemas}/${name}/anyOf/1/maximum`, at(document, `${schemas}/${name}/anyOf/1/maximum`), MAX_CUSTOMER_ID],
    ]),
    ...[`${schemas}/CustomerIdValue`, '/components/parameters/CustomerId/schema'].flatMap((pointer): [string, unknown, unknown][] => [
      [`${pointer}/minimum`, at(document, `${pointer}/minimum`), 1],
      [`${pointer}/maximum`, at(document, `${pointer}/maximum`), MAX_CUSTOMER_ID],
    ]),
    [`${schemas}/CustomerCreate/properties`, keysAt(document, `${schemas}/CustomerCreate/properties`), [...CUSTOMER_FIELDS].sort()],
    [`${schemas}/CustomerPatch/properties`, keysAt(document, `${schemas}/CustomerPatch/properties`), [...CUSTOMER_FIELDS].sort()],
    // app-rules.ts
    [`${schemas}/ClientIdValue/pattern`, at(document, `${schemas}/ClientIdValue/pattern`), CLIENT_ID_PATTERN.source],
    [`${schemas}/ClientIdValue/maxLength`, at(document, `${schemas}/ClientIdValue/maxLength`), MAX_CLIENT_ID_LENGTH],
    [
      `${schemas}/ClientIdValue/x-message`,
      at(document, `${schemas}/ClientIdValue/x-message`),
      `must be 1 to ${MAX_CLIENT_ID_LENGTH} printable characters without spaces (a client id)`,
    ],
    [
      '/components/parameters/ClientId/schema/maxLength',
      at(document, '/components/parameters/ClientId/schema/maxLength'),
      MAX_CLIENT_ID_LENGTH,
    ],
    [`${schemas}/Algorithm/enum`, at(document, `${schemas}/Algorithm/enum`), TOKEN_ALGORITHMS],
    [`${schemas}/Algorithm/x-message`, at(document, `${schemas}/Algorithm/x-message`), oneOf(TOKEN_ALGORITHMS)],
    [`${schemas}/App/properties/algorithm/enum`, at(document, `${schemas}/App/properties/algorithm/enum`), TOKEN_ALGORITHMS],
    [
      `${schemas}/TokenVerification/properties/algorithm/enum`,
      at(document, `${schemas}/TokenVerification/properties/algorithm/enum`),
      TOKEN_ALGORITHMS,
    ],
    [`${schemas}/TokenTtl/minimum`, at(document, `${schemas}/TokenTtl/minimum`), 1],
    [`${schemas}/AppPatch/properties/token_ttl/minimum`, at(document, `${schemas}/AppPatch/properties/token_ttl/minimum`), 1],
    [`${schemas}/AppCreate/properties`, keysAt(document, `${schemas}/AppCreate/properties`), [...APP_FIELDS].sort()],
    [
      `${schemas}/AppPatch/properties`,
      keysAt(document, `${schemas}/AppPatch/properties`),
      APP_FIELDS.filter((field) => field !== 'client_id').sort(),
    ],
    // verify-current-customer-token.ts
    [
      `${schemas}/TokenVerification/properties/reason/enum`,
      at(document, `${schemas}/TokenVerification/properties/reason/enum`),
      [...TOKEN_FAILURE_REASONS, null],
    ],
    // clock-rules.ts
    [`${schemas}/ClockUpdate/properties/now/minimum`, at(document, `${schemas}/ClockUpdate/properties/now/minimum`), 0],
    [`${schemas}/ClockUpdate/properties/now/maximum`, at(document, `${schemas}/ClockUpdate/properties/now/maximum`), MAX_EPOCH_SECONDS],
    [
      `${schemas}/ClockUpdate/properties/now/x-message`,
      at(document, `${schemas}/ClockUpdate/properties/now/x-message`),
      `must be epoch seconds (a whole number from 0 to ${MAX_EPOCH_SECONDS})`,
    ],
    [
      `${schemas}/ClockUpdate/properties/advance/minimum`,
      at(document, `${schemas}/ClockUpdate/properties/advance/minimum`),
      -MAX_EPOCH_SECONDS,
    ],
    [
      `${schemas}/ClockUpdate/properties/advance/maximum`,
      at(document, `${schemas}/ClockUpdate/properties/advance/maximum`),
      MAX_EPOCH_SECONDS,
    ],
    // fault-rules.ts (its field list is checked in test/domain/fault-rules.test.ts)
    [`${schemas}/FaultCreate/properties/route/enum`, at(document, `${schemas}/FaultCreate/properties/route/enum`), FAULT_ROUTES],
    [
      `${schemas}/FaultCreate/properties/route/x-message`,
      withoutNotes(at(document, `${schemas}/FaultCreate/properties/route/x-message`)),
      oneOf(FAULT_ROUTES),
    ],
    [`${schemas}/FaultCreate/properties/effect/enum`, at(document, `${schemas}/FaultCreate/properties/effect/enum`), FAULT_EFFECTS],
    [
      `${schemas}/FaultCreate/properties/effect/x-message`,
      at(document, `${schemas}/FaultCreate/properties/effect/x-message`),
      oneOf(FAULT_EFFECTS),
    ],
    [`${schemas}/FaultCreate/properties/times/minimum`, at(document, `${schemas}/FaultCreate/properties/times/minimum`), 1],
    [
      `${schemas}/FaultCreate/properties/status/minimum`,
      at(document, `${schemas}/FaultCreate/properties/status/minimum`),
      FAULT_STATUS_RANGE.min,
    ],
    [
      `${schemas}/FaultCreate/properties/status/maximum`,
      at(document, `${schemas}/FaultCreate/properties/status/maximum`),
      FAULT_STATUS_RANGE.max,
    ],
    [
      `${schemas}/FaultCreate/properties/status/x-message`,
      at(document, `${schemas}/FaultCreate/properties/status/x-message`),
      `must be an HTTP error status from ${FAULT_STATUS_RANGE.min} to ${FAULT_STATUS_RANGE.max}`,
    ],
    [`${schemas}/FaultCreate/properties/delay_ms/minimum`, at(document, `${schemas}/FaultCreate/properties/delay_ms/minimum`), 0],
    [
      `${schemas}/FaultCreate/properties/delay_ms/maximum`,
      at(document, `${schemas}/FaultCreate/properties/delay_ms/maximum`),
      MAX_FAULT_DELAY_MS,
    ],
    [
      `${schemas}/FaultCreate/properties/delay_ms/x-message`,
      at(document, `${schemas}/FaultCreate/properties/delay_ms/x-message`),
      `must be whole milliseconds from 0 to ${MAX_FAULT_DELAY_MS}`,
    ],
  ]
  return pairs.map(([where, documented, owner]) => ({ where, documented, owner }))
}

/** Every `enum` in the document that names one of `names`, by where it is: a restatement this test may not yet know of. */
function enumsNaming(document: unknown, names: readonly string[], path = ''): { where: string; values: unknown[] }[] {
  if (typeof document !== 'object' || document === null) return []
  const here =
    Array.isArray((document as Node).enum) && ((document as Node).enum as unknown[]).some((value) => names.includes(value as string))
      ? [{ where: path, values: (document as Node).enum as unknown[] }]
      : []
  return [...here, ...Object.entries(document).flatMap(([key, child]) => enumsNaming(child, names, `${path}/${key}`))]
}

function mismatches(document: unknown): Restatement[] {
  const known = restatements(document).filter(({ documented, owner }) => JSON.stringify(documented) !== JSON.stringify(owner))
  // An enum of algorithms, routes or effects anywhere (a new schema, a parameter) must list exactly the owner's.
  const everyEnum = [
    ...enumsNaming(document, TOKEN_ALGORITHMS).map(({ where, values }) => ({
      where: `${where}/enum`,
      documented: values,
      owner: TOKEN_ALGORITHMS,
    })),
    ...enumsNaming(document, FAULT_ROUTES).map(({ where, values }) => ({
      where: `${where}/enum`,
      documented: values,
      owner: FAULT_ROUTES,
    })),
    ...enumsNaming(document, FAULT_EFFECTS).map(({ where, values }) => ({
      where: `${where}/enum`,
      documented: values,
      owner: FAULT_EFFECTS,
    })),
  ].filter(({ documented, owner }) => JSON.stringify(documented) !== JSON.stringify(owner))
  return [...known, ...everyEnum]
}

const document: unknown = parseYaml(readFileSync(CONTROL_SPEC_PATH, 'utf8'))

t.test("the control document's enums, bounds and patterns are the domain rules'", async (t) => {
  const all = restatements(document)
  t.ok(
    all.every(({ documented }) => documented !== undefined),
    `every restatement is where this test looks (${
      all
        .filter(({ documented }) => documented === undefined)
        .map(({ where }) => where)
        .join(', ') || 'all found'
    })`,
  )
  t.same(mismatches(document), [])
  t.ok(enumsNaming(document, TOKEN_ALGORITHMS).length >= 3, 'the algorithm enums were found')
})

t.test('a restatement that drifts from its rule is caught', async (t) => {
  const drifted = structuredClone(document) as Node
  const schemas = at(drifted, '/components/schemas') as Record<string, Node>
  ;(schemas.Email as Node).pattern = '^.+@.+$'
  ;(at(drifted, '/components/schemas/ClockUpdate/properties/now') as Node).maximum = 4_102_444_800
  ;(at(drifted, '/components/schemas/TokenVerification/properties/algorithm') as Node).enum = ['HS256', 'HS512']
  ;(at(drifted, '/components/schemas/FaultCreate/properties/effect') as Node).enum = FAULT_EFFECTS.filter((effect) => effect !== 'refuse')
  ;(at(drifted, '/components/schemas/ClientIdValue') as Node).maxLength = 256
  t.same(
    mismatches(drifted).map(({ where }) => where),
    [
      '/components/schemas/Email/pattern',
      '/components/schemas/ClientIdValue/maxLength',
      '/components/schemas/TokenVerification/properties/algorithm/enum',
      '/components/schemas/ClockUpdate/properties/now/maximum',
      '/components/schemas/FaultCreate/properties/effect/enum',
      '/components/schemas/TokenVerification/properties/algorithm/enum',
      '/components/schemas/FaultCreate/properties/effect/enum',
    ],
  )
})
