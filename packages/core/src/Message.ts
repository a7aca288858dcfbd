/**
 * Chat messages: the five message classes, their content blocks, constructors, and the
 * functions that merge streamed chunks (LangChain's message vocabulary, as Schema
 * classes that encode to JSON and decode back).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const history = [Message.system("Answer briefly."), Message.human("What is Effect?")]
 * const merged = Message.concat(Message.chunk({ content: "Hel" }), Message.chunk({ content: "lo" }))
 * console.log(Message.text(merged)) // "Hello"
 * ```
 *
 * @since 0.1.0
 */
import type * as Either from "effect/Either"
import type { InvalidInputError } from "./ChatError.js"
import * as input from "./internal/input.js"
import * as merge from "./internal/merge.js"
import type { PromptValue } from "./PromptValue.js"

export {
  /** @since 0.1.0 */
  AudioBlock,
  /** @since 0.1.0 */
  Content,
  /** @since 0.1.0 */
  ContentBlock,
  /** @since 0.1.0 */
  FileBlock,
  /** @since 0.1.0 */
  ImageBlock,
  /** @since 0.1.0 */
  ReasoningBlock,
  /** @since 0.1.0 */
  TextBlock
} from "./internal/content.js"
export type {
  /** @since 0.1.0 */
  AIFields,
  /** @since 0.1.0 */
  ChunkFields,
  /** @since 0.1.0 */
  Fields,
  /** @since 0.1.0 */
  ToolFields
} from "./internal/schema.js"
export {
  /** @since 0.1.0 */
  AIMessage,
  /** @since 0.1.0 */
  AIMessageChunk,
  /** @since 0.1.0 */
  FinishReason,
  /** @since 0.1.0 */
  HumanMessage,
  /** @since 0.1.0 */
  Message,
  /** @since 0.1.0 */
  ResponseMetadata,
  /** @since 0.1.0 */
  SystemMessage,
  /** @since 0.1.0 */
  ToolMessage,
  /** @since 0.1.0 */
  UsageMetadata
} from "./internal/schema.js"
export {
  /** @since 0.1.0 */
  InvalidToolCall,
  /** @since 0.1.0 */
  ToolCall,
  /** @since 0.1.0 */
  ToolCallChunk
} from "./internal/toolCalls.js"

import type { Content } from "./internal/content.js"
import {
  type AIFields,
  AIMessage,
  AIMessageChunk,
  type ChunkFields,
  type Fields,
  HumanMessage,
  type Message,
  makeAI,
  makeHuman,
  makeSystem,
  makeTool,
  SystemMessage,
  type ToolFields,
  ToolMessage
} from "./internal/schema.js"

const isContent = (value: unknown): value is Content => typeof value === "string" || Array.isArray(value)

/**
 * A user message from its content or its fields.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * Message.human("What is 2 + 2?")
 * Message.human({ content: "hi", name: "ada" })
 * ```
 *
 * @since 0.1.0
 */
export const human = (content: Content | Fields): HumanMessage =>
  makeHuman(isContent(content) ? { content } : content)

/**
 * A system message from its content or its fields.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * Message.system("You are a terse assistant.")
 * ```
 *
 * @since 0.1.0
 */
export const system = (content: Content | Fields): SystemMessage =>
  makeSystem(isContent(content) ? { content } : content)

/**
 * A model answer from its content or its fields.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * Message.ai("4")
 * Message.ai({ content: "", toolCalls: [{ id: "c1", name: "add", args: { a: 2, b: 2 } }] })
 * ```
 *
 * @since 0.1.0
 */
export const ai = (content: Content | AIFields): AIMessage =>
  makeAI(isContent(content) ? { content } : content)

/**
 * A tool result (status `"success"` unless given).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * Message.tool({ toolCallId: "c1", content: "4" })
 * ```
 *
 * @since 0.1.0
 */
export const tool = (fields: ToolFields): ToolMessage => makeTool(fields)

/**
 * A streamed piece of an answer (string tool-call indexes become numbers).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * Message.chunk({ content: "Hel" })
 * Message.chunk({ content: "", toolCallChunks: [{ index: "0", name: "add", args: "{\"a\":" }] })
 * ```
 *
 * @since 0.1.0
 */
export const chunk = (fields: ChunkFields): AIMessageChunk => merge.makeChunk(fields)

/**
 * The text of a message: its string content, or its text blocks joined.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * Message.text(Message.ai([{ type: "text", text: "a" }, { type: "text", text: "b" }])) // "ab"
 * ```
 *
 * @since 0.1.0
 */
export const text = (message: { readonly content: Content }): string => merge.contentText(message.content)

/**
 * Merges two chunks as LangChain does: text appended, blocks merged by index, tool-call
 * chunks merged by index (args strings appended), usage added, metadata merged, first id
 * kept. Associative, with `Message.chunk({ content: "" })` as identity.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const merged = Message.concat(
 *   Message.chunk({ content: "", toolCallChunks: [{ index: 0, id: "c1", name: "add", args: "{\"a\":" }] }),
 *   Message.chunk({ content: "", toolCallChunks: [{ index: 0, args: "1}" }] })
 * )
 * ```
 *
 * @since 0.1.0
 */
