/**
 * Tools a model can call: a name, a description, parameters typed by a Schema (or a JSON
 * Schema for tools known only at runtime), and an optional handler. A tool gives the
 * provider its JSON Schema (plain, or rewritten for OpenAI's strict mode as a codec),
 * decodes the arguments the model sends into the Schema's type, and `Tool.run` executes
 * the calls of an AI message into tool messages.
 *
 * @example
 * ```ts
 * import { Message, Tool } from "@effect-chat/core"
 * import { Effect, Schema } from "effect"
 *
 * const weather = Tool.make("weather", {
 *   description: "The current weather in a city",
 *   parameters: Schema.Struct({ city: Schema.String }),
 *   handler: ({ city }) => Effect.succeed(`18°C in ${city}`)
 * })
 *
 * const answer = Message.ai({ content: "", toolCalls: [{ id: "call_1", name: "weather", args: { city: "Paris" } }] })
 * const program = Tool.run(answer, [weather]) // Effect<ReadonlyArray<ToolMessage>, ToolError>
 * ```
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import { dual } from "effect/Function"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import type { ToolDefinition } from "./internal/protocol.js"
import type { AIMessage, ToolMessage } from "./internal/schema.js"
import * as codec from "./internal/tool/codec.js"
import * as decoded from "./internal/tool/decoded.js"
import type { ToolError } from "./internal/tool/error.js"
import * as runner from "./internal/tool/run.js"
import type {
  ArgsOptions,
  DefinitionOptions,
  JsonSchema,
  RunOptions,
  StrictCodec
} from "./internal/tool/types.js"

export {
  /** @since 0.1.0 */
  ToolError,
  /** @since 0.1.0 */
  ToolErrorKind
} from "./internal/tool/error.js"
export type {
  /** @since 0.1.0 */
  ArgsOptions,
  /** @since 0.1.0 */
  DefinitionOptions,
  /** @since 0.1.0 */
  JsonSchema,
  /** @since 0.1.0 */
  RunOptions,
  /** @since 0.1.0 */
  StrictCodec
} from "./internal/tool/types.js"

/**
 * The brand of tools.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 *
 * const brand: symbol = Tool.TypeId
 * ```
 *
 * @since 0.1.0
 */
export const TypeId: unique symbol = Symbol.for("@effect-chat/core/Tool")

/**
 * The type of the brand of tools.
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * const hasBrand = (value: { readonly [Tool.TypeId]?: Tool.TypeId }) => value !== undefined
 * ```
 *
 * @since 0.1.0
 */
export type TypeId = typeof TypeId

/**
 * A tool: what the provider sees (`name`, `description`, `jsonSchema`, `definition`),
 * how its arguments cross the wire (`decodeArgs`, `encodeArgs`), and what runs it
 * (`handler`, with the `success` and `failure` Schemas that turn its outcome into the
 * text of a tool message). `Args` is the decoded type of the arguments.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const search: Tool.Tool<"search", { readonly query: string }> = Tool.make("search", {
 *   description: "Search the web",
 *   parameters: Schema.Struct({ query: Schema.String })
 * })
 * ```
 *
 * @since 0.1.0
 */
export interface Tool<Name extends string, Args = {}, Success = unknown, Failure = unknown, R = never>
  extends Pipeable {
  readonly [TypeId]: TypeId
  readonly name: Name
  readonly description: string
  /** The parameters Schema; `undefined` for a tool without parameters or from a JSON Schema. */
  readonly parameters: Schema.Schema.AnyNoContext | undefined
  /** The plain JSON Schema of the parameters: an object schema, no top-level `$ref`. */
  readonly jsonSchema: JsonSchema
  /** Encodes the handler's result into the text of a tool message. */
  readonly success: Schema.Schema.AnyNoContext
  /** Encodes the handler's failure into the text of an error tool message. */
  readonly failure: Schema.Schema.AnyNoContext
  /** Decodes (and validates) the arguments the model sent; the reason on failure. */
  decodeArgs(raw: unknown, options?: ArgsOptions): Either.Either<Args, string>
  /** Encodes decoded arguments back into the JSON the model sent. */
  encodeArgs(args: Args, options?: ArgsOptions): Either.Either<Record<string, unknown>, string>
  /** The tool as a provider receives it in `ChatRequest.tools`. */
  definition(options?: DefinitionOptions): ToolDefinition
  handler?(args: Args): Effect.Effect<Success, Failure, R>
}

