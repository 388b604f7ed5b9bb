// openapi/management-api.yaml restates the rules of what the Management API takes and answers
// (server/domain/rules/, server/management-api/query.ts); each restatement is checked here against
// its owner, as test/control/rules-sync.test.ts checks the control document. The access token's
// rule is restated by the control document too.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse as parseYaml } from 'yaml'
import { CONTROL_SPEC_PATH } from '../../server/control/spec.js'
import { ACCESS_TOKEN_PATTERN, MAX_ACCESS_TOKEN_LENGTH } from '../../server/domain/rules/app-rules.js'
import { IGNORED_CUSTOMER_FIELDS, MAX_BATCH } from '../../server/domain/rules/management-rules.js'
import {
  ADDRESS_TYPES,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_CUSTOMER_ADDRESSES,
  MAX_CUSTOMER_ATTRIBUTES,
} from '../../server/domain/rules/profile-rules.js'
import { ATTRIBUTE_TYPES } from '../../server/domain/rules/record-rules.js'
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../server/management-api/query.js'
import { managementDocument } from '../helpers/management.js'

function at(document: unknown, pointer: string): unknown {
  let node = document
  for (const key of pointer.split('/').slice(1))
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key.replace(/~1/g, '/')] : undefined
  return node
}

const schemas = '/components/schemas'
const control: unknown = parseYaml(readFileSync(CONTROL_SPEC_PATH, 'utf8'))
const customerPost = Object.keys((at(managementDocument, `${schemas}/CustomerPost/properties`) as object | undefined) ?? {})

const restatements: [string, unknown, unknown][] = [
  ['/components/parameters/Limit/schema/maximum', at(managementDocument, '/components/parameters/Limit/schema/maximum'), MAX_LIMIT],
  ['/components/parameters/Limit/schema/default', at(managementDocument, '/components/parameters/Limit/schema/default'), DEFAULT_LIMIT],
  [
    `${schemas}/Address/properties/address_type/enum`,
    at(managementDocument, `${schemas}/Address/properties/address_type/enum`),
    ADDRESS_TYPES,
  ],
  [
    `${schemas}/AddressPost/properties/address_type/enum`,
    at(managementDocument, `${schemas}/AddressPost/properties/address_type/enum`),
    ADDRESS_TYPES,
  ],
  [`${schemas}/Attribute/properties/type/enum`, at(managementDocument, `${schemas}/Attribute/properties/type/enum`), ATTRIBUTE_TYPES],
  [
    `${schemas}/AttributeValue/properties/attribute_value/maxLength`,
    at(managementDocument, `${schemas}/AttributeValue/properties/attribute_value/maxLength`),
    MAX_ATTRIBUTE_VALUE_LENGTH,
  ],
  [
    `${schemas}/Customer/properties/addresses/maxItems`,
    at(managementDocument, `${schemas}/Customer/properties/addresses/maxItems`),
    MAX_CUSTOMER_ADDRESSES,
  ],
  [
    `${schemas}/Customer/properties/attributes/maxItems`,
    at(managementDocument, `${schemas}/Customer/properties/attributes/maxItems`),
    MAX_CUSTOMER_ATTRIBUTES,
  ],
  [
    '/paths/~1v3~1customers/post/requestBody/content/application~1json/schema/maxItems',
    at(managementDocument, '/paths/~1v3~1customers/post/requestBody/content/application~1json/schema/maxItems'),
    MAX_BATCH,
  ],
  [
    '/paths/~1v3~1customers/put/requestBody/content/application~1json/schema/maxItems',
    at(managementDocument, '/paths/~1v3~1customers/put/requestBody/content/application~1json/schema/maxItems'),
    MAX_BATCH,
  ],
  [
    `${schemas}/CustomerPost/properties (the fields accepted and not kept)`,
    IGNORED_CUSTOMER_FIELDS.filter((field) => !customerPost.includes(field)),
    [],
  ],
  [`control ${schemas}/AccessToken/pattern`, at(control, `${schemas}/AccessToken/pattern`), ACCESS_TOKEN_PATTERN.source],
  [`control ${schemas}/AccessToken/maxLength`, at(control, `${schemas}/AccessToken/maxLength`), MAX_ACCESS_TOKEN_LENGTH],
  [
    `control ${schemas}/AppPatch/properties/access_token/pattern`,
    at(control, `${schemas}/AppPatch/properties/access_token/pattern`),
    ACCESS_TOKEN_PATTERN.source,
  ],
  [
    `control ${schemas}/AppPatch/properties/access_token/maxLength`,
    at(control, `${schemas}/AppPatch/properties/access_token/maxLength`),
    MAX_ACCESS_TOKEN_LENGTH,
  ],
]

t.test("the documents' bounds, enums and field lists are the rules'", async (t) => {
  for (const [where, documented, owner] of restatements) {
    t.not(documented, undefined, `${where} is where this test looks`)
    t.same(documented, owner, where)
  }
})
