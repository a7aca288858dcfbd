/**
 * Responses API stream events to `AIMessageChunk`s: one event gives at most one chunk,
 * read with structural checks (no Schema decode per event), whole Stream chunks at a
 * time. Merged with `Message.concat` and finished with `Message.toMessage`, the chunks
 * give the same message as the non-streaming call (same block indexes, item ids, tool
 * calls, usage and metadata).
 *
 * - `response.output_text.delta`: a text block at the part's block index;
 * - `response.refusal.delta`: `additionalKwargs.refusal`;
 * - `response.output_item.added` (`function_call`): a tool-call piece with the call id
 *   and name at `index` = `output_index`; `response.function_call_arguments.delta`:
 *   the arguments piece at the same index;
 * - `response.reasoning_summary_text.delta`: a reasoning block (summary parts joined by
 *   blank lines); `response.output_item.done` (`reasoning`): the encrypted content;
 * - `response.output_item.done`: whatever its item holds that no delta carried;
 * - `response.completed` / `response.incomplete`: the final chunk (usage, finish
 *   reason, response id and model), marked `last`;
 * - `response.failed` and `error`: the stream fails with the typed error;
 * - anything else is ignored. A body that ends before a final event is a
 *   `TransportError`.
 *
 * @internal
 */
import { ChatError, Message, Provider } from "@effect-chat/core"
import * as Chunk from "effect/Chunk"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import {
  type Blocks,
  blockIndex,
  defaultProvider,
  errorOf,
  makeBlocks,
  malformed,
  metadataOf,
  reasoningBlock,
  reasoningKey,
  responseChunk,
  summarySeparator,
  summaryText,
  textKey,
  usageOf
} from "./response.js"
import { arr, EventType, isRecord, type Json, num, rec, str } from "./wire.js"

type Writable<T> = { -readonly [K in keyof T]: T[K] }

/** What a stream has seen so far. */
interface State {
  /** The provider's name, for errors. */
  readonly provider: string
  readonly blocks: Blocks
  /** The response id (from `response.created`), put on every chunk. */
  id: string | undefined
  /** Whether any output event was turned into a chunk (else the final event carries the output). */
  sawOutput: boolean
  sawToolCall: boolean
  /** Block indexes whose item id was already emitted (ids are emitted once: kwargs strings concatenate). */
  readonly idEmitted: Set<number>
  /** Keys of parts and items that received deltas. */
  readonly streamed: Set<string>
  /** Per reasoning item (output index): the summary part deltas last went to. */
  readonly summaryPart: Map<number, number>
  /** Per function call (output index): whether its id and name were emitted. */
  readonly callStarted: Set<number>
  /** Whether a final event was seen. */
  ended: boolean
}

const makeState = (provider: string): State => ({
  provider,
  blocks: makeBlocks(),
  id: undefined,
  sawOutput: false,
  sawToolCall: false,
  idEmitted: new Set(),
  streamed: new Set(),
  summaryPart: new Map(),
  callStarted: new Set(),
  ended: false
})

type Step = Either.Either<Message.AIMessageChunk | undefined, ChatError.ChatError>

const none: Step = Either.right(undefined)

const chunkOf = (state: State, fields: Writable<Message.ChunkFields>): Step => {
  if (state.id !== undefined) fields.id = state.id
  state.sawOutput = true
  return Either.right(Message.chunk(fields))
}

/** `additionalKwargs.itemIds` for a block, the first time only. */
const itemIdKwargs = (state: State, index: number, itemId: string | undefined) => {
  if (itemId === undefined || state.idEmitted.has(index)) return undefined
  state.idEmitted.add(index)
  return { itemIds: { [String(index)]: itemId } }
}

const withKwargs = (
  fields: Writable<Message.ChunkFields>,
  kwargs: Record<string, unknown> | undefined
): Writable<Message.ChunkFields> => {
  if (kwargs !== undefined) fields.additionalKwargs = kwargs
  return fields
}

