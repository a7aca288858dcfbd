/**
 * OpenAI's strict mode (Structured Outputs) as a codec: a JSON Schema is rewritten into
 * the subset strict mode accepts, and each rewrite has an inverse that turns the value
 * the model sends back into the shape of the original schema, so that the original
 * Schema (or JSON Schema) decodes it and enforces every constraint the rewrite dropped.
 *
 * Rules (OpenAI, "Structured Outputs: supported schemas", platform.openai.com/docs/guides/structured-outputs;
 * the `$ref`-sibling and lookaround rules as found by pydantic-ai's OpenAI transformer and
 * the `prefixItems` rejection as reported against openai-python and pydantic-ai):
 * - the root is an object, never `anyOf`: a root of any other shape is wrapped as `{ value }`;
 * - every object lists all its properties in `required` and has `additionalProperties: false`;
 *   an optional property becomes nullable (`type: [t, "null"]` for primitives, `anyOf`
 *   with `{ type: "null" }` otherwise); the model's `null` means "absent", unless the
 *   property itself accepts `null`, in which case `null` stays `null`;
 * - records (`additionalProperties` or `patternProperties` schemas) become arrays of
 *   `{ key, value }` entries; an object with both named properties and a record part
 *   keeps its properties and carries the rest as entries under `additionalEntries`;
 * - `prefixItems` and draft-07 tuple `items` lists are rejected: a tuple whose elements
 *   share one schema becomes a plain array; any other tuple becomes an object with keys
 *   `"0"`, `"1"`, … (optional elements nullable) and `rest` for a rest element;
 * - `$ref` may not have siblings: `{ anyOf: [{ $ref }], description }` carries them;
 *   definitions live in `$defs` (recursion allowed), never a top-level `$ref`;
 * - `allOf`, `not`, `if`/`then`/`else` are unsupported: `allOf` is merged into its
 *   parent, `oneOf` becomes `anyOf`, `const` becomes a one-value `enum`;
 * - values with no JSON Schema type (`Schema.Unknown`, `Schema.Any`, `Schema.Object`)
 *   cannot be expressed: they travel as JSON text and are parsed back;
 * - constraint keywords: kept only with `keepConstraints: true`, and then only those
 *   OpenAI documents as supported (`pattern` without lookaround, `format` among
 *   date-time, time, date, duration, email, hostname, ipv4, ipv6, uuid, `minimum`,
 *   `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minItems`,
 *   `maxItems`); fine-tuned models and older snapshots reject even those, so the
 *   default drops them all. `minLength`, `maxLength`, `uniqueItems`, `minProperties`,
 *   `maxProperties` are always dropped. A dropped constraint is noted in the
 *   description (so the model still reads it) and enforced when decoding.
 * - `title`, `default`, `examples`, `$comment`, `$id`, `$schema` are left out.
 *
 * @internal
 */
import { emptyObject, inlineRoot, wrap, wrapKey } from "./jsonSchema.js"
import {
  acceptsOriginal,
  acceptsStrict,
  type Context,
  finish,
  type Node,
  nullSchema,
  plainNode,
  put,
  type StrictOptions,
  without
} from "./strictRules.js"
import { arrayNode, objectNode, tupleNode } from "./strictShapes.js"
import { isObject, type JsonObject, resolvePointer } from "./validate.js"

export type { StrictOptions } from "./strictRules.js"

/** A rewritten schema and the functions that undo and redo the rewrite on values. */
export interface StrictJson {
  readonly jsonSchema: JsonObject
  /** The model's value back into the shape of the original schema. */
  readonly decode: (wire: unknown) => unknown
  /** A value in the shape of the original schema into the shape the model sends. */
  readonly encode: (value: unknown) => unknown
}

// ---------------------------------------------------------------------------
// normalization: allOf, oneOf, const, nullable, type lists
// ---------------------------------------------------------------------------

