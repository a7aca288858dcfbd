/**
 * Stop sequences enforced on the client as well, so every provider (and every fake)
 * honours them even where the server ignores `stop`: the text is cut before the first
 * stop sequence. In streams, only the tail that could still be the start of a stop
 * sequence is held back; nothing is held back when there are no stop sequences.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Stream from "effect/Stream"
import type { ContentBlock } from "./content.js"
import { contentText } from "./merge.js"
import type { AIMessage, AIMessageChunk } from "./schema.js"
import { copy, makeChunkUnchecked } from "./schema.js"

const firstStop = (text: string, stop: ReadonlyArray<string>): number => {
  let cut = -1
  for (const sequence of stop) {
    if (sequence === "") continue
    const at = text.indexOf(sequence)
    if (at !== -1 && (cut === -1 || at < cut)) cut = at
  }
  return cut
}

const stopMetadata = (metadata: AIMessage["responseMetadata"]) => ({
  ...metadata,
  finishReason: "stop" as const,
  rawFinishReason: metadata.rawFinishReason ?? "stop_sequence"
})

/**
 * Cuts block content where the text (the text blocks joined) reaches its first stop
 * sequence: the straddling text block is shortened, the blocks after it dropped.
 */
const cutBlocks = (blocks: ReadonlyArray<ContentBlock>, cut: number): Array<ContentBlock> => {
  const kept: Array<ContentBlock> = []
  let seen = 0
  for (const block of blocks) {
    if (block.type !== "text") {
      kept.push(block)
      continue
    }
    if (seen + block.text.length <= cut) {
      kept.push(block)
      seen += block.text.length
      continue
    }
    if (cut > seen) kept.push({ ...block, text: block.text.slice(0, cut - seen) })
    break
  }
  return kept
}

/** Cuts a finished message at its first stop sequence. */
export const truncateMessage = (message: AIMessage, stop: ReadonlyArray<string> | undefined): AIMessage => {
  if (stop === undefined || stop.length === 0) return message
  const content = message.content
  const cut = firstStop(typeof content === "string" ? content : contentText(content), stop)
  if (cut === -1) return message
  return copy(message, {
    content: typeof content === "string" ? content.slice(0, cut) : cutBlocks(content, cut),
    responseMetadata: stopMetadata(message.responseMetadata)
  })
}

/** Longest suffix of `text` that is a proper prefix of some stop sequence. */
const heldBackLength = (text: string, stop: ReadonlyArray<string>): number => {
  let longest = 0
  for (const sequence of stop) {
    const max = Math.min(sequence.length - 1, text.length)
    for (let length = max; length > longest; length--) {
      if (text.endsWith(sequence.slice(0, length))) {
        longest = length
        break
      }
    }
  }
  return longest
}

/**
 * Cuts a stream at its first stop sequence: text that could still begin a stop sequence
 * is held back until the next chunk decides; the chunk that reaches a stop sequence is
 * the last one taken, and the provider's stream is closed after it (a server that
 * ignores `stop` would otherwise go on generating tokens nobody sees).
 */
export const truncateStream = <E, R>(
  stream: Stream.Stream<AIMessageChunk, E, R>,
  stop: ReadonlyArray<string> | undefined
): Stream.Stream<AIMessageChunk, E, R> => {
  const sequences = stop?.filter((sequence) => sequence !== "") ?? []
  if (sequences.length === 0) return stream
  const longest = Math.max(...sequences.map((sequence) => sequence.length))
  return Stream.suspend(() => {
    // state of one run of the stream
    let pending = ""
    let stopped = false
    let cutChunk: AIMessageChunk | undefined
    let lastId: string | undefined
    // block content: no hold-back (a block may not be split across chunks), so only the
    // text after a stop sequence is suppressed; `emitted` keeps the tail that a stop
    // sequence may start in
    let emitted = ""
    const stepBlocks = (chunk: AIMessageChunk, blocks: ReadonlyArray<ContentBlock>): AIMessageChunk => {
      if (stopped) return blocks.length === 0 ? chunk : copy(chunk, { content: [] })
      const kept: Array<ContentBlock> = []
      for (const block of blocks) {
        if (block.type !== "text") {
          kept.push(block)
          continue
        }
        const text = emitted + block.text
        const cut = firstStop(text, sequences)
        if (cut === -1) {
          kept.push(block)
          emitted = text.slice(Math.max(0, text.length - longest))
          continue
        }
        stopped = true
        const keep = cut - emitted.length
        if (keep > 0) kept.push({ ...block, text: block.text.slice(0, keep) })
        cutChunk = copy(chunk, { content: kept, responseMetadata: stopMetadata(chunk.responseMetadata) })
        return cutChunk
      }
      return kept.length === blocks.length ? chunk : copy(chunk, { content: kept })
    }
    const step = (chunk: AIMessageChunk): AIMessageChunk => {
      if (typeof chunk.content !== "string") return stepBlocks(chunk, chunk.content)
      if (stopped) return chunk.content === "" ? chunk : copy(chunk, { content: "" })
      lastId = chunk.id ?? lastId
      const text = pending + chunk.content
      const cut = firstStop(text, sequences)
      if (cut !== -1) {
        stopped = true
        pending = ""
        cutChunk = copy(chunk, {
          content: text.slice(0, cut),
          responseMetadata: stopMetadata(chunk.responseMetadata)
        })
        return cutChunk
      }
      const hold = chunk.last === true ? 0 : heldBackLength(text, sequences)
      pending = text.slice(text.length - hold)
      const emitted = text.slice(0, text.length - hold)
      return emitted === chunk.content ? chunk : copy(chunk, { content: emitted })
    }
    const flush = Stream.suspend(() =>
      pending === ""
        ? Stream.empty
        : Stream.make(
            makeChunkUnchecked(lastId === undefined ? { content: pending } : { content: pending, id: lastId })
          )
    )
    // once cut, the provider's stream is closed: the rest would only be dropped
    const cut = Stream.takeUntil(Stream.mapChunks(stream, Chunk.map(step)), (chunk) => chunk === cutChunk)
    return Stream.concat(cut, flush)
  })
}