const missing = (state: State, type: string, field: string): Step =>
  Either.left(malformed(`sent a ${type} event without ${field}`, state.provider))

// ---------------------------------------------------------------------------
// deltas
// ---------------------------------------------------------------------------

const textDelta = (state: State, event: Json): Step => {
  const delta = str(event, "delta")
  const outputIndex = num(event, "output_index")
  const contentIndex = num(event, "content_index") ?? 0
  if (delta === undefined) return missing(state, EventType.outputTextDelta, "delta")
  if (outputIndex === undefined) return missing(state, EventType.outputTextDelta, "output_index")
  const logprobs = arr(event, "logprobs")
  if (delta === "" && logprobs.length === 0) return none
  const key = textKey(outputIndex, contentIndex)
  state.streamed.add(key)
  const index = blockIndex(state.blocks, key)
  const fields: Writable<Message.ChunkFields> = {
    content: delta === "" ? "" : [{ type: "text", text: delta, index }]
  }
  if (logprobs.length > 0) fields.responseMetadata = { logprobs }
  return chunkOf(state, withKwargs(fields, itemIdKwargs(state, index, str(event, "item_id"))))
}

const refusalDelta = (state: State, event: Json): Step => {
  const delta = str(event, "delta")
  const outputIndex = num(event, "output_index")
  if (delta === undefined) return missing(state, EventType.refusalDelta, "delta")
  state.streamed.add(`refusal${outputIndex ?? 0}:${num(event, "content_index") ?? 0}`)
  return delta === "" ? none : chunkOf(state, { content: "", additionalKwargs: { refusal: delta } })
}

const argumentsDelta = (state: State, event: Json): Step => {
  const delta = str(event, "delta")
  const outputIndex = num(event, "output_index")
  if (delta === undefined) return missing(state, EventType.functionCallArgumentsDelta, "delta")
  if (outputIndex === undefined) return missing(state, EventType.functionCallArgumentsDelta, "output_index")
  state.streamed.add(`call${outputIndex}`)
  state.sawToolCall = true
  return delta === ""
    ? none
    : chunkOf(state, { content: "", toolCallChunks: [{ index: outputIndex, args: delta }] })
}

const summaryDelta = (state: State, event: Json): Step => {
  const delta = str(event, "delta")
  const outputIndex = num(event, "output_index")
  if (delta === undefined) return missing(state, EventType.reasoningSummaryTextDelta, "delta")
  if (outputIndex === undefined) return missing(state, EventType.reasoningSummaryTextDelta, "output_index")
  const key = reasoningKey(outputIndex)
  const part = num(event, "summary_index") ?? 0
  const previous = state.summaryPart.get(outputIndex)
  const separator = previous !== undefined && previous !== part ? summarySeparator : ""
  state.summaryPart.set(outputIndex, part)
  state.streamed.add(key)
  const text = separator + delta
  if (text === "") return none
  const index = blockIndex(state.blocks, key)
  return chunkOf(
    state,
    withKwargs(
      { content: [{ type: "reasoning", reasoning: text, index }] },
      itemIdKwargs(state, index, str(event, "item_id"))
    )
  )
}

// ---------------------------------------------------------------------------
// output items
// ---------------------------------------------------------------------------

const callStart = (state: State, item: Json, outputIndex: number, args: string | undefined): Step => {
  state.sawToolCall = true
  state.callStarted.add(outputIndex)
  const itemId = str(item, "id")
  const callId = str(item, "call_id") ?? itemId
  const name = str(item, "name")
  const piece: Writable<Message.ToolCallChunk> = { index: outputIndex }
  if (callId !== undefined) piece.id = callId
  if (name !== undefined) piece.name = name
  if (args !== undefined && args !== "") {
    piece.args = args
    state.streamed.add(`call${outputIndex}`)
  }
  return chunkOf(
    state,
    withKwargs(
      { content: "", toolCallChunks: [piece] },
      callId === undefined || itemId === undefined ? undefined : { functionCallItemIds: { [callId]: itemId } }
    )
  )
}

