/**
 * The message schemas and classes (re-exported by the `Message` module), and the fast
 * constructors used on hot paths.
 *
 * A Schema class constructor costs about 4 µs even with validation disabled (it merges
 * defaults through the field ASTs on every call); `make*` below build the same instances
 * (same prototype, same own fields, defaults included) in a few nanoseconds. They are
 * for statically typed input only: untyped input is decoded at the boundary.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })
const noEntries: ReadonlyArray<never> = Object.freeze([])
const emptyArray = <S extends Schema.Schema.Any>(item: S) =>
  Schema.optionalWith(Schema.Array(item), { default: () => noEntries })

/**
 * A block of text in a message's content.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 * import { Schema } from "effect"
 *
 * const question = Message.human([{ type: "text", text: "What is Effect?" }])
 * Schema.is(Message.TextBlock)({ type: "text", text: "hi" }) // true
 * ```
 *
 * @since 0.1.0
 */
export const TextBlock = Schema.Struct({
  type: Schema.Literal("text"),
  text: Schema.String,
  index: optional(Schema.Number)
})
/**
 * An image in a message's content, by `url` or as base64 `data` (one of the two is
 * required).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const question = Message.human([
 *   { type: "text", text: "What is in this picture?" },
 *   { type: "image", url: "https://example.com/cat.png" },
 *   { type: "image", data: "iVBORw0KGgo...", mimeType: "image/png" }
 * ])
 * ```
 *
 * @since 0.1.0
 */
export const ImageBlock = Schema.Struct({
  type: Schema.Literal("image"),
  url: optional(Schema.String),
  data: optional(Schema.String),
  mimeType: optional(Schema.String),
  index: optional(Schema.Number)
}).pipe(
  Schema.filter(
    (block) => block.url !== undefined || block.data !== undefined || "an image needs a url or data"
  )
)
/**
 * Audio in a message's content: base64 `data` and its MIME type.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const question = Message.human([
 *   { type: "text", text: "Transcribe this recording." },
 *   { type: "audio", data: "UklGRiQAAABXQVZF...", mimeType: "audio/wav" }
 * ])
 * ```
 *
 * @since 0.1.0
 */
export const AudioBlock = Schema.Struct({
  type: Schema.Literal("audio"),
  data: Schema.String,
  mimeType: Schema.String,
  index: optional(Schema.Number)
})
/**
 * A file (a PDF, for instance) in a message's content, by `url` or as base64 `data`
 * (one of the two is required), with its MIME type.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const question = Message.human([
 *   { type: "text", text: "Summarize this report." },
 *   { type: "file", data: "JVBERi0xLjcK...", mimeType: "application/pdf", filename: "report.pdf" }
 * ])
 * ```
 *
 * @since 0.1.0
 */
export const FileBlock = Schema.Struct({
  type: Schema.Literal("file"),
  url: optional(Schema.String),
  data: optional(Schema.String),
  mimeType: Schema.String,
  filename: optional(Schema.String),
  index: optional(Schema.Number)
}).pipe(
  Schema.filter(
    (block) => block.url !== undefined || block.data !== undefined || "a file needs a url or data"
  )
)
/**
 * The model's reasoning (or a summary of it) in an answer's content; `signature` and
 * `encrypted` hold what the provider needs to receive it back on a later turn.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const answer = Message.ai([
 *   { type: "reasoning", reasoning: "The user wants a sum: 2 + 2 = 4." },
 *   { type: "text", text: "4" }
 * ])
 * Message.text(answer) // "4"
 * ```
 *
 * @since 0.1.0
 */
export const ReasoningBlock = Schema.Struct({
  type: Schema.Literal("reasoning"),
  reasoning: Schema.String,
  signature: optional(Schema.String),
  encrypted: optional(Schema.String),
  index: optional(Schema.Number)
})

/**
 * One block of a message's content. `index` is set by providers on streamed blocks so
 * that chunks of the same block merge.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const blocks: ReadonlyArray<Message.ContentBlock> = [
 *   { type: "text", text: "What is in this picture?" },
 *   { type: "image", url: "https://example.com/cat.png" }
 * ]
 * ```
 *
 * @since 0.1.0
 */
