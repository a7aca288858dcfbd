/**
 * Small helpers shared by the ChatModel tests: plain provider results, chunk streams,
 * merging chunks the way a user would, and a logger that records what it is given.
 */
import { type ChatModel, Message } from "@effect-chat/core"
import * as Chunk from "effect/Chunk"
import * as Logger from "effect/Logger"
import * as Stream from "effect/Stream"

/** The text of the last message of a request. */
export const lastText = (request: ChatModel.ChatRequest): string => {
  const last = request.messages[request.messages.length - 1]
  return last === undefined ? "" : Message.text(last)
}

/** A provider result with one generation. */
export const result = (message: string | Message.AIFields): ChatModel.ChatResultInput => ({
  generations: [{ message: Message.ai(message) }]
})

/** A stream of chunks, one chunk per piece (all in one Stream chunk). */
export const chunks = (
  ...pieces: ReadonlyArray<string | Message.ChunkFields>
): Stream.Stream<Message.AIMessageChunk> =>
  Stream.fromIterable(
    pieces.map((piece) => Message.chunk(typeof piece === "string" ? { content: piece } : piece))
  )

/** Folds chunks with `Message.concat`, starting from the empty chunk. */
export const merge = (items: Iterable<Message.AIMessageChunk>): Message.AIMessageChunk => {
  let merged = Message.chunk({ content: "" })
  for (const item of items) merged = Message.concat(merged, item)
  return merged
}

/** The text of a list of chunks. */
export const textOf = (items: Iterable<Message.AIMessageChunk>): string =>
  Array.from(items, (item) => Message.text(item)).join("")

/** The elements of a collected chunk as an array. */
export const toArray = <A>(chunk: Chunk.Chunk<A>): Array<A> => Chunk.toArray(chunk)

/** A logger that records each message (as text) with its level. */
export const recordingLogger = () => {
  const entries: Array<{ readonly level: string; readonly message: string }> = []
  const logger = Logger.make(({ logLevel, message }) => {
    const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
    entries.push({ level: logLevel.label, message: text })
  })
  return { entries, layer: Logger.add(logger) }
}