const itemAdded = (state: State, event: Json): Step => {
  const item = rec(event, "item")
  const outputIndex = num(event, "output_index")
  if (item === undefined) return missing(state, EventType.outputItemAdded, "item")
  if (outputIndex === undefined) return missing(state, EventType.outputItemAdded, "output_index")
  switch (str(item, "type")) {
    case "function_call":
      return callStart(state, item, outputIndex, str(item, "arguments"))
    case "reasoning":
      // reserve the block index in output order
      blockIndex(state.blocks, reasoningKey(outputIndex))
      return none
    default:
      return none
  }
}

/** The text parts and refusals of a finished message that no delta carried. */
const messageDone = (state: State, item: Json, outputIndex: number): Step => {
  const content: Array<Message.ContentBlock> = []
  const itemIds: Record<string, string> = {}
  let refusal = ""
  const itemId = str(item, "id")
  arr(item, "content").forEach((part, contentIndex) => {
    if (!isRecord(part)) return
    const type = str(part, "type")
    if (type === "output_text") {
      const key = textKey(outputIndex, contentIndex)
      const text = str(part, "text") ?? ""
      if (state.streamed.has(key) || text === "") return
      const index = blockIndex(state.blocks, key)
      content.push({ type: "text", text, index })
      if (itemId !== undefined && !state.idEmitted.has(index)) {
        state.idEmitted.add(index)
        itemIds[String(index)] = itemId
      }
    } else if (type === "refusal" && !state.streamed.has(`refusal${outputIndex}:${contentIndex}`)) {
      refusal += str(part, "refusal") ?? ""
    }
  })
  if (content.length === 0 && refusal === "") return none
  const kwargs: Record<string, unknown> = {}
  if (Object.keys(itemIds).length > 0) kwargs.itemIds = itemIds
  if (refusal !== "") kwargs.refusal = refusal
  return chunkOf(
    state,
    withKwargs(
      { content: content.length === 0 ? "" : content },
      Object.keys(kwargs).length > 0 ? kwargs : undefined
    )
  )
}

/** A finished reasoning item: its encrypted content (never streamed), and its summary if no delta carried it. */
const reasoningDone = (state: State, item: Json, outputIndex: number): Step => {
  const key = reasoningKey(outputIndex)
  const index = blockIndex(state.blocks, key)
  const text = state.streamed.has(key) ? "" : summaryText(item)
  return chunkOf(
    state,
    withKwargs(
      { content: [reasoningBlock(text, str(item, "encrypted_content"), index)] },
      itemIdKwargs(state, index, str(item, "id"))
    )
  )
}

/** A finished function call: its id and name if never announced, its arguments if never streamed. */
const callDone = (state: State, item: Json, outputIndex: number): Step => {
  const args = state.streamed.has(`call${outputIndex}`) ? undefined : str(item, "arguments")
  if (!state.callStarted.has(outputIndex)) return callStart(state, item, outputIndex, args)
  if (args === undefined || args === "") return none
  state.streamed.add(`call${outputIndex}`)
  return chunkOf(state, { content: "", toolCallChunks: [{ index: outputIndex, args }] })
}

const itemDone = (state: State, event: Json): Step => {
  const item = rec(event, "item")
  const outputIndex = num(event, "output_index")
  if (item === undefined) return missing(state, EventType.outputItemDone, "item")
  if (outputIndex === undefined) return missing(state, EventType.outputItemDone, "output_index")
  switch (str(item, "type")) {
    case "message":
      return messageDone(state, item, outputIndex)
    case "reasoning":
      return reasoningDone(state, item, outputIndex)
    case "function_call":
      return callDone(state, item, outputIndex)
    default:
      return none
  }
}

// ---------------------------------------------------------------------------
// the end
// ---------------------------------------------------------------------------

