/**
 * How a fake streams a finished answer: the ways of cutting it into chunk fields
 * (character by character, or word by word with array blocks and tool-call deltas), the
 * decoration of the first and last chunks, and their emission with optional latency
 * between chunks.
 *
 * @internal
 */

import { Message } from "@effect-chat/core"
import * as Chunk from "effect/Chunk"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/** How a fake cuts a finished answer into chunk fields (before the last is decorated). */
export type Splitter = (message: Message.AIMessage) => Array<Message.ChunkFields>

/** A copy of `T` whose fields can be set. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] }

const argsPieceLength = 5

/** One chunk per character (code point) of the text. */
export const splitCharacters: Splitter = (message) =>
  Array.from(Message.text(message), (character): Message.ChunkFields => ({ content: character }))

/** Tool calls as deltas: `{ index, id, name, args: "" }`, then the args JSON a few characters at a time. */
const toolCallDeltas = (message: Message.AIMessage): Array<Message.ChunkFields> => {
  const deltas: Array<Message.ChunkFields> = []
  message.toolCalls.forEach((call, index) => {
    deltas.push({ content: "", toolCallChunks: [{ index, id: call.id, name: call.name, args: "" }] })
    const args = JSON.stringify(call.args)
    for (let at = 0; at < args.length; at += argsPieceLength) {
      deltas.push({ content: "", toolCallChunks: [{ index, args: args.slice(at, at + argsPieceLength) }] })
    }
  })
  return deltas
}

/**
 * String content split on whitespace keeping the whitespace (`"a b"` → `"a"`, `" "`,
 * `"b"`), array content block by block (each with its `index`), then the tool calls.
 */
export const splitWords: Splitter = (message) => {
  const content = message.content
  const pieces: Array<Message.ChunkFields> =
    typeof content === "string"
      ? content
          .split(/(\s)/)
          .filter((piece) => piece !== "")
          .map((piece) => ({ content: piece }))
      : content.map((block) => ({ content: [block] }))
  return [...pieces, ...toolCallDeltas(message)]
}

/**
 * The chunks of a finished answer, each with the message's id when it has one: the first
 * carries its name, extra fields and invalid tool calls; the last (when `complete`) its
 * usage and metadata, marked `last`.
 */
export const chunksOf = (
  message: Message.AIMessage,
  split: Splitter,
  complete: boolean
): Array<Message.AIMessageChunk> => {
  const pieces: Array<Writable<Message.ChunkFields>> = split(message).map((piece) => ({ ...piece }))
  if (pieces.length === 0) pieces.push({ content: message.content })
  const first = pieces[0]!
  if (message.name !== undefined) first.name = message.name
  if (message.additionalKwargs !== undefined) first.additionalKwargs = message.additionalKwargs
  if (message.invalidToolCalls.length > 0) first.invalidToolCalls = message.invalidToolCalls
  if (complete) {
    const last = pieces[pieces.length - 1]!
    last.responseMetadata = message.responseMetadata
    last.last = true
    if (message.usageMetadata !== undefined) last.usageMetadata = message.usageMetadata
  }
  return pieces.map((piece) => Message.chunk(message.id === undefined ? piece : { ...piece, id: message.id }))
}

/** The chunks as a stream: all in one Stream chunk, or one by one with `chunkLatency` between them. */
export const emit = (
  chunks: ReadonlyArray<Message.AIMessageChunk>,
  chunkLatency: Duration.DurationInput | undefined
): Stream.Stream<Message.AIMessageChunk> => {
  if (chunks.length === 0) return Stream.empty
  if (chunkLatency === undefined) return Stream.fromChunk(Chunk.unsafeFromArray(chunks))
  return Stream.fromIterable(chunks.entries()).pipe(
    Stream.mapEffect(([at, chunk]) =>
      at === 0 ? Effect.succeed(chunk) : Effect.as(Effect.sleep(chunkLatency), chunk)
    )
  )
}
