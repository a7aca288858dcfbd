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
import * as Either from "effect/Either"
import type * as Stream from "effect/Stream"
import { arr, isRecord, type Json, num, rec, str } from "../json.js"
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
import { EventType } from "./wire.js"

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
  /** The stream's typed failure, once an event fails it. */
  failure: ChatError.ChatError | undefined
  /** The last text part deltas went to: its output and content index, and its block index. */
  textOutput: number
  textContent: number
  textIndex: number
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
  ended: false,
  failure: undefined,
  textOutput: -1,
  textContent: -1,
  textIndex: -1
})

/** What one event gives: a chunk, or nothing (a failure is put on the state). */
type Step = Message.AIMessageChunk | undefined

const none: Step = undefined

// read once: where the package runs transpiled to CommonJS (tsx, vitest), every use of
// an imported name is a getter call on the module's exports
const makeChunk = Message.chunk

/** Fails the stream with `error` (after the chunks of the events before). */
const failWith = (state: State, error: ChatError.ChatError): Step => {
  state.failure = error
  return undefined
}

const chunkOf = (state: State, fields: Writable<Message.ChunkFields>): Step => {
  if (state.id !== undefined) fields.id = state.id
  state.sawOutput = true
  return makeChunk(fields)
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
  failWith(state, malformed(`sent a ${type} event without ${field}`, state.provider))

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
  let index = state.textIndex
  if (outputIndex !== state.textOutput || contentIndex !== state.textContent) {
    // a part's first delta (most deltas go to the part the one before went to)
    const key = textKey(outputIndex, contentIndex)
    state.streamed.add(key)
    index = blockIndex(state.blocks, key)
    state.textOutput = outputIndex
    state.textContent = contentIndex
    state.textIndex = index
  }
  const content: Message.Content = delta === "" ? "" : [{ type: "text", text: delta, index }]
  // the common case: a delta of a part whose item id was sent, without log probabilities
  if (logprobs.length === 0 && state.idEmitted.has(index)) return chunkOf(state, { content })
  const fields: Writable<Message.ChunkFields> = { content }
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
    return responseChunk(response, true)
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
  return makeChunk(fields)
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
      return failWith(
        state,
        errorOf(
          response === undefined ? undefined : response.error,
          `${state.provider} reported that the response failed`,
          state.provider
        )
      )
    }
    case EventType.error:
      state.ended = true
      return failWith(
        state,
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
  // `JSON.parse` on the hot path; the typed error (built by `Provider.parseJson`) only when it fails
  let event: unknown
  try {
    event = JSON.parse(sse.data)
  } catch {
    const parsed = Provider.parseJson(sse.data, state.provider)
    if (Either.isLeft(parsed)) return failWith(state, parsed.left)
    event = parsed.right
  }
  if (!isRecord(event)) {
    return failWith(
      state,
      malformed(`sent an event that is not a JSON object (${sse.event})`, state.provider)
    )
  }
  return step(state, typeof event.type === "string" ? event : { ...event, type: sse.event })
}

const truncated = (provider: string): ChatError.TransportError =>
  new ChatError.TransportError({
    message: `${provider} stream ended before response.completed, response.incomplete or response.failed`,
    provider
  })

const ended: Provider.Step<never> = { _tag: "End" }

/**
 * The chunks of a Responses API event stream: one pass over each Stream chunk of events
 * (no effect per event), ending after the final chunk (which closes the request),
 * failing with the typed error of `response.failed` / `error` after the chunks that came
 * before it, and with a `TransportError` when the body ends first. Fresh state for every
 * run of the stream. A stage of `Provider.transduce`, so over `Provider.streamSse` it
 * runs fused with the SSE decoding.
 */
export const toChunks = <E>(
  events: Stream.Stream<Provider.SseEvent, E>,
  provider: string = defaultProvider
): Stream.Stream<Message.AIMessageChunk, E | ChatError.ChatError> =>
  Provider.transduce(
    events,
    (): Provider.Stage<Provider.SseEvent, Message.AIMessageChunk, ChatError.ChatError> => {
      const state = makeState(provider)
      return {
        step: (input, out) => {
          for (const event of input) {
            const chunk = onEvent(state, event)
            if (chunk !== undefined) out.push(chunk)
            if (state.failure !== undefined) return { _tag: "Fail", error: state.failure }
            if (chunk?.last === true) return ended
          }
          return undefined
        },
        done: () => (state.ended ? undefined : truncated(provider))
      }
    }
  )
