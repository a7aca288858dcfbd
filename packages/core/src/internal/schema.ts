/**
 * The message classes, the metadata of answers (usage, finish reason, response metadata),
 * the field types of the constructors (re-exported by the `Message` module), and the
 * fast constructors used on hot paths. Content blocks are in `content.ts`, tool calls in
 * `toolCalls.ts`.
 *
 * A Schema class constructor costs about 4 µs even with validation disabled (it merges
 * defaults through the field ASTs on every call); `make*` below build the same instances
 * (same prototype, same own fields, defaults included) in a few nanoseconds. They are
 * for statically typed input only: untyped input is decoded at the boundary.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import { Content, optional } from "./content.js"
import { InvalidToolCall, ToolCall, ToolCallChunk } from "./toolCalls.js"

const noEntries: ReadonlyArray<never> = Object.freeze([])
const emptyArray = <S extends Schema.Schema.Any>(item: S) =>
  Schema.optionalWith(Schema.Array(item), { default: () => noEntries })

/**
 * Token counts with LangChain's semantics: input includes cached tokens, output
 * includes reasoning tokens, total = input + output.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const usage: Message.UsageMetadata = { inputTokens: 10, outputTokens: 5, totalTokens: 15 }
 * ```
 *
 * @since 0.1.0
 */
export const UsageMetadata = Schema.Struct({
  inputTokens: Schema.Number,
  outputTokens: Schema.Number,
  totalTokens: Schema.Number,
  inputTokenDetails: optional(
    Schema.Struct({
      cacheRead: optional(Schema.Number),
      cacheCreation: optional(Schema.Number),
      audio: optional(Schema.Number)
    })
  ),
  outputTokenDetails: optional(
    Schema.Struct({ reasoning: optional(Schema.Number), audio: optional(Schema.Number) })
  )
})
/**
 * The type of token counts (input, output, total, and their details).
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const uncachedInput = (usage: Message.UsageMetadata): number =>
 *   usage.inputTokens - (usage.inputTokenDetails?.cacheRead ?? 0)
 * ```
 *
 * @since 0.1.0
 */
export type UsageMetadata = typeof UsageMetadata.Type

/**
 * Why the model stopped, unified across providers (`rawFinishReason` keeps the
 * provider's own value).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const reason: Message.FinishReason = "toolCalls"
 * ```
 *
 * @since 0.1.0
 */
export const FinishReason = Schema.Literal("stop", "length", "toolCalls", "contentFilter", "error", "other")
/**
 * The type of a unified finish reason.
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const truncated = (reason: Message.FinishReason | undefined): boolean => reason === "length"
 * ```
 *
 * @since 0.1.0
 */
export type FinishReason = typeof FinishReason.Type

/**
 * What the provider said about the response, plus provider extras.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const metadata: Message.ResponseMetadata = { modelName: "gpt-4.1-mini", finishReason: "stop" }
 * ```
 *
 * @since 0.1.0
 */
