/**
 * The engine every fake shares: where its answers come from, the answer as `invoke`
 * returns it (with its usage counted in words), scripted failures, latency, the requests
 * it received and the streams still open. The public constructors of `FakeChatModel`
 * only say where answers come from and how they are cut into chunks.
 *
 * @internal
 */

import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import type { Failure, Fake, Options } from "../../FakeChatModel.js"
import { chunksOf, emit, type Splitter, type Writable } from "./chunks.js"

// ---------------------------------------------------------------------------
// answers
// ---------------------------------------------------------------------------

/** Where a fake's answers come from: `peek` looks at the next one, `advance` takes it. */
export interface Source {
  readonly peek: (request: ChatModel.ChatRequest) => Either.Either<Message.AIMessage, ChatError.ChatError>
  readonly advance: () => void
}

/** Answers computed by an effect from the request (a handler), run only when a call needs its answer. */
export interface Responder {
  readonly respond: (request: ChatModel.ChatRequest) => Effect.Effect<Message.AIMessage, ChatError.ChatError>
}

/** What a constructor gives the engine: its names, where answers come from and how they stream. */
export interface Config {
  readonly llmType: string
  readonly defaultModel: string
  readonly source: Source | Responder
  readonly split: Splitter
}

/**
 * What one call does, decided (atomically) when the call starts. A failure keeps the
 * answer it would have given (when there is one): a stream emits its first chunks.
 */
type Plan =
  | { readonly _tag: "Answer"; readonly message: Message.AIMessage }
  | {
      readonly _tag: "Fail"
      readonly error: ChatError.ChatError
      readonly partial: Message.AIMessage | undefined
      readonly afterChunks: number
    }

const countWords = (text: string): number => text.match(/\S+/g)?.length ?? 0

const usageOf = (request: ChatModel.ChatRequest, answer: Message.AIMessage): Message.UsageMetadata => {
  let inputTokens = 0
  for (const message of request.messages) inputTokens += countWords(Message.text(message))
  const outputTokens = countWords(Message.text(answer))
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }
}

/** Array content with every block indexed by its position, as a streaming provider sends it. */
const indexed = (content: Message.Content): Message.Content =>
  typeof content === "string"
    ? content
    : content.map((block, index) => (block.index === undefined ? { ...block, index } : block))

/**
 * The answer as `invoke` returns it: blocks indexed, `finishReason` (`"toolCalls"` when
 * there are tool calls), `modelName`, and usage unless turned off.
 */
const finish = (
  raw: Message.AIMessage,
  request: ChatModel.ChatRequest,
  model: string,
  usage: boolean
): Message.AIMessage => {
  const hasToolCalls = raw.toolCalls.length > 0
  const fields: Writable<Message.AIFields> = {
    content: indexed(raw.content),
    toolCalls: raw.toolCalls,
    invalidToolCalls: raw.invalidToolCalls,
    responseMetadata: {
      modelName: model,
      ...raw.responseMetadata,
      finishReason: hasToolCalls ? "toolCalls" : (raw.responseMetadata.finishReason ?? "stop")
    }
  }
  if (raw.id !== undefined) fields.id = raw.id
  if (raw.name !== undefined) fields.name = raw.name
  if (raw.additionalKwargs !== undefined) fields.additionalKwargs = raw.additionalKwargs
  if (usage) fields.usageMetadata = raw.usageMetadata ?? usageOf(request, raw)
  return Message.ai(fields)
}

// ---------------------------------------------------------------------------
// the fake
// ---------------------------------------------------------------------------

const isFailure = (entry: ChatError.ChatError | Failure): entry is Failure => !ChatError.isChatError(entry)

/** Gives `target` read-only properties computed on every read (a live view of the fake's state). */
function defineGetters<T extends object, G extends object>(
  target: T,
  getters: { readonly [K in keyof G]: () => G[K] }
): asserts target is T & Readonly<G> {
  for (const key in getters) Object.defineProperty(target, key, { get: getters[key], enumerable: true })
}