/**
 * Any tool (the bound of tool lists).
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 *
 * const tools: ReadonlyArray<Tool.Any> = [Tool.make("ping", { description: "Ping" })]
 * ```
 *
 * @since 0.1.0
 */
export interface Any extends Tool<string, unknown, unknown, unknown, unknown> {}

/**
 * A decoded tool call of one tool.
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * const call: Tool.Call<"weather", { readonly city: string }> = { id: "call_1", name: "weather", args: { city: "Paris" } }
 * ```
 *
 * @since 0.1.0
 */
export interface Call<Name extends string, Args> {
  readonly id: string
  readonly name: Name
  readonly args: Args
}

/**
 * The decoded tool calls of a list of tools: a union discriminated by `name`.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const add = Tool.make("add", { description: "Add", parameters: Schema.Struct({ a: Schema.Number, b: Schema.Number }) })
 * const now = Tool.make("now", { description: "The time" })
 *
 * const describe = (call: Tool.CallOf<[typeof add, typeof now]>) =>
 *   call.name === "add" ? `${call.args.a} + ${call.args.b}` : "now"
 * ```
 *
 * @since 0.1.0
 */
export type CallOf<Tools extends ReadonlyArray<Any>> = {
  [K in keyof Tools]: Tools[K] extends Tool<infer Name, infer Args, infer _S, infer _F, infer _R>
    ? Call<Name, Args>
    : never
}[number]

/**
 * The services the handlers of a tool (or a union of tools) need.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 *
 * const ping = Tool.make("ping", { description: "Ping" })
 * type R = Tool.Requirements<typeof ping> // never
 * ```
 *
 * @since 0.1.0
 */
export type Requirements<T extends Any> =
  T extends Tool<infer _N, infer _A, infer _S, infer _F, infer R> ? R : never

/**
 * Tells whether a value is a tool.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 *
 * Tool.isTool(Tool.make("ping", { description: "Ping" })) // true
 * ```
 *
 * @since 0.1.0
 */
export const isTool = (value: unknown): value is Any => Predicate.hasProperty(value, TypeId)

/** The parameters Schema of a tool made without parameters. */
const NoParameters = Schema.Struct({})

/**
 * The parameters type of a tool made without parameters: it takes `{}`.
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * const args: Tool.NoParameters["Type"] = {}
 * ```
 *
 * @since 0.1.0
 */
export type NoParameters = typeof NoParameters

/**
 * What `Tool.make` takes.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 * import { Effect, Schema } from "effect"
 *
 * const Params = Schema.Struct({ city: Schema.String })
 * const options: Tool.MakeOptions<typeof Params, typeof Schema.String, typeof Schema.Unknown, never> = {
 *   description: "The weather in a city",
 *   parameters: Params,
 *   success: Schema.String,
 *   handler: ({ city }) => Effect.succeed(`sunny in ${city}`)
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface MakeOptions<
  Parameters extends Schema.Schema.AnyNoContext,
  Success extends Schema.Schema.AnyNoContext,
  Failure extends Schema.Schema.AnyNoContext,
  R
> {
  readonly description: string
  /** A Schema whose type is an object; without it the tool takes `{}`. */
  readonly parameters?: Parameters
  /** Encodes results into the tool message (default: any value, JSON-encoded). */
  readonly success?: Success
  /** Encodes failures into the error tool message (default: any value). */
  readonly failure?: Failure
  readonly handler?: (
    args: Schema.Schema.Type<Parameters>
  ) => Effect.Effect<Schema.Schema.Type<Success>, Schema.Schema.Type<Failure>, R>
}

