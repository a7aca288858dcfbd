/**
 * The schemas of the tool calls an answer carries: complete calls, calls whose arguments
 * could not be parsed, and the pieces of streamed calls (re-exported by the `Message`
 * module).
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import { optional } from "./content.js"

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