export const ResponseMetadata = Schema.Struct(
  {
    modelName: optional(Schema.String),
    finishReason: optional(FinishReason),
    rawFinishReason: optional(Schema.String),
    id: optional(Schema.String),
    logprobs: optional(Schema.Unknown)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)
/**
 * The type of response metadata: the known fields, plus any provider extras.
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const modelOf = (metadata: Message.ResponseMetadata): string => metadata.modelName ?? "unknown"
 * ```
 *
 * @since 0.1.0
 */
export type ResponseMetadata = typeof ResponseMetadata.Type

const common = {
  content: Content,
  id: optional(Schema.String),
  name: optional(Schema.String),
  additionalKwargs: optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
}

/**
 * A message from the user.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const message = new Message.HumanMessage({ content: "hi", name: "ada" })
 * ```
 *
 * @since 0.1.0
 */
export class HumanMessage extends Schema.TaggedClass<HumanMessage>("@effect-chat/core/HumanMessage")(
  "HumanMessage",
  common
) {}

/**
 * Instructions for the model (a `developer` role is kept in
 * `additionalKwargs.role`).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const message = new Message.SystemMessage({ content: "Answer in French." })
 * ```
 *
 * @since 0.1.0
 */
export class SystemMessage extends Schema.TaggedClass<SystemMessage>("@effect-chat/core/SystemMessage")(
  "SystemMessage",
  common
) {}

/**
 * A complete answer of the model.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const message = new Message.AIMessage({
 *   content: "",
 *   toolCalls: [{ id: "call_1", name: "weather", args: { city: "Paris" } }]
 * })
 * ```
 *
 * @since 0.1.0
 */
export class AIMessage extends Schema.TaggedClass<AIMessage>("@effect-chat/core/AIMessage")("AIMessage", {
  ...common,
  toolCalls: emptyArray(ToolCall),
  invalidToolCalls: emptyArray(InvalidToolCall),
  usageMetadata: optional(UsageMetadata),
  responseMetadata: Schema.optionalWith(ResponseMetadata, { default: () => ({}) })
}) {}

/**
 * The result of running a tool, sent back to the model.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const message = new Message.ToolMessage({ toolCallId: "call_1", content: "18°C" })
 * ```
 *
 * @since 0.1.0
 */
export class ToolMessage extends Schema.TaggedClass<ToolMessage>("@effect-chat/core/ToolMessage")(
  "ToolMessage",
  {
    ...common,
    toolCallId: Schema.String,
    status: Schema.optionalWith(Schema.Literal("success", "error"), { default: () => "success" as const }),
    artifact: optional(Schema.Unknown)
  }
) {}

/**
 * A piece of a streamed answer. Pieces merge with `Message.concat`; the last piece of a
 * stream has `last: true`.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const piece = new Message.AIMessageChunk({ content: "Hel" })
 * ```
 *
 * @since 0.1.0
 */
export class AIMessageChunk extends Schema.TaggedClass<AIMessageChunk>("@effect-chat/core/AIMessageChunk")(
  "AIMessageChunk",
  {
    ...common,
    toolCallChunks: emptyArray(ToolCallChunk),
    invalidToolCalls: emptyArray(InvalidToolCall),
    usageMetadata: optional(UsageMetadata),
    responseMetadata: Schema.optionalWith(ResponseMetadata, { default: () => ({}) }),
    last: optional(Schema.Boolean)
  }
) {}

/**
 * Any message, as a schema (decode JSON into the right class) and as a type.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const json = Schema.encodeSync(Message.Message)(Message.human("hi"))
 * const back = Schema.decodeUnknownSync(Message.Message)(json)
 * ```
 *
 * @since 0.1.0
 */
export const Message = Schema.Union(HumanMessage, SystemMessage, AIMessage, ToolMessage, AIMessageChunk)
/**
 * The type of any message: a union of the five message classes, discriminated by `_tag`.
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const fromModel = (message: Message.Message): boolean =>
 *   message._tag === "AIMessage" || message._tag === "AIMessageChunk"
 * ```
 *
 * @since 0.1.0
 */
export type Message = HumanMessage | SystemMessage | AIMessage | ToolMessage | AIMessageChunk

/**
 * Fields of a `HumanMessage` or `SystemMessage`.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const fields: Message.Fields = { content: "hi", name: "ada" }
 * const message = Message.human(fields)
 * ```
 *
 * @since 0.1.0
 */
export type Fields = ConstructorParameters<typeof HumanMessage>[0]
/**
 * Fields of an `AIMessage`.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const fields: Message.AIFields = {
 *   content: "",
 *   toolCalls: [{ id: "c1", name: "add", args: { a: 2, b: 2 } }],
 *   usageMetadata: { inputTokens: 12, outputTokens: 8, totalTokens: 20 }
 * }
 * const message = Message.ai(fields)
 * ```
 *
 * @since 0.1.0
 */
export type AIFields = ConstructorParameters<typeof AIMessage>[0]
/** Fields of an `AIMessageChunk` as its class takes them. @internal */
export type ChunkInit = ConstructorParameters<typeof AIMessageChunk>[0]
/**
 * Fields of a `ToolMessage`.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const fields: Message.ToolFields = { toolCallId: "c1", content: "division by zero", status: "error" }
 * const message = Message.tool(fields)
 * ```
 *
 * @since 0.1.0
 */
export type ToolFields = ConstructorParameters<typeof ToolMessage>[0]
/**
 * Fields of an `AIMessageChunk`; a tool-call chunk's `index` may arrive as a string and
 * is turned into a number.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const fields: Message.ChunkFields = {
 *   content: "",
 *   toolCallChunks: [{ index: "0", id: "c1", name: "add", args: "{\"a\":" }]
 * }
 * const piece = Message.chunk(fields) // toolCallChunks[0].index === 0
 * ```
 *
 * @since 0.1.0
 */
export type ChunkFields = Omit<ConstructorParameters<typeof AIMessageChunk>[0], "toolCallChunks"> & {
  readonly toolCallChunks?: ReadonlyArray<Omit<ToolCallChunk, "index"> & { readonly index?: number | string }>
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const instance = <C extends { readonly prototype: object }>(Class: C, fields: object): C["prototype"] =>
  Object.assign(Object.create(Class.prototype), fields)

/** @internal */
export const makeHuman = (fields: Fields): HumanMessage =>
  instance(HumanMessage, { _tag: "HumanMessage", ...fields })

/** @internal */
export const makeSystem = (fields: Fields): SystemMessage =>
  instance(SystemMessage, { _tag: "SystemMessage", ...fields })

/** @internal */
export const makeAI = (fields: AIFields): AIMessage =>
  instance(AIMessage, {
    _tag: "AIMessage",
    toolCalls: noEntries,
    invalidToolCalls: noEntries,
    responseMetadata: {},
    ...fields
  })

/** @internal */
export const makeTool = (fields: ToolFields): ToolMessage =>
  instance(ToolMessage, { _tag: "ToolMessage", status: "success", ...fields })

/** The metadata of a chunk that has none (shared: messages are immutable). */
const noMetadata: AIMessageChunk["responseMetadata"] = Object.freeze({})

/**
 * The shape every fast-made chunk starts with: a constructor function (not
 * `Object.create`), so V8 sizes the objects for their fields and they share one map.
 */
function ChunkShape(this: Mutable<AIMessageChunk>, content: AIMessageChunk["content"]) {
  this._tag = "AIMessageChunk"
  this.toolCallChunks = noEntries
  this.invalidToolCalls = noEntries
  this.responseMetadata = noMetadata
  this.content = content
}
ChunkShape.prototype = AIMessageChunk.prototype

/** The fields a chunk has a default for: left at the default when given as `undefined`. */
const defaulted: ReadonlySet<string> = new Set(["toolCallChunks", "invalidToolCalls", "responseMetadata"])

/**
 * The hot path of every stream (one call per chunk): an `AIMessageChunk` without the
 * Schema constructor's validation, its fields in the order
 * `{ _tag, toolCallChunks, invalidToolCalls, responseMetadata, content, ...fields }`.
 *
 * @internal
 */
export const makeChunkUnchecked = (fields: ChunkInit): AIMessageChunk => {
  const chunk: Mutable<AIMessageChunk> = Reflect.construct(ChunkShape, [fields.content])
  const target: Record<string, unknown> = chunk
  for (const key in fields) {
    if (key === "content") continue
    const value: unknown = fields[key as keyof ChunkInit]
    if (value === undefined && defaulted.has(key)) continue
    target[key] = value
  }
  return chunk
}

/** @internal */
export const copy = <M extends Message>(message: M, patch: Partial<Mutable<M>>): M =>
  Object.assign(Object.create(Object.getPrototypeOf(message)), message, patch)

/** @internal */
export const emptyList: ReadonlyArray<never> = noEntries
