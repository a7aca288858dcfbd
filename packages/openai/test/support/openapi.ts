/**
 * Request bodies checked against OpenAI's published API schema
 * (`../shared/reference/openai-openapi.yaml`, beside the repository).
 *
 * The file is OpenAPI 3.1 with OpenAPI 3.0 remnants, so the schemas are converted to
 * JSON Schema 2020-12 first:
 *
 * - `nullable: true` becomes a null alternative: `"null"` is added to `type` (and `null`
 *   to `enum`) of a plain schema; a schema built from `$ref`, `allOf`, `anyOf`, `oneOf`,
 *   `not` or `const` is wrapped as `anyOf: [schema, { type: "null" }]`;
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` (3.0) become the numeric form;
 * - OpenAPI-only keywords are dropped (`discriminator`, `example`, `examples`, `xml`,
 *   `externalDocs`, `x-*`), and so are `readOnly` properties of request bodies;
 * - `$ref: "#/components/schemas/X"` becomes `$ref: "#/$defs/X"`;
 * - `oneOf` is checked as `anyOf`: the spec's alternatives overlap (a `{ role: "user",
 *   content: [...] }` input item is both an `EasyInputMessage` and an `InputMessage`),
 *   OpenAI relies on its `discriminator` to pick one, and "exactly one" would reject valid
 *   requests;
 * - alternatives told apart by a `type` or `role` property are checked only against the
 *   alternatives the instance's value selects (same accepted bodies, but a wrong
 *   `function_call` item reports its missing `arguments`, not one line per item kind).
 *
 * Only the schemas reachable from the two request schemas are converted. The converted
 * schema is cached in `node_modules/.cache/effect-chat/` (keyed by the hashes of the YAML
 * and of this file) because parsing the 3 MB YAML takes about 1.5 s and every vitest
 * worker would pay it; the validators are compiled lazily, once per process (~0.6 s).
 *
 * @example
 * ```ts
 * import { validateRequest } from "./support/openapi.js"
 *
 * expect(validateRequest("CreateChatCompletionRequest", server.requests[0]!.body)).toEqual([])
 * ```
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import { parse } from "yaml"

/** The request schemas a test can check a body against. */
export type RequestSchema = "CreateChatCompletionRequest" | "CreateResponse"

const roots: ReadonlyArray<RequestSchema> = ["CreateChatCompletionRequest", "CreateResponse"]

const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * Where the OpenAPI file is: `OPENAI_OPENAPI_SPEC` when set, else
 * `<repository>/../shared/reference/openai-openapi.yaml`.
 */
export const specPath: string =
  process.env.OPENAI_OPENAPI_SPEC ?? path.resolve(here, "../../../../../shared/reference/openai-openapi.yaml")

const repositoryRoot = path.resolve(here, "../../../..")

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
type JsonObject = { readonly [key: string]: Json }

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const componentPrefix = "#/components/schemas/"

// ---------------------------------------------------------------------------
// OpenAPI -> JSON Schema 2020-12
// ---------------------------------------------------------------------------

/** Keywords whose value is one schema. */
const schemaKeywords = new Set([
  "items",
  "additionalProperties",
  "unevaluatedProperties",
  "unevaluatedItems",
  "additionalItems",
  "not",
  "contains",
  "propertyNames",
  "if",
  "then",
  "else"
])
/** Keywords whose value is a list of schemas. */
const schemaListKeywords = new Set(["allOf", "anyOf", "oneOf", "prefixItems"])
/** Keywords whose value maps names to schemas. */
const schemaMapKeywords = new Set([
  "properties",
  "patternProperties",
  "dependentSchemas",
  "$defs",
  "definitions"
])
/** OpenAPI-only keywords, dropped. */
const dropped = new Set(["discriminator", "example", "examples", "xml", "externalDocs", "nullable"])
/** A schema made of these cannot take `null` by widening `type`: it is wrapped instead. */
const composite = ["$ref", "allOf", "anyOf", "oneOf", "not", "const"]