const normalize = (input: JsonObject): JsonObject => {
  let node = input
  if (Array.isArray(node.allOf)) {
    const merged = without(node, ["allOf"])
    for (const entry of node.allOf) {
      if (!isObject(entry)) continue
      for (const [key, value] of Object.entries(entry))
        if (!Object.hasOwn(merged, key)) put(merged, key, value)
    }
    node = merged
  }
  if (Array.isArray(node.oneOf) && node.anyOf === undefined)
    node = { ...without(node, ["oneOf"]), anyOf: node.oneOf }
  if (Object.hasOwn(node, "const") && node.enum === undefined)
    node = { ...without(node, ["const"]), enum: [node.const] }
  if (node.nullable === true) {
    const inner = without(node, ["nullable", "description"])
    node = { anyOf: [inner, nullSchema()] }
    if (typeof input.description === "string") node.description = input.description
  }
  if (Array.isArray(node.type)) {
    const types = node.type.filter((type): type is string => typeof type === "string")
    if (types.length === 1) node = { ...node, type: types[0] }
    else {
      const rest = without(node, ["type", "description"])
      const split: JsonObject = {
        anyOf: types.map((type) => (type === "null" ? nullSchema() : { ...rest, type }))
      }
      if (typeof node.description === "string") split.description = node.description
      node = split
    }
  }
  return node
}

// ---------------------------------------------------------------------------
// nodes
// ---------------------------------------------------------------------------

const jsonText = (node: JsonObject): Node => {
  const hint = "any JSON value, written as JSON text"
  const description = typeof node.description === "string" ? `${node.description} (${hint})` : hint
  return {
    schema: { type: "string", description },
    original: node,
    decode: (wire) => {
      if (typeof wire !== "string") return wire
      try {
        return JSON.parse(wire)
      } catch {
        return wire
      }
    },
    encode: (value) => {
      try {
        return JSON.stringify(value) ?? "null"
      } catch {
        return String(value)
      }
    },
    plain: false
  }
}