export const ContentBlock = Schema.Union(TextBlock, ImageBlock, AudioBlock, FileBlock, ReasoningBlock)
/**
 * The type of a content block: a union discriminated by `type`.
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const describe = (block: Message.ContentBlock): string => (block.type === "text" ? block.text : `[${block.type}]`)
 * ```
 *
 * @since 0.1.0
 */
export type ContentBlock = typeof ContentBlock.Type

/**
 * A message's content: a string, or a list of content blocks.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const content: Message.Content = [{ type: "text", text: "hi" }]
 * ```
 *
 * @since 0.1.0
 */
export const Content = Schema.Union(Schema.String, Schema.Array(ContentBlock))
/**
 * The type of a message's content: a string, or a list of content blocks.
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const blocks = (content: Message.Content): ReadonlyArray<Message.ContentBlock> =>
 *   typeof content === "string" ? [{ type: "text", text: content }] : content
 * ```
 *
 * @since 0.1.0
 */
export type Content = typeof Content.Type

/**
 * A complete tool call requested by the model; `args` is the parsed JSON object.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const call: Message.ToolCall = { id: "call_1", name: "weather", args: { city: "Paris" } }
 * ```
 *
 * @since 0.1.0
 */
export const ToolCall = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  args: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})
/**
 * The type of a complete tool call: its `id`, the tool's `name` and the parsed `args`.
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const describe = (call: Message.ToolCall): string => `${call.name}(${JSON.stringify(call.args)})`
 * ```
 *
 * @since 0.1.0
 */
export type ToolCall = typeof ToolCall.Type

/**
 * A tool call whose arguments could not be parsed or decoded, with the reason.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const invalid: Message.InvalidToolCall = { id: "call_1", name: "weather", args: "{oops", error: "not JSON" }
 * ```
 *
 * @since 0.1.0
 */
export const InvalidToolCall = Schema.Struct({
  id: optional(Schema.String),
  name: optional(Schema.String),
  args: optional(Schema.String),
  error: Schema.String
})
/**
 * The type of an invalid tool call: what arrived (`id`, `name`, the raw `args` text) and
 * the `error`.
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const problems = (answer: Message.AIMessage): ReadonlyArray<string> =>
 *   answer.invalidToolCalls.map((call: Message.InvalidToolCall) => `${call.name ?? "?"}: ${call.error}`)
 * ```
 *
 * @since 0.1.0
 */
export type InvalidToolCall = typeof InvalidToolCall.Type

/**
 * A piece of a streamed tool call: `args` is a fragment of the JSON text; pieces with the
 * same `index` belong to the same call.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const piece: Message.ToolCallChunk = { index: 0, args: "{\"ci" }
 * ```
 *
 * @since 0.1.0
 */
export const ToolCallChunk = Schema.Struct({
  id: optional(Schema.String),
  name: optional(Schema.String),
  args: optional(Schema.String),
  index: optional(Schema.Number)
})
/**
 * The type of a piece of a streamed tool call.
 *
 * @example
 * ```ts
 * import type { Message } from "@effect-chat/core"
 *
 * const argsText = (pieces: ReadonlyArray<Message.ToolCallChunk>): string =>
 *   pieces.map((piece) => piece.args ?? "").join("")
 * ```
 *
 * @since 0.1.0
 */
export type ToolCallChunk = typeof ToolCallChunk.Type

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

/**
 * The hot path of every stream (one call per chunk): the defaults are set first, so the
 * fields keep the order `{ _tag, toolCallChunks, invalidToolCalls, responseMetadata, ...fields }`
 * would give them, without building that intermediate object (three times faster).
 *
 * @internal
 */
export const makeChunkUnchecked = (fields: ChunkInit): AIMessageChunk => {
  const chunk: Mutable<AIMessageChunk> = Object.create(AIMessageChunk.prototype)
  chunk._tag = "AIMessageChunk"
  chunk.toolCallChunks = noEntries
  chunk.invalidToolCalls = noEntries
  chunk.responseMetadata = fields.responseMetadata ?? {}
  return Object.assign(chunk, fields)
}

/** @internal */
export const copy = <M extends Message>(message: M, patch: Partial<Mutable<M>>): M =>
  Object.assign(Object.create(Object.getPrototypeOf(message)), message, patch)

/** @internal */
export const emptyList: ReadonlyArray<never> = noEntries