/** A fake from the constructor's `config` and the user's `options`. */
export const makeFake = (config: Config, options: Options = {}): Fake => {
  const model = options.model ?? config.defaultModel
  const failures = [...(options.failures ?? [])]
  const usage = options.usage ?? true
  const latency = options.latency === undefined ? Effect.void : Effect.sleep(options.latency)
  const requests: Array<ChatModel.ChatRequest> = []
  let calls = 0
  let activeStreams = 0

  /** Records the request and takes the call's scripted failure, synchronously (safe under concurrency). */
  const record = (request: ChatModel.ChatRequest): Failure | undefined => {
    requests.push(request)
    const scripted = calls < failures.length ? failures[calls] : undefined
    calls++
    return scripted === undefined
      ? undefined
      : isFailure(scripted)
        ? scripted
        : { error: scripted, afterChunks: 0 }
  }

  const failed = (failure: Failure, partial: Message.AIMessage | undefined): Plan => ({
    _tag: "Fail",
    error: failure.error,
    partial,
    afterChunks: failure.afterChunks
  })

  const finished = (
    next: Either.Either<Message.AIMessage, ChatError.ChatError>,
    request: ChatModel.ChatRequest
  ) => Either.map(next, (raw) => finish(raw, request, model, usage))

  /**
   * Decides what a call does. A list source decides atomically when the call starts; a
   * responder runs only when the answer is needed: for every call that is not failed by
   * the script, and for a stream scripted to fail after some chunks of its answer.
   */
  const planOf = (request: ChatModel.ChatRequest, streaming: boolean): Effect.Effect<Plan> => {
    const source = config.source
    if (!("respond" in source)) {
      return Effect.sync(() => {
        const scripted = record(request)
        const next = finished(source.peek(request), request)
        if (scripted !== undefined) return failed(scripted, Either.getOrUndefined(next))
        if (Either.isLeft(next)) return failed({ error: next.left, afterChunks: 0 }, undefined)
        source.advance()
        return { _tag: "Answer", message: next.right }
      })
    }
    return Effect.suspend(() => {
      const scripted = record(request)
      if (scripted !== undefined && !(streaming && scripted.afterChunks > 0))
        return Effect.succeed(failed(scripted, undefined))
      return Effect.map(Effect.either(source.respond(request)), (answer): Plan => {
        const next = finished(answer, request)
        if (scripted !== undefined) return failed(scripted, Either.getOrUndefined(next))
        return Either.isLeft(next)
          ? failed({ error: next.left, afterChunks: 0 }, undefined)
          : { _tag: "Answer", message: next.right }
      })
    })
  }

  /** The chunks a plan streams: the whole answer, or the first `afterChunks` chunks before failing. */
  const chunksOfPlan = (plan: Plan): ReadonlyArray<Message.AIMessageChunk> =>
    plan._tag === "Answer"
      ? chunksOf(plan.message, config.split, true)
      : plan.partial === undefined || plan.afterChunks <= 0
        ? []
        : chunksOf(plan.partial, config.split, false).slice(0, plan.afterChunks)

  const generate = (
    request: ChatModel.ChatRequest
  ): Effect.Effect<ChatModel.ChatResultInput, ChatError.ChatError> =>
    Effect.flatMap(planOf(request, false), (plan) =>
      Effect.zipRight(
        latency,
        plan._tag === "Fail"
          ? Effect.fail(plan.error)
          : Effect.succeed<ChatModel.ChatResultInput>({ generations: [{ message: plan.message }] })
      )
    )

  const stream = (
    request: ChatModel.ChatRequest
  ): Stream.Stream<Message.AIMessageChunk, ChatError.ChatError> =>
    Stream.acquireRelease(
      Effect.sync(() => {
        activeStreams++
      }),
      () =>
        Effect.sync(() => {
          activeStreams--
        })
    ).pipe(
      Stream.mapEffect(() => planOf(request, true)),
      Stream.flatMap((plan) => {
        const chunks = emit(chunksOfPlan(plan), options.chunkLatency)
        const body = plan._tag === "Fail" ? Stream.concat(chunks, Stream.fail(plan.error)) : chunks
        return Stream.concat(Stream.execute(latency), body)
      })
    )

  const service: ChatModel.Service = ChatModel.make({
    llmType: config.llmType,
    identifyingParams: { model },
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    generate,
    stream
  })
  defineGetters(service, {
    requests: (): ReadonlyArray<ChatModel.ChatRequest> => requests,
    activeStreams: (): number => activeStreams
  })
  return service
}

/** The failure of a source with no more answers: a `ServerError`, not retryable. */
export const noMoreAnswers = (message: string): ChatError.ChatError =>
  new ChatError.ServerError({ message, retryable: false })

/** A handler's answer as an AI message (a text is its content). */
export const toAIMessage = (answer: Message.AIMessage | string): Message.AIMessage =>
  typeof answer === "string" ? Message.ai(answer) : answer