const convertSchema = (schema: Json, refs: Set<string>): Json => {
  if (!isObject(schema)) return schema
  const out: Record<string, Json> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (dropped.has(key) || key.startsWith("x-")) continue
    if (key === "$ref" && typeof value === "string" && value.startsWith(componentPrefix)) {
      const name = value.slice(componentPrefix.length)
      refs.add(name)
      out.$ref = `#/$defs/${name}`
    } else if (schemaKeywords.has(key)) {
      out[key] = convertSchema(value, refs)
    } else if (schemaListKeywords.has(key) && Array.isArray(value)) {
      out[key] = value.map((item) => convertSchema(item, refs))
    } else if (schemaMapKeywords.has(key) && isObject(value)) {
      const map: Record<string, Json> = {}
      for (const [name, item] of Object.entries(value)) {
        // A request never has to send a read-only property.
        if (key === "properties" && isObject(item) && item.readOnly === true) continue
        map[name] = convertSchema(item, refs)
      }
      out[key] = map
    } else {
      out[key] = value
    }
  }
  // OpenAPI 3.0's boolean exclusive bounds.
  for (const [exclusive, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"]
  ] as const) {
    if (typeof out[exclusive] === "boolean") {
      if (out[exclusive] === true && typeof out[bound] === "number") {
        out[exclusive] = out[bound]
        delete out[bound]
      } else {
        delete out[exclusive]
      }
    }
  }
  // `required` must not name the read-only properties dropped above.
  if (Array.isArray(out.required) && isObject(schema.properties)) {
    const properties = schema.properties
    out.required = out.required.filter(
      (name) =>
        !(typeof name === "string" && isObject(properties[name]) && properties[name].readOnly === true)
    )
  }
  if (schema.nullable === true) return withNull(out)
  return out
}

const withNull = (schema: Record<string, Json>): Json => {
  if (composite.some((key) => key in schema) || (!("type" in schema) && !("enum" in schema))) {
    return { anyOf: [schema, { type: "null" }] }
  }
  const out = { ...schema }
  const type = out.type
  if (typeof type === "string") out.type = type === "null" ? type : [type, "null"]
  else if (Array.isArray(type) && !type.includes("null")) out.type = [...type, "null"]
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
  return out
}

// ---------------------------------------------------------------------------
// discriminated alternatives (readable errors)
// ---------------------------------------------------------------------------

/** The properties that tell alternatives apart, tried in order. */
const discriminators = ["type", "role"]

/**
 * The string values property `name` can take in instances of `schema` (when present),
 * or `undefined` when that is not known (no `enum`/`const` on it).
 */
const discriminatorValues = (
  schema: Json,
  name: string,
  defs: JsonObject,
  seen: ReadonlySet<string> = new Set()
): ReadonlySet<string> | undefined => {
  if (!isObject(schema)) return undefined
  if (typeof schema.$ref === "string") {
    const target = schema.$ref.slice("#/$defs/".length)
    if (seen.has(target)) return undefined
    const own = ownValues(schema, name, defs, seen)
    return own ?? discriminatorValues(defs[target] ?? null, name, defs, new Set([...seen, target]))
  }
  const own = ownValues(schema, name, defs, seen)
  if (own !== undefined) return own
  for (const key of ["anyOf", "oneOf"]) {
    const list = schema[key]
    if (Array.isArray(list)) {
      const union = new Set<string>()
      for (const branch of list) {
        const values = discriminatorValues(branch, name, defs, seen)
        if (values === undefined) return undefined
        for (const value of values) union.add(value)
      }
      return union
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf) {
      const values = discriminatorValues(member, name, defs, seen)
      if (values !== undefined) return values
    }
  }
  return undefined
}

const ownValues = (
  schema: JsonObject,
  name: string,
  defs: JsonObject,
  seen: ReadonlySet<string>
): ReadonlySet<string> | undefined => {
  let property = isObject(schema.properties) ? schema.properties[name] : undefined
  for (let hops = 0; isObject(property) && typeof property.$ref === "string" && hops < 8; hops++) {
    const target = property.$ref.slice("#/$defs/".length)
    if (seen.has(target)) return undefined
    property = defs[target]
  }
  return isObject(property) ? stringValues(property) : undefined
}

/** The strings a property schema allows (`const`, `enum`, or alternatives of those and `null`). */
const stringValues = (property: JsonObject): ReadonlySet<string> | undefined => {
  if (typeof property.const === "string") return new Set([property.const])
  if (Array.isArray(property.enum)) {
    const values = property.enum.filter((value): value is string => typeof value === "string")
    return values.length > 0 ? new Set(values) : undefined
  }
  const alternatives = Array.isArray(property.anyOf) ? property.anyOf : property.oneOf
  if (Array.isArray(alternatives)) {
    const union = new Set<string>()
    for (const alternative of alternatives) {
      if (!isObject(alternative)) return undefined
      if (alternative.type === "null" && alternative.enum === undefined) continue
      const values = stringValues(alternative)
      if (values === undefined) return undefined
      for (const value of values) union.add(value)
    }
    return union.size > 0 ? union : undefined
  }
  return undefined
}