const ToolProto = {
  [TypeId]: TypeId,
  pipe(this: Any) {
    // biome-ignore lint/complexity/noArguments: Effect's pipe protocol
    return pipeArguments(this, arguments)
  }
}

interface Parts {
  readonly name: string
  readonly description: string
  readonly parameters: Schema.Schema.AnyNoContext | undefined
  readonly success: Schema.Schema.AnyNoContext
  readonly failure: Schema.Schema.AnyNoContext
  readonly handler: Any["handler"]
  readonly args: codec.ArgsCodec
}

const build = (parts: Parts): Any => {
  const { args, name, description } = parts
  const plain: ToolDefinition = { name, description, parameters: args.jsonSchema }
  const notStrict: ToolDefinition = { ...plain, strict: false }
  const strict = new Map<boolean, ToolDefinition>()
  const tool: Omit<Any, typeof TypeId | "pipe"> = {
    name,
    description,
    parameters: parts.parameters,
    jsonSchema: args.jsonSchema,
    success: parts.success,
    failure: parts.failure,
    decodeArgs: (raw, options) => args.decode(raw, options?.strict === true),
    encodeArgs: (value, options) => args.encode(value, options?.strict === true),
    definition: (options) => {
      if (options?.strict === undefined) return plain
      if (!options.strict) return notStrict
      const keepConstraints = options.keepConstraints === true
      let found = strict.get(keepConstraints)
      if (found === undefined) {
        found = { name, description, parameters: args.strict({ keepConstraints }).jsonSchema, strict: true }
        strict.set(keepConstraints, found)
      }
      return found
    }
  }
  if (parts.handler !== undefined) Object.assign(tool, { handler: parts.handler })
  return Object.assign(Object.create(ToolProto), tool)
}

/**
 * Makes a tool whose parameters are a Schema (an empty object without one). The JSON
 * Schema sent to the provider comes from `effect`'s `JSONSchema.fromAST`, with the root
 * definition inlined (no top-level `$ref`), descriptions from annotations, `$defs` for
 * recursion, and a root that is not an object wrapped as `{ value }`. Throws (from
 * `effect`) if the Schema has no JSON Schema, e.g. `Schema.DateFromSelf`: use a
 * serializable Schema such as `Schema.Date` (a string on the wire).
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 * import { Effect, Schema } from "effect"
 *
 * const weather = Tool.make("weather", {
 *   description: "The current weather in a city",
 *   parameters: Schema.Struct({
 *     city: Schema.String.annotations({ description: "The city, e.g. Paris" }),
 *     unit: Schema.optional(Schema.Literal("celsius", "fahrenheit"))
 *   }),
 *   success: Schema.Struct({ temperature: Schema.Number }),
 *   handler: ({ city }) => Effect.succeed({ temperature: city === "Paris" ? 18 : 21 })
 * })
 * ```
 *
 * @since 0.1.0
 */
export const make = <
  const Name extends string,
  Parameters extends Schema.Schema.AnyNoContext = NoParameters,
  Success extends Schema.Schema.AnyNoContext = typeof Schema.Unknown,
  Failure extends Schema.Schema.AnyNoContext = typeof Schema.Unknown,
  R = never
>(
  name: Name,
  options: MakeOptions<Parameters, Success, Failure, R>
): Tool<Name, Schema.Schema.Type<Parameters>, Schema.Schema.Type<Success>, Schema.Schema.Type<Failure>, R> =>
  build({
    name,
    description: options.description,
    parameters: options.parameters,
    success: options.success ?? Schema.Unknown,
    failure: options.failure ?? Schema.Unknown,
    handler: options.handler,
    args: options.parameters === undefined ? codec.emptyCodec() : codec.schemaCodec(options.parameters)
  }) as Tool<
    Name,
    Schema.Schema.Type<Parameters>,
    Schema.Schema.Type<Success>,
    Schema.Schema.Type<Failure>,
    R
  >