export const concat = (self: AIMessageChunk, that: AIMessageChunk): AIMessageChunk => merge.concat(self, that)

/**
 * Finishes a merged chunk into an `AIMessage`: tool-call args parsed as JSON (empty args
 * are `{}`), failures moved to `invalidToolCalls` with the parse error.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const message = Message.toMessage(
 *   Message.chunk({ content: "", toolCallChunks: [{ index: 0, id: "c1", name: "add", args: "{\"a\":1}" }] })
 * )
 * message.toolCalls // [{ id: "c1", name: "add", args: { a: 1 } }]
 * ```
 *
 * @since 0.1.0
 */
export const toMessage = (chunk: AIMessageChunk): AIMessage => merge.toMessage(chunk)

/**
 * A tool call seen so far while streaming: `args` holds the arguments parsed from the
 * partial JSON received (repaired: open strings, arrays and objects closed), `complete`
 * whether the arguments are already a whole JSON object.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const soFar = Message.chunk({
 *   content: "",
 *   toolCallChunks: [{ index: 0, id: "c1", name: "weather", args: "{\"city\": \"Par" }]
 * })
 * const calls: ReadonlyArray<Message.PartialToolCall> = Message.partialToolCalls(soFar)
 * for (const call of calls) if (!call.complete) console.log(`${call.name} so far:`, call.args) // { city: "Par" }
 * ```
 *
 * @since 0.1.0
 */
export interface PartialToolCall {
  readonly id?: string
  readonly name?: string
  readonly index?: number
  readonly args: Readonly<Record<string, unknown>>
  readonly complete: boolean
}

/**
 * Parses the tool calls of a merged chunk so far, repairing partial JSON, on demand
 * (never inside `concat`, which stays cheap). Calls whose arguments are not yet an
 * object get `{}`.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const merged = Message.chunk({
 *   content: "",
 *   toolCallChunks: [{ index: 0, id: "c1", name: "weather", args: "{\"city\": \"Par" }]
 * })
 * Message.partialToolCalls(merged) // [{ id: "c1", name: "weather", index: 0, args: { city: "Par" }, complete: false }]
 * ```
 *
 * @since 0.1.0
 */
export const partialToolCalls = (chunk: AIMessageChunk): ReadonlyArray<PartialToolCall> =>
  merge.partialToolCalls(chunk)

/**
 * Turns a finished message into a single chunk (marked `last`).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const piece = Message.toChunk(Message.ai("hello"))
 * ```
 *
 * @since 0.1.0
 */
export const toChunk = (message: AIMessage): AIMessageChunk => merge.toChunk(message)

/**
 * Anything accepted as one message: a message, a `[role, content]` pair, an
 * OpenAI-style `{ role, content, tool_calls?, tool_call_id? }` object, or a string (a
 * human message).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * const history: ReadonlyArray<Message.MessageLike> = [
 *   Message.system("Answer briefly."),
 *   ["user", "What is 2 + 2?"],
 *   { role: "assistant", content: "4" },
 *   "And 3 + 3?"
 * ]
 * ```
 *
 * @since 0.1.0
 */
export type MessageLike =
  | Message
  | string
  | readonly [role: string, content: Content]
  | { readonly role: string; readonly content?: Content | null; readonly [key: string]: unknown }

/**
 * What a model accepts: a string, a `PromptValue`, or a list of message-like values.
 *
 * @example
 * ```ts
 * import { ChatModel, type Message, PromptValue } from "@effect-chat/core"
 *
 * const inputs: ReadonlyArray<Message.ChatInput> = [
 *   "Hello!",
 *   PromptValue.fromString("Hello!"),
 *   [
 *     ["system", "Answer in French."],
 *     ["user", "Hello!"]
 *   ]
 * ]
 * const replies = ChatModel.batch(inputs)
 * ```
 *
 * @since 0.1.0
 */
export type ChatInput = string | PromptValue | ReadonlyArray<MessageLike>

/**
 * Coerces any chat input into messages, validating what is not statically typed.
 * Roles: `system`, `developer`, `human`/`user`, `ai`/`assistant`, `tool`.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 * import { Either } from "effect"
 *
 * const result = Message.fromInput([["system", "Be brief."], { role: "user", content: "hi" }])
 * if (Either.isRight(result)) console.log(result.right.length) // 2
 * ```
 *
 * @since 0.1.0
 */
export const fromInput = (value: ChatInput): Either.Either<ReadonlyArray<Message>, InvalidInputError> =>
  input.fromInput(value)

/**
 * Tells whether a value is one of the message classes.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 *
 * Message.isMessage(Message.human("hi")) // true
 * ```
 *
 * @since 0.1.0
 */
export const isMessage = (value: unknown): value is Message =>
  value instanceof HumanMessage ||
  value instanceof SystemMessage ||
  value instanceof AIMessage ||
  value instanceof ToolMessage ||
  value instanceof AIMessageChunk
