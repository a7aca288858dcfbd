/**
 * The base runner of a model: turns the provider protocol into the two primitives every
 * service method and combinator builds on (generate a `ChatResult`, stream chunks), with
 * generate-from-stream, stream-from-generate, stop sequences, message ids, the model
 * name and the per-attempt timeout supplied here once.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { ChatError } from "../ChatError.js"
import { TimeoutError } from "../ChatError.js"
import type {
  CallOptions,
  ChatGeneration,
  ChatRequest,
  ChatResult,
  ChatResultInput,
  Impl,
  ResponseFormat,
  ToolChoice,
  ToolDefinition
} from "../ChatModel.js"
import { openFirst } from "./first.js"
import { concat, contentText, hasContent, toChunk, toMessage } from "./merge.js"
import * as chunks from "./provider/chunks.js"
import { AIMessage, type AIMessageChunk, copy, type Message, makeAI, makeChunkUnchecked } from "./schema.js"
import { truncateMessage, truncateStream } from "./stop.js"

/** What a combinator or a call binds to a model; later bindings override earlier ones. */
export interface Binding {
  readonly stop?: ReadonlyArray<string>
  readonly tools?: ReadonlyArray<ToolDefinition>
  readonly toolChoice?: ToolChoice
  readonly parallelToolCalls?: boolean
  readonly responseFormat?: ResponseFormat
  readonly providerOptions?: Readonly<Record<string, unknown>>
  /** Post-processing of every finished message (decoding bound tools' args); the last one bound applies. */
  readonly transform?: (message: AIMessage) => AIMessage
  /** Preparation of the history before it reaches the provider (encoding decoded args); the last one bound applies. */
  readonly prepare?: (messages: ReadonlyArray<Message>) => ReadonlyArray<Message>
}

/** One call, before the model's bindings are applied. */
export interface Call {
  readonly messages: ReadonlyArray<Message>
  readonly options: CallOptions
  readonly runId: string
}

/** The two primitives of a model. */
export interface Runner {
  readonly generate: (call: Call, bindings: ReadonlyArray<Binding>) => Effect.Effect<ChatResult, ChatError>
  readonly stream: (call: Call, bindings: ReadonlyArray<Binding>) => Stream.Stream<AIMessageChunk, ChatError>
}

const noTools: ReadonlyArray<ToolDefinition> = []
const noEntries: Readonly<Record<string, unknown>> = {}
const noTags: ReadonlyArray<string> = []

type Writable<T> = { -readonly [K in keyof T]: T[K] }

export const toRequest = (call: Call, bindings: ReadonlyArray<Binding>): ChatRequest => {
  const options = call.options
  const request: Writable<ChatRequest> = {
    messages: call.messages,
    tools: noTools,
    providerOptions: noEntries,
    runId: call.runId,
    tags: options.tags ?? noTags,
    metadata: options.metadata ?? noEntries
  }
  for (const binding of bindings) {
    if (binding.stop !== undefined) request.stop = binding.stop
    if (binding.tools !== undefined) request.tools = binding.tools
    if (binding.toolChoice !== undefined) request.toolChoice = binding.toolChoice
    if (binding.parallelToolCalls !== undefined) request.parallelToolCalls = binding.parallelToolCalls
    if (binding.responseFormat !== undefined) request.responseFormat = binding.responseFormat
    if (binding.providerOptions !== undefined) {
      request.providerOptions = { ...request.providerOptions, ...binding.providerOptions }
    }
  }
  let prepare: Binding["prepare"]
  for (const binding of bindings) if (binding.prepare !== undefined) prepare = binding.prepare
  if (prepare !== undefined) request.messages = prepare(request.messages)
  if (options.stop !== undefined) request.stop = options.stop
  if (options.providerOptions !== undefined) {
    request.providerOptions = { ...request.providerOptions, ...options.providerOptions }
  }
  return request
}

const normalizeResult = (input: ChatResultInput): ChatResult => {
  const [first, ...rest] = input.generations.map((generation): ChatGeneration => {
    const message = generation.message instanceof AIMessage ? generation.message : makeAI(generation.message)
    const text = generation.text ?? contentText(message.content)
    return generation.generationInfo === undefined
      ? { message, text }
      : { message, text, generationInfo: generation.generationInfo }
  })
  return input.llmOutput === undefined
    ? { generations: [first!, ...rest] }
    : { generations: [first!, ...rest], llmOutput: input.llmOutput }
}

const timeoutError = (timeout: Duration.DurationInput, what: string) =>
  new TimeoutError({ message: `${what} within ${Duration.format(Duration.decode(timeout))}` })

/** The per-attempt timeout of a generate call. */
export const timeoutGenerate = <A>(
  effect: Effect.Effect<A, ChatError>,
  timeout: Duration.DurationInput | undefined
): Effect.Effect<A, ChatError> =>
  timeout === undefined
    ? effect
    : Effect.timeoutFail(effect, { duration: timeout, onTimeout: () => timeoutError(timeout, "no answer") })

