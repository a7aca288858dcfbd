/**
 * Tool arguments across the wire: the JSON Schema sent to the provider, and decoding /
 * encoding of the arguments in the plain form and in OpenAI's strict form, for tools
 * described by a Schema, by a JSON Schema, or by nothing (no arguments).
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { emptyObject, fromSchema, inlineRoot, toParameters, wrapKey } from "./jsonSchema.js"
import { rewrite, type StrictJson, type StrictOptions } from "./strict.js"
import type { StrictCodec } from "./types.js"
import { compile, isObject, type JsonObject } from "./validate.js"

const pointer = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0
    ? "(root)"
    : path.map((key) => `/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("")

const expectedActual = /^Expected (.+), actual (.+)$/s

/** Several issues at one path (a union's members) as one line: `Expected A | B, actual x`. */
const mergeIssues = (messages: ReadonlyArray<string>): string => {
  const unique = [...new Set(messages)]
  if (unique.length === 1) return unique[0]!
  const parsed = unique.map((message) => expectedActual.exec(message))
  const actual = parsed[0]?.[2]
  if (parsed.every((match) => match !== null && match[2] === actual)) {
    const expected = [...new Set(parsed.map((match) => match?.[1] ?? ""))]
    const defined = expected.filter((option) => option !== "undefined")
    return `Expected ${(defined.length > 0 ? defined : expected).join(" | ")}, actual ${actual}`
  }
  return unique.join("; ")
}

/** Formats a Schema parse error as one line per path (JSON pointers), every issue listed. */
export const formatParseError = (error: ParseResult.ParseError): string => {
  const byPath = new Map<string, Array<string>>()
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const path = pointer(issue.path)
    const messages = byPath.get(path)
    if (messages === undefined) byPath.set(path, [issue.message])
    else messages.push(issue.message)
  }
  return [...byPath].map(([path, messages]) => `${path}: ${mergeIssues(messages)}`).join("\n")
}

const describe = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`

/** The arguments codec of a tool. */
export interface ArgsCodec {
  /** The plain JSON Schema of the arguments (an object schema). */
  readonly jsonSchema: JsonObject
  /** The strict rewrite (built once per option set, on first use). */
  readonly strict: (options?: StrictOptions) => StrictJson
  readonly decode: (raw: unknown, strict: boolean) => Either.Either<unknown, string>
  readonly encode: (args: unknown, strict: boolean) => Either.Either<Record<string, unknown>, string>
}

const memoStrict = (document: () => JsonObject) => {
  const cache = new Map<boolean, StrictJson>()
  return (options?: StrictOptions): StrictJson => {
    const keep = options?.keepConstraints === true
    let found = cache.get(keep)
    if (found === undefined) {
      found = rewrite(document(), { keepConstraints: keep })
      cache.set(keep, found)
    }
    return found
  }
}

const asRecord = (value: unknown, what: string): Either.Either<Record<string, unknown>, string> =>
  isObject(value) ? Either.right(value) : Either.left(`${what} must be a JSON object, got ${describe(value)}`)

/** The codec of a tool without parameters: sends an empty object schema, receives `{}`. */
export const emptyCodec = (): ArgsCodec => {
  const jsonSchema = emptyObject()
  const strict: StrictJson = { jsonSchema, decode: (wire) => wire, encode: (value) => value }
  return {
    jsonSchema,
    strict: () => strict,
    decode: (raw) =>
      raw === undefined || raw === null || isObject(raw)
        ? Either.right({})
        : Either.left(`the arguments must be a JSON object, got ${describe(raw)}`),
    encode: () => Either.right({})
  }
}

/** The codec of a tool whose parameters are a Schema. */
export const schemaCodec = (schema: Schema.Schema.AnyNoContext): ArgsCodec => {
  const root = fromSchema(schema)
  const parameters = toParameters(root)
  const decodeSchema = Schema.decodeUnknownEither(schema, { errors: "all" })
  const encodeSchema = Schema.encodeEither(schema, { errors: "all" })
  const strict = memoStrict(() => root)
  return {
    jsonSchema: parameters.jsonSchema,
    strict,
    decode: (raw, useStrict) => {
      const input = useStrict
        ? strict().decode(raw)
        : parameters.wrapped && isObject(raw) && Object.hasOwn(raw, wrapKey)
          ? raw[wrapKey]
          : raw
      return Either.mapLeft(decodeSchema(input), formatParseError)
    },
    encode: (args, useStrict) =>
      Either.flatMap(Either.mapLeft(encodeSchema(args), formatParseError), (encoded) =>
        asRecord(
          useStrict ? strict().encode(encoded) : parameters.wrapped ? { [wrapKey]: encoded } : encoded,
          "the encoded arguments"
        )
      )
  }
}

/**
 * Normalizes a JSON Schema given for tool parameters: the root `$ref` inlined, an object
 * root always with `type` and `properties`.
 */
export const normalizeParameters = (jsonSchema: Readonly<Record<string, unknown>>): JsonObject => {
  const root = inlineRoot({ ...jsonSchema })
  if (root.type === undefined && (isObject(root.properties) || Array.isArray(root.required)))
    root.type = "object"
  if (root.type === "object" && !isObject(root.properties)) root.properties = {}
  return root
}

/** The codec of a tool described by a JSON Schema: arguments are validated against it. */
export const jsonSchemaCodec = (input: Readonly<Record<string, unknown>>): ArgsCodec => {
  const jsonSchema = normalizeParameters(input)
  const validate = compile(jsonSchema)
  const strict = memoStrict(() => jsonSchema)
  return {
    jsonSchema,
    strict,
    decode: (raw, useStrict) =>
      Either.flatMap(asRecord(useStrict ? strict().decode(raw) : raw, "the arguments"), (args) => {
        const issues = validate(args)
        return issues.length === 0 ? Either.right(args) : Either.left(issues.join("\n"))
      }),
    encode: (args, useStrict) => asRecord(useStrict ? strict().encode(args) : args, "the arguments")
  }
}

/** OpenAI's strict rewrite of a Schema, as a codec (see `strict.ts` for the rules). */
export const openAiStrict = <A, I>(schema: Schema.Schema<A, I>, options?: StrictOptions): StrictCodec<A> => {
  const strict = rewrite(fromSchema(schema), options)
  const decodeSchema = Schema.decodeUnknownEither(schema, { errors: "all" })
  const encodeSchema = Schema.encodeEither(schema, { errors: "all" })
  return {
    jsonSchema: strict.jsonSchema,
    decode: (wire) => Either.mapLeft(decodeSchema(strict.decode(wire)), formatParseError),
    encode: (value) => Either.map(Either.mapLeft(encodeSchema(value), formatParseError), strict.encode)
  }
}