/** JSON Schema's `if`/`then`/`else`. */
const conditional = (condition: Json, consequence: Json, alternative?: Json): Json => ({
  if: condition,
  // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, never awaited
  then: consequence,
  ...(alternative === undefined ? {} : { else: alternative })
})

/**
 * Rewrites a list of alternatives told apart by a `type` or `role` property so that an
 * instance is checked only against the alternatives its value selects: a wrong tool
 * call then reports its own missing field, not one error per kind of input item. The
 * accepted instances are the same as the list's as an `anyOf`.
 */
const discriminate = (branches: ReadonlyArray<Json>, defs: JsonObject): Json => {
  const original = { anyOf: branches }
  for (const name of discriminators) {
    const sets = branches.map((branch) => discriminatorValues(branch, name, defs))
    const known = sets.filter((set) => set !== undefined)
    const values = [...new Set(known.flatMap((set) => [...set]))]
    if (known.length < 2 || values.length < 2) continue
    const open = branches.filter((_, index) => sets[index] === undefined)
    const forValue = (value: string): Json => {
      const chosen = branches.filter((_, index) => sets[index] === undefined || sets[index]!.has(value))
      return chosen.length === 1 ? chosen[0]! : { anyOf: chosen }
    }
    return conditional(
      { type: "object", required: [name], properties: { [name]: { type: "string" } } },
      conditional(
        { properties: { [name]: { enum: values } } },
        {
          allOf: values.map((value) =>
            conditional({ properties: { [name]: { const: value } } }, forValue(value))
          )
        },
        open.length > 0 ? { anyOf: open } : { properties: { [name]: { enum: values } } }
      ),
      original
    )
  }
  return original
}

/** Turns every `oneOf`/`anyOf` of the converted schemas into a discriminated `anyOf`. */
const discriminateAll = (schema: Json, defs: JsonObject): Json => {
  if (!isObject(schema)) return schema
  const out: Record<string, Json> = {}
  let alternatives: ReadonlyArray<Json> | undefined
  for (const [key, value] of Object.entries(schema)) {
    if (schemaKeywords.has(key)) out[key] = discriminateAll(value, defs)
    else if ((key === "oneOf" || key === "anyOf") && Array.isArray(value)) {
      const branches = value.map((item) => discriminateAll(item, defs))
      if (alternatives === undefined) alternatives = branches
      else out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), discriminate(branches, defs)]
    } else if (schemaListKeywords.has(key) && Array.isArray(value))
      out[key] = [
        ...(Array.isArray(out[key]) ? out[key] : []),
        ...value.map((item) => discriminateAll(item, defs))
      ]
    else if (schemaMapKeywords.has(key) && isObject(value)) {
      const map: Record<string, Json> = {}
      for (const [name, item] of Object.entries(value)) map[name] = discriminateAll(item, defs)
      out[key] = map
    } else out[key] = value
  }
  if (alternatives === undefined) return out
  const rewritten = discriminate(alternatives, defs)
  return isObject(rewritten) && "if" in rewritten
    ? { ...out, allOf: [...(Array.isArray(out.allOf) ? out.allOf : []), rewritten] }
    : { ...out, anyOf: alternatives }
}

/** The JSON Schema document: the request schemas and everything they reach, as `$defs`. */
export const convert = (openapi: unknown): JsonObject => {
  const document = openapi as Json
  const components = isObject(document) && isObject(document.components) ? document.components : {}
  const schemas = isObject(components.schemas) ? components.schemas : {}
  const defs: Record<string, Json> = {}
  const pending: Array<string> = [...roots]
  while (pending.length > 0) {
    const name = pending.pop()!
    if (name in defs) continue
    const schema = schemas[name]
    if (schema === undefined) throw new Error(`openapi: no schema named ${name} in ${specPath}`)
    const refs = new Set<string>()
    defs[name] = convertSchema(schema, refs)
    for (const ref of refs) if (!(ref in defs)) pending.push(ref)
  }
  const discriminated: Record<string, Json> = {}
  for (const [name, schema] of Object.entries(defs)) discriminated[name] = discriminateAll(schema, defs)
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "openai-openapi",
    $defs: discriminated
  }
}

