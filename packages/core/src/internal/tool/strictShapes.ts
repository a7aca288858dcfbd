/**
 * The strict rewrite of objects, records, arrays and tuples, and its inverse on values
 * (see `strict.ts` for the rules).
 *
 * @internal
 */
import {
  acceptsOriginal,
  type Context,
  finish,
  type Node,
  nullable,
  plainNode,
  put,
  without
} from "./strictRules.js"
import { isObject, type JsonObject, jsonEquals } from "./validate.js"

interface Field {
  readonly key: string
  readonly node: Node
  readonly optional: boolean
  /** Whether the original property accepts `null` (then `null` is not "absent"). */
  readonly acceptsNull: boolean
}

const fieldsOf = (
  properties: JsonObject,
  required: ReadonlySet<string>,
  context: Context
): ReadonlyArray<Field> =>
  Object.entries(properties).map(([key, sub]) => {
    const optional = !required.has(key)
    return {
      key,
      node: context.convert(sub),
      optional,
      acceptsNull: optional && acceptsOriginal(context, sub, null)
    }
  })

/** The strict object schema of fields, plus one more required property when given. */
const objectSchema = (fields: ReadonlyArray<Field>, extra?: readonly [string, JsonObject]): JsonObject => {
  const properties: JsonObject = {}
  for (const field of fields)
    put(properties, field.key, field.optional ? nullable(field.node.schema) : field.node.schema)
  const required = fields.map((field) => field.key)
  if (extra !== undefined) {
    put(properties, extra[0], extra[1])
    required.push(extra[0])
  }
  return { type: "object", properties, required, additionalProperties: false }
}

const decodeField = (field: Field, value: unknown, out: JsonObject): void => {
  if (field.optional && value === null && !field.acceptsNull) return
  put(out, field.key, field.node.decode(value))
}

const encodeField = (field: Field, value: JsonObject, out: JsonObject): void => {
  const present = Object.hasOwn(value, field.key) && value[field.key] !== undefined
  if (present) put(out, field.key, field.node.encode(value[field.key]))
  else if (field.optional) put(out, field.key, null)
}

interface Entries {
  readonly schema: JsonObject
  readonly key: Node
  readonly value: Node
}

const entriesOf = (keySchema: unknown, valueSchema: unknown, context: Context): Entries => {
  const key = context.convert(keySchema ?? { type: "string" })
  const value = context.convert(valueSchema)
  return {
    key,
    value,
    schema: {
      type: "array",
      items: {
        type: "object",
        properties: { key: key.schema, value: value.schema },
        required: ["key", "value"],
        additionalProperties: false
      }
    }
  }
}

const fromEntries = (entries: Entries, wire: ReadonlyArray<unknown>, out: JsonObject, skip?: Set<string>) => {
  for (const entry of wire) {
    if (!isObject(entry)) continue
    const key = entries.key.decode(entry.key)
    if (typeof key !== "string" || skip?.has(key)) continue
    put(out, key, entries.value.decode(entry.value))
  }
}

const toEntries = (entries: Entries, value: JsonObject, skip?: ReadonlySet<string>) =>
  Object.entries(value)
    .filter(([key, item]) => item !== undefined && !skip?.has(key))
    .map(([key, item]) => ({ key: entries.key.encode(key), value: entries.value.encode(item) }))

