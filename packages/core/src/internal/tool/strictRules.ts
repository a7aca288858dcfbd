/**
 * The shared pieces of the strict rewrite (see `strict.ts` for the rules): the node a
 * rewrite produces, the keyword tables with their sources, and small helpers.
 *
 * @internal
 */
import { compile, isObject, type JsonObject, type Validator } from "./validate.js"

/** Options of the strict rewrite. */
export interface StrictOptions {
  /** Keep the constraint keywords OpenAI documents as supported (default: drop them all). */
  readonly keepConstraints?: boolean
}

export interface Node {
  readonly schema: JsonObject
  /** The original node, to tell union members apart. */
  readonly original: unknown
  readonly decode: (wire: unknown) => unknown
  readonly encode: (value: unknown) => unknown
  /** Whether decode and encode are identities. */
  readonly plain: boolean
}

/** The state of one rewrite. */
export interface Context {
  readonly document: JsonObject
  readonly defs: Record<string, JsonObject>
  readonly refs: Map<string, Node>
  readonly names: Set<string>
  readonly keep: boolean
  readonly originals: Map<unknown, Validator>
  readonly stricts: Map<unknown, Validator>
  /** Rewrites a sub-schema (the entry point of `strict.ts`). */
  readonly convert: (input: unknown) => Node
}

export const identity = (value: unknown): unknown => value

const supportedFormats: ReadonlySet<string> = new Set([
  "date-time",
  "time",
  "date",
  "duration",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "uuid"
])

const lookaround = /\(\?(?:=|!|<=|<!)/

/** Constraint keywords OpenAI documents as supported, with a test of the value. */
const documented: Readonly<Record<string, (value: unknown) => boolean>> = {
  pattern: (value) => typeof value === "string" && !lookaround.test(value),
  format: (value) => typeof value === "string" && supportedFormats.has(value),
  minimum: (value) => typeof value === "number",
  maximum: (value) => typeof value === "number",
  exclusiveMinimum: (value) => typeof value === "number",
  exclusiveMaximum: (value) => typeof value === "number",
  multipleOf: (value) => typeof value === "number",
  minItems: (value) => typeof value === "number",
  maxItems: (value) => typeof value === "number"
}

/** Constraint keywords always dropped (and noted in the description). */
const unsupported: ReadonlyArray<string> = [
  "minLength",
  "maxLength",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "contains",
  "minContains",
  "maxContains"
]

export const primitives: ReadonlySet<string> = new Set(["string", "number", "integer", "boolean"])

export const nullSchema = (): JsonObject => ({ type: "null" })

/** Defines a property (never through a `__proto__` setter). */
export const put = (target: JsonObject, key: string, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

export const without = (schema: JsonObject, keys: ReadonlyArray<string>): JsonObject => {
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(schema)) if (!keys.includes(key)) put(out, key, value)
  return out
}

const show = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value))

/** Copies the constraints that are kept, and notes the dropped ones in the description. */
export const finish = (
  out: JsonObject,
  node: JsonObject,
  context: Context,
  keys: ReadonlyArray<string> = []
): JsonObject => {
  const notes: Array<string> = []
  for (const key of [...keys, ...unsupported]) {
    if (!Object.hasOwn(node, key)) continue
    const value = node[key]
    const test = documented[key]
    if (context.keep && test?.(value)) out[key] = value
    else notes.push(`${key}: ${show(value)}`)
  }
  const description = typeof node.description === "string" ? node.description : undefined
  const note = notes.join(", ")
  if (description !== undefined && note !== "") out.description = `${description} (${note})`
  else if (description !== undefined) out.description = description
  else if (note !== "") out.description = note
  return out
}

/** Makes a strict schema accept `null` as well. */
export const nullable = (schema: JsonObject): JsonObject => {
  if (schema.type === "null") return schema
  if (Array.isArray(schema.anyOf)) {
    return schema.anyOf.some((member) => isObject(member) && member.type === "null")
      ? schema
      : { ...schema, anyOf: [...schema.anyOf, nullSchema()] }
  }
  if (typeof schema.type === "string" && primitives.has(schema.type) && schema.enum === undefined) {
    return { ...schema, type: [schema.type, "null"] }
  }
  const { description, ...rest } = schema
  return description === undefined
    ? { anyOf: [rest, nullSchema()] }
    : { anyOf: [rest, nullSchema()], description }
}

const validator = (cache: Map<unknown, Validator>, schema: unknown, root: unknown): Validator => {
  let found = cache.get(schema)
  if (found === undefined) {
    found = compile(schema, root)
    cache.set(schema, found)
  }
  return found
}

export const acceptsOriginal = (context: Context, schema: unknown, value: unknown): boolean =>
  validator(context.originals, schema, context.document)(value).length === 0

export const acceptsStrict = (context: Context, schema: unknown, value: unknown): boolean =>
  validator(context.stricts, schema, { $defs: context.defs })(value).length === 0

export const plainNode = (schema: JsonObject, original: unknown): Node => ({
  schema,
  original,
  decode: identity,
  encode: identity,
  plain: true
})