/** The per-attempt timeout of a stream: the wait for its first chunk. */
export const timeoutStream = (
  stream: Stream.Stream<AIMessageChunk, ChatError>,
  timeout: Duration.DurationInput | undefined
): Stream.Stream<AIMessageChunk, ChatError> =>
  timeout === undefined
    ? stream
    : openFirst(
        stream,
        (first) =>
          Effect.timeoutFail(first, {
            duration: timeout,
            onTimeout: () => timeoutError(timeout, "no first chunk")
          }),
        hasContent
      )

/**
 * Merges a whole stream into one chunk, a Stream chunk at a time (`Stream.runFold`
 * recurses once per element and overflows the stack on large Stream chunks).
 */
const mergeAll = (
  stream: Stream.Stream<AIMessageChunk, ChatError>
): Effect.Effect<AIMessageChunk, ChatError> =>
  Effect.suspend(() => {
    let merged = makeChunkUnchecked({ content: "" })
    const mergeChunk = (chunk: Chunk.Chunk<AIMessageChunk>) =>
      Effect.sync(() => {
        for (const item of chunk) merged = concat(merged, item)
      })
    return Effect.map(Stream.runForEachChunk(stream, mergeChunk), () => merged)
  })

/** Whether streaming must fall back to one chunk from `generate` for this request. */
const streamsFromGenerate = (impl: Impl, request: ChatRequest): boolean =>
  impl.stream === undefined ||
  impl.disableStreaming === true ||
  (impl.disableStreaming === "toolCalling" && request.tools.length > 0)

export const makeRunner = (impl: Impl, modelName: string): Runner => {
  const finishMessage = (
    message: AIMessage,
    request: ChatRequest,
    bindings: ReadonlyArray<Binding>
  ): AIMessage => {
    let finished = truncateMessage(message, request.stop)
    if (finished.id === undefined || finished.responseMetadata.modelName === undefined) {
      finished = copy(finished, {
        id: finished.id ?? `run-${request.runId}`,
        responseMetadata: { modelName, ...finished.responseMetadata }
      })
    }
    // only the last transform bound applies: a later bindTools replaces the earlier tools
    let transform: Binding["transform"]
    for (const binding of bindings) if (binding.transform !== undefined) transform = binding.transform
    return transform === undefined ? finished : transform(finished)
  }

  const finishResult = (
    result: ChatResult,
    request: ChatRequest,
    bindings: ReadonlyArray<Binding>
  ): ChatResult => {
    const [first, ...rest] = result.generations.map((generation): ChatGeneration => {
      const message = finishMessage(generation.message, request, bindings)
      return message === generation.message
        ? generation
        : {
            ...generation,
            message,
            text: message === generation.message ? generation.text : contentText(message.content)
          }
    })
    return { ...result, generations: [first!, ...rest] }
  }

  const implGenerate = impl.generate
  const implStream = impl.stream
  const rawGenerate = (request: ChatRequest): Effect.Effect<ChatResult, ChatError> =>
    implGenerate !== undefined
      ? Effect.map(implGenerate(request), normalizeResult)
      : implStream !== undefined
        ? Effect.map(mergeAll(truncateStream(implStream(request), request.stop)), (merged): ChatResult => {
            const message = toMessage(merged)
            return { generations: [{ message, text: contentText(message.content) }] }
          })
        : Effect.die("ChatModel.make needs generate or stream")

  // a stage of the provider's own pipeline when it has one (see `chunks.transduce`)
  const stampChunks = (stream: Stream.Stream<AIMessageChunk, ChatError>, request: ChatRequest) =>
    chunks.transduce(stream, (): chunks.ChunkStage<AIMessageChunk, AIMessageChunk, never> => {
      const id = `run-${request.runId}`
      let first = true
      const stamp = (chunk: AIMessageChunk): AIMessageChunk => {
        if (first) {
          first = false
          if (chunk.responseMetadata.modelName === undefined) {
            return copy(chunk, {
              id: chunk.id ?? id,
              responseMetadata: { modelName, ...chunk.responseMetadata }
            })
          }
        }
        return chunk.id === undefined ? copy(chunk, { id }) : chunk
      }
      return {
        // a Stream chunk whose elements all keep their ids is passed on as it is
        chunk: (chunk) => {
          const items = Chunk.toReadonlyArray(chunk)
          let out: Array<AIMessageChunk> | undefined
          for (let index = 0; index < items.length; index++) {
            const item = items[index]!
            const stamped = stamp(item)
            if (out !== undefined) out.push(stamped)
            else if (stamped !== item) {
              out = items.slice(0, index)
              out.push(stamped)
            }
          }
          return out === undefined ? chunk : Chunk.unsafeFromArray(out)
        },
        done: () => undefined
      }
    })

  return {
    generate: (call, bindings) => {
      const request = toRequest(call, bindings)
      return timeoutGenerate(
        Effect.map(rawGenerate(request), (result) => finishResult(result, request, bindings)),
        call.options.timeout
      )
    },
    stream: (call, bindings) => {
      const request = toRequest(call, bindings)
      const source =
        implStream === undefined || streamsFromGenerate(impl, request)
          ? Stream.fromEffect(
              Effect.map(rawGenerate(request), (result) =>
                toChunk(finishMessage(result.generations[0].message, request, bindings))
              )
            )
          : truncateStream(implStream(request), request.stop)
      return timeoutStream(stampChunks(source, request), call.options.timeout)
    }
  }
}
