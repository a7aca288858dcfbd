/**
 * The schemas of a message's content: text, image, audio, file and reasoning blocks
 * (re-exported by the `Message` module).
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * An optional field that is absent rather than `undefined` (the message schemas' optional
 * fields).
 *
 * @internal
 */
export const optional = <S extends Schema.Schema.All>(schema: S): Schema.optionalWith<S, { exact: true }> =>
  Schema.optionalWith(schema, { exact: true })

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