export const objectNode = (node: JsonObject, context: Context): Node => {
  const properties = isObject(node.properties) ? node.properties : {}
  const required = new Set(
    Array.isArray(node.required) ? node.required.filter((key): key is string => typeof key === "string") : []
  )
  const extras: Array<unknown> = []
  if (isObject(node.additionalProperties)) extras.push(node.additionalProperties)
  if (isObject(node.patternProperties)) extras.push(...Object.values(node.patternProperties))
  const names = node.propertyNames
  const valueSchema = extras.length === 0 ? undefined : extras.length === 1 ? extras[0] : { anyOf: extras }
  const fields = fieldsOf(properties, required, context)

  if (valueSchema !== undefined && fields.length === 0) {
    // a record: an array of entries
    const entries = entriesOf(names, valueSchema, context)
    return {
      schema: finish(entries.schema, node, context),
      original: node,
      decode: (wire) => {
        if (!Array.isArray(wire)) return wire
        const out: JsonObject = {}
        fromEntries(entries, wire, out)
        return out
      },
      encode: (value) => (isObject(value) ? toEntries(entries, value) : value),
      plain: false
    }
  }

  const entries = valueSchema === undefined ? undefined : entriesOf(names, valueSchema, context)
  let extraKey = "additionalEntries"
  while (Object.hasOwn(properties, extraKey)) extraKey = `_${extraKey}`
  const schema = objectSchema(fields, entries === undefined ? undefined : [extraKey, entries.schema])
  finish(schema, node, context)
  if (entries === undefined && fields.every((field) => field.node.plain && !field.optional)) {
    return plainNode(schema, node)
  }
  const byKey = new Map(fields.map((field) => [field.key, field]))
  const named: ReadonlySet<string> = new Set(byKey.keys())
  return {
    schema,
    original: node,
    decode: (wire) => {
      if (!isObject(wire)) return wire
      const out: JsonObject = {}
      for (const [key, value] of Object.entries(wire)) {
        const field = byKey.get(key)
        if (field !== undefined) decodeField(field, value, out)
        else if (entries !== undefined && key === extraKey && Array.isArray(value))
          fromEntries(entries, value, out, new Set(named))
        else put(out, key, value)
      }
      return out
    },
    encode: (value) => {
      if (!isObject(value)) return value
      const out: JsonObject = {}
      for (const field of fields) encodeField(field, value, out)
      if (entries !== undefined) put(out, extraKey, toEntries(entries, value, named))
      return out
    },
    plain: false
  }
}

export const arrayNode = (node: JsonObject, context: Context): Node => {
  const item = context.convert(node.items === undefined ? true : node.items)
  const schema = finish({ type: "array", items: item.schema }, node, context, ["minItems", "maxItems"])
  if (item.plain) return plainNode(schema, node)
  return {
    schema,
    original: node,
    decode: (wire) => (Array.isArray(wire) ? wire.map(item.decode) : wire),
    encode: (value) => (Array.isArray(value) ? value.map(item.encode) : value),
    plain: false
  }
}

export const tupleNode = (
  node: JsonObject,
  elements: ReadonlyArray<unknown>,
  rest: unknown,
  context: Context
): Node => {
  const min = typeof node.minItems === "number" ? node.minItems : elements.length
  const first = elements.length > 0 ? elements[0] : rest
  if (
    first !== undefined &&
    elements.every((element) => jsonEquals(element, first)) &&
    (rest === undefined || jsonEquals(rest, first))
  ) {
    // all elements share one schema: a plain array (the length is checked on decode)
    const bounds: JsonObject = { minItems: min }
    if (rest === undefined) bounds.maxItems = elements.length
    const others = without(node, ["items", "prefixItems", "additionalItems"])
    return arrayNode({ ...others, ...bounds, items: first }, context)
  }
  // an object with positional keys
  const required = new Set(elements.slice(0, min).map((_, index) => String(index)))
  const properties: JsonObject = {}
  for (const [index, element] of elements.entries()) put(properties, String(index), element)
  const fields = fieldsOf(properties, required, context)
  const restNode = rest === undefined ? undefined : context.convert(rest)
  const schema = objectSchema(
    fields,
    restNode === undefined ? undefined : ["rest", { type: "array", items: restNode.schema }]
  )
  finish(schema, node, context)
  return {
    schema,
    original: node,
    decode: (wire) => {
      if (!isObject(wire)) return wire
      const out: Array<unknown> = []
      for (const field of fields) {
        const value = wire[field.key]
        const absent =
          !Object.hasOwn(wire, field.key) || (field.optional && value === null && !field.acceptsNull)
        if (absent) return out
        out.push(field.node.decode(value))
      }
      if (restNode !== undefined && Array.isArray(wire.rest)) out.push(...wire.rest.map(restNode.decode))
      return out
    },
    encode: (value) => {
      if (!Array.isArray(value)) return value
      const out: JsonObject = {}
      for (const [index, field] of fields.entries()) {
        put(out, field.key, index < value.length ? field.node.encode(value[index]) : null)
      }
      if (restNode !== undefined) put(out, "rest", value.slice(fields.length).map(restNode.encode))
      return out
    },
    plain: false
  }
}