/**
 * What `Tool.fromJsonSchema` takes.
 *
 * @example
 * ```ts
 * import type { Tool } from "@effect-chat/core"
 *
 * const options: Tool.JsonSchemaOptions<never> = {
 *   description: "Read a file",
 *   jsonSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] }
 * }
 * ```
 *
 * @since 0.1.0
 */
export interface JsonSchemaOptions<R> {
  readonly description: string
  readonly jsonSchema: Readonly<Record<string, unknown>>
  readonly handler?: (args: Record<string, unknown>) => Effect.Effect<unknown, unknown, R>
}

/**
 * Makes a tool known only at runtime (an MCP server's tool, an OpenAI tool dict) from
 * its JSON Schema. Arguments are validated against the JSON Schema when decoded (the
 * common subset: `type`, `properties`, `required`, `additionalProperties`, `items`,
 * `enum`, `const`, `anyOf`/`oneOf`/`allOf`, numeric and length bounds, `pattern`,
 * nullable types, local `$ref`s) and stay plain JSON.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 * import { Effect } from "effect"
 *
 * const readFile = Tool.fromJsonSchema("read_file", {
 *   description: "Read a file",
 *   jsonSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
 *   handler: (args) => Effect.succeed(`contents of ${String(args.path)}`)
 * })
 * ```
 *
 * @since 0.1.0
 */
export const fromJsonSchema = <const Name extends string, R = never>(
  name: Name,
  options: JsonSchemaOptions<R>
): Tool<Name, Record<string, unknown>, unknown, unknown, R> =>
  build({
    name,
    description: options.description,
    parameters: undefined,
    success: Schema.Unknown,
    failure: Schema.Unknown,
    handler: options.handler,
    args: codec.jsonSchemaCodec(options.jsonSchema)
  }) as Tool<Name, Record<string, unknown>, unknown, unknown, R>

/**
 * The symbol a bound model sets (non-enumerable, `true`) on an AI message whose
 * tool-call args are already decoded Schema values; `Tool.run` then uses them as they
 * are. Set it with `Tool.markDecoded`.
 *
 * @example
 * ```ts
 * import { Message, Tool } from "@effect-chat/core"
 *
 * const marked = Tool.markDecoded(Message.ai("hi"))
 * console.log(Object.getOwnPropertyDescriptor(marked, Tool.DecodedArgs)?.value) // true
 * ```
 *
 * @since 0.1.0
 */
export const DecodedArgs: typeof decoded.DecodedArgs = decoded.DecodedArgs

/**
 * The same symbol as `DecodedArgs`.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 *
 * console.log(Tool.decodedArgs === Tool.DecodedArgs) // true
 * ```
 *
 * @since 0.1.0
 */
export const decodedArgs: typeof decoded.DecodedArgs = decoded.DecodedArgs

/**
 * Returns a copy of an AI message marked as carrying decoded tool-call args (for bound
 * models: `Tool.run` will not decode them again).
 *
 * @example
 * ```ts
 * import { Message, Tool } from "@effect-chat/core"
 *
 * const message = Tool.markDecoded(Message.ai({ content: "", toolCalls: [{ id: "c1", name: "now", args: {} }] }))
 * Tool.isDecoded(message) // true
 * ```
 *
 * @since 0.1.0
 */
export const markDecoded: <M extends AIMessage>(message: M) => M = decoded.markDecoded

/**
 * Tells whether an AI message carries decoded tool-call args (see `markDecoded`).
 *
 * @example
 * ```ts
 * import { Message, Tool } from "@effect-chat/core"
 *
 * Tool.isDecoded(Message.ai("hi")) // false
 * ```
 *
 * @since 0.1.0
 */
export const isDecoded: (message: AIMessage) => boolean = decoded.isDecoded