/** `response.completed` / `response.incomplete`: usage, finish reason, id and model, `last`. */
const finished = (state: State, event: Json): Step => {
  const response = rec(event, "response")
  if (response === undefined) return missing(state, str(event, "type") ?? "final", "response")
  state.ended = true
  if (!state.sawOutput) {
    // a server that sent no output events: the final response carries it all
    return Either.right(responseChunk(response, true))
  }
  const hasToolCalls =
    state.sawToolCall ||
    arr(response, "output").some((item) => isRecord(item) && item.type === "function_call")
  const fields: Writable<Message.ChunkFields> = {
    content: "",
    responseMetadata: metadataOf(response, hasToolCalls),
    last: true
  }
  const id = str(response, "id") ?? state.id
  const usage = usageOf(response.usage)
  if (id !== undefined) fields.id = id
  if (usage !== undefined) fields.usageMetadata = usage
  return Either.right(Message.chunk(fields))
}

/** One parsed event to at most one chunk, or the stream's typed failure. */
const step = (state: State, event: Json): Step => {
  switch (str(event, "type")) {
    case EventType.outputTextDelta:
      return textDelta(state, event)
    case EventType.functionCallArgumentsDelta:
      return argumentsDelta(state, event)
    case EventType.reasoningSummaryTextDelta:
      return summaryDelta(state, event)
    case EventType.refusalDelta:
      return refusalDelta(state, event)
    case EventType.outputItemAdded:
      return itemAdded(state, event)
    case EventType.outputItemDone:
      return itemDone(state, event)
    case EventType.created:
    case EventType.inProgress:
    case EventType.queued: {
      const response = rec(event, "response")
      const id = response === undefined ? undefined : str(response, "id")
      if (id !== undefined) state.id = id
      return none
    }
    case EventType.completed:
    case EventType.incomplete:
      return finished(state, event)
    case EventType.failed: {
      const response = rec(event, "response")
      state.ended = true
      return Either.left(
        errorOf(
          response === undefined ? undefined : response.error,
          `${state.provider} reported that the response failed`,
          state.provider
        )
      )
    }
    case EventType.error:
      state.ended = true
      return Either.left(
        errorOf(
          rec(event, "error") ?? event,
          `${state.provider} reported an error in the stream`,
          state.provider
        )
      )
    default:
      return none
  }
}

/** One SSE event: parsed, typed by its `type` (or its `event:` name), stepped. */
const onEvent = (state: State, sse: Provider.SseEvent): Step => {
  const parsed = Provider.parseJson(sse.data, state.provider)
  if (Either.isLeft(parsed)) return Either.left(parsed.left)
  const event = parsed.right
  if (!isRecord(event)) {
    return Either.left(malformed(`sent an event that is not a JSON object (${sse.event})`, state.provider))
  }
  return step(state, typeof event.type === "string" ? event : { ...event, type: sse.event })
}

const isChunk = (chunk: Message.AIMessageChunk | undefined): chunk is Message.AIMessageChunk =>
  chunk !== undefined

const truncated = (provider: string): ChatError.TransportError =>
  new ChatError.TransportError({
    message: `${provider} stream ended before response.completed, response.incomplete or response.failed`,
    provider
  })

/**
 * The chunks of a Responses API event stream: ends after the final chunk (closing the
 * request), fails with the typed error of `response.failed` / `error`, and with a
 * `TransportError` when the body ends first. Fresh state for every run of the stream.
 */
export const toChunks = (
  events: Stream.Stream<Provider.SseEvent, ChatError.ChatError>,
  provider: string = defaultProvider
): Stream.Stream<Message.AIMessageChunk, ChatError.ChatError> =>
  Stream.suspend(() => {
    const state = makeState(provider)
    return events.pipe(
      Provider.mapOrFail((event: Provider.SseEvent) => onEvent(state, event)),
      Stream.mapChunks(Chunk.filter(isChunk)),
      Stream.takeUntil((chunk) => chunk.last === true),
      Stream.concat(Stream.suspend(() => (state.ended ? Stream.empty : Stream.fail(truncated(provider)))))
    )
  })