const escapeName = (name: string): string => name.replace(/~/g, "~0").replace(/\//g, "~1")

const defName = (ref: string, context: Context): string => {
  const segments = ref.split("/")
  const last = ref === "#" ? "Root" : (segments[segments.length - 1] ?? "Def")
  const base =
    decodeURIComponent(last)
      .replace(/~1/g, "/")
      .replace(/~0/g, "~")
      .replace(/[^\w.-]/g, "_") || "Def"
  let name = base === "__proto__" ? "proto" : base
  for (let i = 2; context.names.has(name); i++) name = `${base}_${i}`
  context.names.add(name)
  return name
}

const refNode = (ref: string, context: Context): Node => {
  const known = context.refs.get(ref)
  if (known !== undefined) return known
  let inner: Node | undefined
  const node: Node = {
    schema: { $ref: "" },
    original: { $ref: ref },
    decode: (wire) => (inner === undefined ? wire : inner.decode(wire)),
    encode: (value) => (inner === undefined ? value : inner.encode(value)),
    get plain() {
      return inner?.plain ?? false
    }
  }
  context.refs.set(ref, node)
  const name = defName(ref, context)
  node.schema.$ref = `#/$defs/${escapeName(name)}`
  const target = resolvePointer(context.document, ref)
  inner = convert(target === undefined ? true : target, context)
  context.defs[name] = inner.schema
  return node
}

const unionNode = (node: JsonObject, members: ReadonlyArray<unknown>, context: Context): Node => {
  const siblings = without(node, ["anyOf", "description", "title", "$comment", "$id", "default", "examples"])
  const pushDown = Object.keys(siblings).length > 0
  const originals = members.map((member) =>
    pushDown && isObject(member) ? { ...siblings, ...member } : member
  )
  const converted = originals.map((member) => convert(member, context))
  const schema = finish({ anyOf: converted.map((member) => member.schema) }, node, context)
  if (converted.every((member) => member.plain)) return plainNode(schema, node)
  return {
    schema,
    original: node,
    decode: (wire) => {
      let fallback: { readonly value: unknown } | undefined
      for (const member of converted) {
        if (!acceptsStrict(context, member.schema, wire)) continue
        const candidate = member.decode(wire)
        if (acceptsOriginal(context, member.original, candidate)) return candidate
        fallback ??= { value: candidate }
      }
      return fallback === undefined ? wire : fallback.value
    },
    encode: (value) => {
      for (const member of converted) {
        if (acceptsOriginal(context, member.original, value)) return member.encode(value)
      }
      return value
    },
    plain: false
  }
}

const convert = (input: unknown, context: Context): Node => {
  if (input === false) return plainNode({ not: {} }, input)
  if (!isObject(input)) return jsonText({})
  const node = normalize(input)
  if (typeof node.$ref === "string") {
    const target = refNode(node.$ref, context)
    if (typeof node.description !== "string") return target
    return {
      schema: { anyOf: [target.schema], description: node.description },
      original: node,
      decode: target.decode,
      encode: target.encode,
      plain: false
    }
  }
  switch (node.$id) {
    case "/schemas/%7B%7D":
      return plainNode(finish(emptyObject(), node, context), node)
    case "/schemas/never":
      return plainNode({ not: {} }, node)
    case "/schemas/unknown":
    case "/schemas/any":
    case "/schemas/object":
    case "/schemas/void":
      return jsonText(node)
  }
  if (Array.isArray(node.anyOf)) return unionNode(node, node.anyOf, context)
  if (Array.isArray(node.enum)) {
    const values: ReadonlyArray<unknown> = node.enum
    const out: JsonObject = {}
    const types = new Set(values.map((value) => (value === null ? "null" : typeof value)))
    if (typeof node.type === "string") out.type = node.type
    else if (types.size === 1 && !types.has("object")) out.type = [...types][0]
    out.enum = values
    return plainNode(finish(out, node, context), node)
  }
  const type =
    node.type ?? (isObject(node.properties) ? "object" : node.items !== undefined ? "array" : undefined)
  switch (type) {
    case "object":
      return objectNode(node, context)
    case "array": {
      if (Array.isArray(node.prefixItems)) {
        return tupleNode(node, node.prefixItems, node.items === false ? undefined : node.items, context)
      }
      if (Array.isArray(node.items)) {
        const rest = node.additionalItems
        return tupleNode(node, node.items, rest === false || rest === undefined ? undefined : rest, context)
      }
      return arrayNode(node, context)
    }
    case "string":
      return plainNode(finish({ type }, node, context, ["pattern", "format"]), node)
    case "number":
    case "integer":
      return plainNode(
        finish({ type }, node, context, [
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "multipleOf"
        ]),
        node
      )
    case "boolean":
    case "null":
      return plainNode(finish({ type }, node, context), node)
    default:
      return jsonText(node)
  }
}

/**
 * Rewrites a JSON Schema (a document: `$defs` / `definitions` at its root) for OpenAI's
 * strict mode, with the functions that map values across the rewrite.
 */
export const rewrite = (document: JsonObject, options?: StrictOptions): StrictJson => {
  const context: Context = {
    document,
    defs: {},
    refs: new Map(),
    names: new Set(),
    keep: options?.keepConstraints === true,
    originals: new Map(),
    stricts: new Map(),
    convert: (input) => convert(input, context)
  }
  const root = convert(inlineRoot(document), context)
  const isObjectRoot = root.schema.type === "object"
  const withDefs = (schema: JsonObject): JsonObject =>
    Object.keys(context.defs).length === 0 ? schema : { ...schema, $defs: context.defs }
  if (isObjectRoot) {
    return { jsonSchema: withDefs(root.schema), decode: root.decode, encode: root.encode }
  }
  return {
    jsonSchema: withDefs(wrap(root.schema)),
    decode: (wire) => (isObject(wire) && Object.hasOwn(wire, wrapKey) ? root.decode(wire[wrapKey]) : wire),
    encode: (value) => ({ [wrapKey]: root.encode(value) })
  }
}
