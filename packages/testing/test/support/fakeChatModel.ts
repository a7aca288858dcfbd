/**
 * What the FakeChatModel specifications (FakeChatModel*.test.ts) share: collecting and
 * merging a stream's chunks, the scripted errors, and errors and stream outcomes as text.
 */
import { ChatError, Message } from "@effect-chat/core"
import { Chunk, Effect, Either, Stream } from "effect"

/** Runs a stream and gives its chunks. */
export const collect = (
  stream: Stream.Stream<Message.AIMessageChunk, ChatError.ChatError>
): Effect.Effect<ReadonlyArray<Message.AIMessageChunk>, ChatError.ChatError> =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

/** Merges chunks with `Message.concat` into the message they make. */
export const merge = (chunks: ReadonlyArray<Message.AIMessageChunk>): Message.AIMessage =>
  Message.toMessage(chunks.reduce(Message.concat, Message.chunk({ content: "" })))

/** The text of each chunk. */
export const texts = (chunks: ReadonlyArray<Message.AIMessageChunk>): ReadonlyArray<string> =>
  chunks.map(Message.text)

/** The errors the tests script: a rate limit and a dropped connection. */
export const rateLimit = new ChatError.RateLimitError({ message: "429: slow down" })
export const reset = new ChatError.TransportError({ message: "connection reset" })

/** An error as "tag: message" (Effect wraps an error failed inside a span, so its identity is not kept). */
export const summary = (error: ChatError.ChatError): string => `${error._tag}: ${error.message}`

/** A stream's elements and its error, each chunk as its text and the error as its summary. */
export const outcomes = (
  stream: Stream.Stream<Message.AIMessageChunk, ChatError.ChatError>
): Effect.Effect<ReadonlyArray<string>> =>
  Effect.map(
    Stream.runCollect(Stream.either(stream)),
    Chunk.map(Either.match({ onLeft: summary, onRight: Message.text }))
  ).pipe(Effect.map(Chunk.toReadonlyArray))