// ---------------------------------------------------------------------------
// loading (cached on disk) and compiling (once per process)
// ---------------------------------------------------------------------------

const load = (): JsonObject => {
  if (!fs.existsSync(specPath)) {
    throw new Error(
      `openapi: ${specPath} not found. The OpenAI OpenAPI file lives in shared/reference/ beside the repository (set OPENAI_OPENAPI_SPEC to use another path).`
    )
  }
  const text = fs.readFileSync(specPath, "utf8")
  // Keyed by the YAML and by this file, so a change to the conversion is never served stale.
  const hash = createHash("sha256")
    .update(fs.readFileSync(fileURLToPath(import.meta.url)))
    .update(text)
    .digest("hex")
    .slice(0, 16)
  const cacheFile = path.join(
    repositoryRoot,
    "node_modules",
    ".cache",
    "effect-chat",
    `openai-openapi-${hash}.json`
  )
  try {
    return JSON.parse(fs.readFileSync(cacheFile, "utf8")) as JsonObject
  } catch {
    // not cached yet
  }
  const converted = convert(parse(text, { maxAliasCount: -1 }))
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true })
    const temporary = `${cacheFile}.${process.pid}.tmp`
    fs.writeFileSync(temporary, JSON.stringify(converted))
    fs.renameSync(temporary, cacheFile)
  } catch {
    // a read-only tree: parse again next time
  }
  return converted
}

let validators: Map<RequestSchema, ValidateFunction> | undefined

const compile = (): Map<RequestSchema, ValidateFunction> => {
  if (validators !== undefined) return validators
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
  addFormats.default(ajv)
  // OpenAPI's numeric and binary formats say nothing JSON Schema can check.
  for (const format of [
    "int32",
    "int64",
    "float",
    "double",
    "unixtime",
    "binary",
    "byte",
    "png",
    "password"
  ]) {
    ajv.addFormat(format, true)
  }
  ajv.addSchema(load())
  validators = new Map(roots.map((name) => [name, ajv.compile({ $ref: `openai-openapi#/$defs/${name}` })]))
  return validators
}

const describe = (error: ErrorObject): string => {
  const where = error.instancePath === "" ? "/" : error.instancePath
  const params = error.params as Record<string, unknown>
  const detail =
    error.keyword === "enum"
      ? ` (${JSON.stringify(params.allowedValues)})`
      : error.keyword === "additionalProperties"
        ? ` (${String(params.additionalProperty)})`
        : error.keyword === "const"
          ? ` (${JSON.stringify(params.allowedValue)})`
          : ""
  return `${where}: ${error.message ?? error.keyword}${detail}`
}

/**
 * Checks a request body against `CreateChatCompletionRequest` or `CreateResponse`:
 * the empty list when it is valid, otherwise one readable `"path: message"` line per
 * problem (alternatives of an `anyOf`/`oneOf` each report why they did not match).
 *
 * @example
 * ```ts
 * validateRequest("CreateChatCompletionRequest", { model: "gpt-4.1-mini", messages: [] })
 * // ["/messages: must NOT have fewer than 1 items"]
 * ```
 */
export const validateRequest = (schemaName: RequestSchema, body: unknown): ReadonlyArray<string> => {
  const validate = compile().get(schemaName)!
  if (validate(body)) return []
  return [...new Set(relevant(validate.errors ?? []).map(describe))]
}

const within = (path: string, parent: string): boolean => path === parent || path.startsWith(`${parent}/`)

/**
 * Drops the bookkeeping errors of alternatives when a more specific error explains them:
 * `if`/`then` wrappers always, "must match a schema in anyOf" when an error lies at or
 * below the same path, and the "must be null" of a nullable field beside its real error.
 */
const relevant = (errors: ReadonlyArray<ErrorObject>): ReadonlyArray<ErrorObject> =>
  errors.filter((error) => {
    if (error.keyword === "if") return false
    const others = errors.filter((other) => other !== error && other.keyword !== "if")
    if (error.keyword === "anyOf" || error.keyword === "oneOf") {
      return !others.some(
        (other) =>
          other.keyword !== "anyOf" &&
          other.keyword !== "oneOf" &&
          within(other.instancePath, error.instancePath)
      )
    }
    if (error.keyword === "type" && (error.params as { type?: unknown }).type === "null") {
      return !others.some((other) => other.instancePath === error.instancePath && other.keyword !== "anyOf")
    }
    return true
  })