/**
 * Runs the tool calls of an AI message: one tool message per call, matched by
 * `toolCallId`, in the order of the calls, then one error message per invalid tool call
 * (with an id). Calls run concurrently (at most `concurrency`, default 8). Args are
 * decoded by the tool unless the message is marked decoded (a bound model's message):
 * they are never decoded twice. Results that are strings are the content as they are;
 * others are encoded by the tool's `success` Schema and written as JSON; the raw result
 * is the message's `artifact`. With `failureMode: "return"` (the default) an unknown
 * tool, invalid args, an invalid call, a tool without handler or a handler failure
 * becomes a `status: "error"` message whose text tells the model what went wrong; with
 * `"fail"` the effect fails with a `ToolError`. Defects and interruptions propagate.
 *
 * @example
 * ```ts
 * import { Message, Tool } from "@effect-chat/core"
 * import { Effect, Schema } from "effect"
 *
 * const add = Tool.make("add", {
 *   description: "Add two numbers",
 *   parameters: Schema.Struct({ a: Schema.Number, b: Schema.Number }),
 *   handler: ({ a, b }) => Effect.succeed(a + b)
 * })
 * const answer = Message.ai({ content: "", toolCalls: [{ id: "c1", name: "add", args: { a: 1, b: 2 } }] })
 *
 * const program = Effect.gen(function* () {
 *   const [result] = yield* Tool.run(answer, [add])
 *   console.log(result?.content) // "3"
 * })
 * // or data-last: pipe(answer, Tool.run([add], { concurrency: 4 }))
 * ```
 *
 * @since 0.1.0
 */
export const run: {
  <const Tools extends ReadonlyArray<Any>>(
    tools: Tools,
    options?: RunOptions
  ): (message: AIMessage) => Effect.Effect<ReadonlyArray<ToolMessage>, ToolError, Requirements<Tools[number]>>
  <const Tools extends ReadonlyArray<Any>>(
    message: AIMessage,
    tools: Tools,
    options?: RunOptions
  ): Effect.Effect<ReadonlyArray<ToolMessage>, ToolError, Requirements<Tools[number]>>
} = dual(
  (args) => Predicate.hasProperty(args[0], "_tag") && args[0]._tag === "AIMessage",
  (message: AIMessage, tools: ReadonlyArray<Any>, options?: RunOptions) =>
    runner.run(message, tools, options) as Effect.Effect<ReadonlyArray<ToolMessage>, ToolError, never>
)

/**
 * OpenAI's strict mode (Structured Outputs, strict function calling) as a codec. The
 * rewrite: every property required, optional ones nullable (the model's `null` is
 * "absent"), `additionalProperties: false` everywhere, records as arrays of
 * `{ key, value }` entries, tuples as arrays (one element schema) or objects with keys
 * `"0"`, `"1"`, … (`prefixItems` is rejected by OpenAI), unions as `anyOf`, recursion
 * through `$defs` (never a top-level `$ref`), a non-object root wrapped as `{ value }`,
 * values without a JSON type (`Schema.Unknown`) as JSON text, descriptions kept.
 * Constraint keywords (`minLength`, `pattern`, `minimum`, …) are dropped from the JSON
 * Schema and noted in descriptions, unless `keepConstraints: true` keeps the ones OpenAI
 * documents; decoding enforces all of them. Build it once, not per call.
 *
 * @example
 * ```ts
 * import { Tool } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const Person = Schema.Struct({
 *   name: Schema.String.pipe(Schema.minLength(1)),
 *   nickname: Schema.optional(Schema.String)
 * })
 * const codec = Tool.openAiStrict(Person)
 * // codec.jsonSchema.required: ["name", "nickname"]; nickname: { type: ["string", "null"] }
 * const person = codec.decode({ name: "Ada", nickname: null }) // Either.right({ name: "Ada" })
 * ```
 *
 * @since 0.1.0
 */
export const openAiStrict: <A, I>(
  schema: Schema.Schema<A, I>,
  options?: { readonly keepConstraints?: boolean }
) => StrictCodec<A> = codec.openAiStrict
