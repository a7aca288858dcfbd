/**
 * JSON Schema for tools, from `effect`'s `JSONSchema.fromAST` (the encoded side of the
 * Schema: what travels as JSON): no top-level `$ref` (providers reject it: the root
 * definition is inlined, `$defs` stay for recursion), an empty `Struct` as an empty
 * object schema, and a root that is not an object wrapped as `{ value }` (tool
 * parameters must be a JSON object).
 *
 * @internal
 */
import * as JSONSchema from "effect/JSONSchema"
import type * as Schema from "effect/Schema"
import { isObject, type JsonObject, resolvePointer } from "./validate.js"

/** The schema of a tool that takes no arguments. */
export const emptyObject = (): JsonObject => ({
  type: "object",
  properties: {},
  required: [],
  additionalProperties: false
})

const emptyStructId = "/schemas/%7B%7D"

/** The key a non-object root is wrapped under. */
export const wrapKey = "value"

const withoutKeys = (schema: JsonObject, keys: ReadonlyArray<string>): JsonObject => {
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(schema)) if (!keys.includes(key)) out[key] = value
  return out
}

/**
 * Replaces a root `$ref` (alone, or as `allOf: [{ $ref }]` with annotations beside it)
 * by the definition it points to, keeping the root's own annotations.
 */
export const inlineRoot = (root: JsonObject, document: JsonObject = root): JsonObject => {
  let current = root
  for (let depth = 0; depth < 32; depth++) {
    if (typeof current.$ref === "string") {
      const target = resolvePointer(document, current.$ref)
      if (!isObject(target) || target === current) return current
      current = { ...withoutKeys(target, ["$defs", "definitions"]), ...withoutKeys(current, ["$ref"]) }
      continue
    }
    if (
      Array.isArray(current.allOf) &&
      current.allOf.length === 1 &&
      isObject(current.allOf[0]) &&
      typeof current.allOf[0].$ref === "string" &&
      current.type === undefined
    ) {
      current = { ...current.allOf[0], ...withoutKeys(current, ["allOf"]) }
      continue
    }
    return current
  }
  return current
}

/** Whether a JSON Schema describes a plain object (what tool parameters must be). */
export const isObjectSchema = (schema: JsonObject): boolean =>
  schema.type === "object" && schema.anyOf === undefined && schema.oneOf === undefined

/** Wraps a schema that is not an object as `{ value: schema }`, keeping `$defs` at the root. */
export const wrap = (schema: JsonObject): JsonObject => {
  const { $defs, ...inner } = schema
  const out: JsonObject = {
    type: "object",
    properties: { [wrapKey]: inner },
    required: [wrapKey],
    additionalProperties: false
  }
  if ($defs !== undefined) out.$defs = $defs
  return out
}

/**
 * The JSON Schema of a Schema's encoded side, with the root definition inlined and the
 * definitions it needs under `$defs`. Throws (a defect, from `effect`) for schemas that
 * have no JSON Schema, such as `Schema.DateFromSelf` without a `jsonSchema` annotation.
 */
export const fromSchema = (schema: Schema.Schema.AnyNoContext): JsonObject => {
  const definitions: Record<string, JSONSchema.JsonSchema7> = {}
  const generated: JsonObject = {
    ...JSONSchema.fromAST(schema.ast, { definitions, topLevelReferenceStrategy: "skip" })
  }
  const hasDefinitions = Object.keys(definitions).length > 0
  const document: JsonObject = hasDefinitions ? { ...generated, $defs: definitions } : generated
  let root = inlineRoot(document)
  if (root.$id === emptyStructId) {
    root = { ...emptyObject(), ...withoutKeys(root, ["$id", "anyOf"]) }
  }
  if (hasDefinitions) root.$defs = definitions
  return root
}

/** The parameters schema of a tool: an object schema, and whether it was wrapped. */
export interface Parameters {
  readonly jsonSchema: JsonObject
  readonly wrapped: boolean
}

/** Makes a root schema fit tool parameters, wrapping it when it is not an object. */
export const toParameters = (schema: JsonObject): Parameters =>
  isObjectSchema(schema)
    ? { jsonSchema: schema, wrapped: false }
    : { jsonSchema: wrap(schema), wrapped: true }
