/**
 * The example of docs/messages.md: building messages, reading their text, merging
 * streamed chunks, coercing loose input, and the JSON round trip.
 *
 * Importing this module runs nothing; `program` is run by test/examples.test.ts.
 */
import { type ChatError, Message } from "@effect-chat/core"
import { Effect, Either, type ParseResult, Schema } from "effect"

// --- constructors -----------------------------------------------------------

/** A short conversation built with the constructors. */
export const conversation: ReadonlyArray<Message.Message> = [
  Message.system("You are a terse assistant."),
  Message.human({ content: "What is in this picture?", name: "ada" }),
  Message.ai({
    content: "",
    toolCalls: [{ id: "call_1", name: "describe_image", args: { detail: "low" } }]
  }),
  Message.tool({ toolCallId: "call_1", content: "a cat on a sofa" }),
  Message.ai("A cat on a sofa.")
]

// --- content blocks -----------------------------------------------------------

/** A human message with a text block and an image block. */
export const withImage: Message.HumanMessage = Message.human([
  { type: "text", text: "What is in " },
  { type: "text", text: "this picture?" },
  { type: "image", url: "https://example.com/cat.png", mimeType: "image/png" }
])

// --- merging streamed chunks ---------------------------------------------------

/** Chunks as a provider streams them: text in pieces, a tool call split across deltas, usage last. */
export const chunks: ReadonlyArray<Message.AIMessageChunk> = [
  Message.chunk({ content: "Let me " }),
  Message.chunk({ content: "check." }),
  Message.chunk({
    content: "",
    toolCallChunks: [{ index: 0, id: "call_2", name: "weather", args: '{"city":' }]
  }),
  Message.chunk({ content: "", toolCallChunks: [{ index: "0", args: '"Paris"}' }] }),
  Message.chunk({
    content: "",
    usageMetadata: { inputTokens: 12, outputTokens: 9, totalTokens: 21 },
    last: true
  })
]

// --- the JSON round trip ---------------------------------------------------------

/** A list of messages as a JSON string and back (every message class is a Schema class). */
const History = Schema.parseJson(Schema.Array(Message.Message))

/** What the example found out. */
export interface MessagesResult {
  /** `Message.text` of the image message: its text blocks joined. */
  readonly imageText: string
  /** The merged chunks finished into an `AIMessage`. */
  readonly merged: Message.AIMessage
  /** The conversation coerced from loose, OpenAI-style input. */
  readonly coerced: ReadonlyArray<Message.Message>
  /** The result for a message with an unknown role: an `InvalidInputError` on the left. */
  readonly badInput: Either.Either<ReadonlyArray<Message.Message>, ChatError.InvalidInputError>
  /** The conversation encoded to JSON. */
  readonly json: string
  /** The conversation decoded back from that JSON. */
  readonly decoded: ReadonlyArray<Message.Message>
}

/**
 * Runs every step of the messages guide and returns what each produced.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { program } from "./messages.js"
 *
 * Effect.runPromise(program).then((result) => console.log(result.merged.toolCalls))
 * ```
 */
export const program: Effect.Effect<MessagesResult, ChatError.InvalidInputError | ParseResult.ParseError> =
  Effect.gen(function* () {
    // `Message.text` joins the text blocks and ignores the rest.
    const imageText = Message.text(withImage) // "What is in this picture?"

    // `Message.concat` merges chunks (associative, an empty chunk is the identity);
    // `Message.toMessage` parses the tool-call args and gives an `AIMessage`.
    const merged = Message.toMessage(chunks.reduce(Message.concat, Message.chunk({ content: "" })))
    // merged.content === "Let me check."
    // merged.toolCalls  = [{ id: "call_2", name: "weather", args: { city: "Paris" } }]
    // merged.usageMetadata = { inputTokens: 12, outputTokens: 9, totalTokens: 21 }

    // `Message.fromInput` accepts what a model accepts and validates it.
    const coerced = yield* Message.fromInput([
      ["system", "Be brief."],
      { role: "user", content: "What is the weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_3", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }
        ]
      },
      { role: "tool", tool_call_id: "call_3", content: "18°C" },
      "And tomorrow?"
    ])

    // Bad input is a typed error in the `Either`, never a throw.
    const badInput = Message.fromInput([{ role: "robot", content: "beep" }])
    // Either.left(InvalidInputError { message: 'message 0: unknown role "robot": use system, developer, ...' })

    // Every message encodes to JSON and decodes back into the same classes.
    const json = yield* Schema.encode(History)(conversation)
    const decoded = yield* Schema.decode(History)(json)

    return { imageText, merged, coerced, badInput, json, decoded }
  })

/**
 * `Message.fromInput` returns an `Either`, usable without running an effect.
 *
 * @example
 * ```ts
 * import { isValidConversation } from "./messages.js"
 *
 * isValidConversation([["user", "hi"]]) // true
 * isValidConversation([]) // false: an empty conversation
 * ```
 */
export const isValidConversation = (input: Message.ChatInput): boolean =>
  Either.isRight(Message.fromInput(input))
