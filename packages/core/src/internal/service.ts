/**
 * Builds the `ChatModel.Service` methods from a model's state (its runner and bindings):
 * input coercion, run ids, callbacks, the tracing span, last-chunk marking, batching
 * and events. Combinators change the state and rebuild the service.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { pipeArguments } from "effect/Pipeable"
import * as Stream from "effect/Stream"
import type { ChatError } from "../ChatError.js"
import type {
  BatchOptions,
  Callbacks,
  CallOptions,
  ChatModelEvent,
  ChatResult,
  Impl,
  LLMResult,
  RunInfo,
  RunToolsOptions,
  Service
} from "../ChatModel.js"
import type { ChatInput, MessageLike } from "../Message.js"
import * as ModelProfile from "../ModelProfile.js"
import type { PromptValue } from "../PromptValue.js"
import type { Any as AnyTool } from "../Tool.js"
import { fromInput } from "./input.js"
import { addUsage, concat, contentText, toMessage } from "./merge.js"
import * as chunks from "./provider/chunks.js"
import { type Binding, type Call, makeRunner, type Runner } from "./runner.js"
import type { AIMessage, AIMessageChunk, Message, UsageMetadata } from "./schema.js"
import { makeChunkUnchecked } from "./schema.js"
import * as streams from "./streams.js"
import { runTools, toolBinding } from "./tools.js"
import * as tracing from "./tracing.js"

export const TypeId: unique symbol = Symbol.for("@effect-chat/core/ChatModel")
const StateId: unique symbol = Symbol.for("@effect-chat/core/ChatModel/State")

/** The callbacks of a whole program. */
export class CurrentCallbacks extends Context.Reference<CurrentCallbacks>()(
  "@effect-chat/core/ChatModel/CurrentCallbacks",
  { defaultValue: (): ReadonlyArray<Callbacks> => [] }
) {}

export const toCallbackList = (
  callbacks: Callbacks | ReadonlyArray<Callbacks> | undefined
): ReadonlyArray<Callbacks> =>
  callbacks === undefined ? [] : isCallbackList(callbacks) ? callbacks : [callbacks]

const isCallbackList = (
  callbacks: Callbacks | ReadonlyArray<Callbacks>
): callbacks is ReadonlyArray<Callbacks> => Array.isArray(callbacks)

/** Everything a service is built from. */
export interface State {
  readonly llmType: string
  readonly identifyingParams: Readonly<Record<string, unknown>>
  readonly profile: ModelProfile.ModelProfile
  readonly modelName: string
  readonly bindings: ReadonlyArray<Binding>
  readonly runner: Runner
}

export const isService = (value: unknown): value is Service =>
  typeof value === "object" && value !== null && TypeId in value

export const stateOf = (model: Service<unknown>): State =>
  (model as unknown as { readonly [StateId]: State })[StateId]

const noOptions: CallOptions = {}
const defaultConcurrency = 8

const newRunId = (): string => crypto.randomUUID()

// ---------------------------------------------------------------------------
// callbacks
// ---------------------------------------------------------------------------

const safely = (effect: Effect.Effect<void, unknown>, hook: string): Effect.Effect<void> =>
  Effect.catchAllCause(effect, (cause) =>
    Effect.logWarning(`effect-chat: the ${hook} callback failed`, cause)
  )

const runAll = <K extends keyof Callbacks>(
  callbacks: ReadonlyArray<Callbacks>,
  hook: K,
  event: Parameters<NonNullable<Callbacks[K]>>[0]
): Effect.Effect<void> =>
  Effect.forEach(
    callbacks,
    (callbacks) => {
      const callback = callbacks[hook] as ((event: unknown) => Effect.Effect<void, unknown>) | undefined
      return callback === undefined
        ? Effect.void
        : safely(
            Effect.suspend(() => callback(event)),
            hook
          )
    },
    { discard: true }
  )

const runInfo = (state: State, call: Call): RunInfo => ({
  runId: call.runId,
  runName: call.options.runName ?? state.llmType,
  llmType: state.llmType,
  tags: call.options.tags ?? [],
  metadata: call.options.metadata ?? {}
})

/** Calls the run's callbacks around a generate effect. */
const withCallbacks = (
  effect: Effect.Effect<ChatResult, ChatError>,
  callbacks: ReadonlyArray<Callbacks>,
  info: RunInfo,
  messages: ReadonlyArray<Message>
): Effect.Effect<ChatResult, ChatError> =>
  runAll(callbacks, "onStart", { ...info, messages }).pipe(
    Effect.zipRight(effect),
    Effect.tapBoth({
      onFailure: (error) => runAll(callbacks, "onError", { ...info, error }),
      onSuccess: (result) => runAll(callbacks, "onEnd", { ...info, result })
    })
  )

// ---------------------------------------------------------------------------
// one call
// ---------------------------------------------------------------------------

/** Runs one generate call of the state's runner with callbacks and a span. */
const instrumentedGenerate = (state: State, call: Call): Effect.Effect<ChatResult, ChatError> =>
  Effect.withFiberRuntime((fiber) => {
    const callbacks = callbacksOf(call.options, Context.get(fiber.currentContext, CurrentCallbacks))
    let effect = state.runner.generate(call, state.bindings)
    if (callbacks.length > 0) effect = withCallbacks(effect, callbacks, runInfo(state, call), call.messages)
    return fiber.getFiberRef(FiberRef.currentTracerEnabled)
      ? tracing.traceGenerate(effect, state, call)
      : effect
  })

const callbacksOf = (options: CallOptions, global: ReadonlyArray<Callbacks>): ReadonlyArray<Callbacks> => {
  const local = toCallbackList(options.callbacks)
  return local.length === 0 ? global : global.length === 0 ? local : [...global, ...local]
}

/**
 * Appends an empty chunk marked `last` when the stream's final chunk was not marked, and
 * shows every Stream chunk to `observe` (the span's bookkeeping) in the same stage: a
 * stage of the provider's own pipeline when it has one (see `chunks.transduce`).
 */
const markLast = (
  stream: Stream.Stream<AIMessageChunk, ChatError>,
  runId: string,
  observe: tracing.Observe | undefined
): Stream.Stream<AIMessageChunk, ChatError> =>
  chunks.transduce(stream, (): chunks.ChunkStage<AIMessageChunk, AIMessageChunk, never> => {
    let final: AIMessageChunk | undefined
    return {
      // chunks pass through as they are, the end appends (no `concat`)
      chunk: (chunk) => {
        if (!Chunk.isEmpty(chunk)) final = Chunk.unsafeLast(chunk)
        if (observe !== undefined) observe(chunk)
        return chunk
      },
      done: (out) => {
        if (final?.last !== true) {
          out.push(makeChunkUnchecked({ content: "", id: final?.id ?? `run-${runId}`, last: true }))
        }
        return undefined
      }
    }
  })

/** Runs the callbacks of a stream: start, each chunk before it is emitted, end or error. */
const streamWithCallbacks = (
  stream: Stream.Stream<AIMessageChunk, ChatError>,
  callbacks: ReadonlyArray<Callbacks>,
  info: RunInfo,
  messages: ReadonlyArray<Message>
): Stream.Stream<AIMessageChunk, ChatError> =>
  Stream.suspend(() => {
    let merged = makeChunkUnchecked({ content: "" })
    const onTokens = callbacks.some((callbacks) => callbacks.onToken !== undefined)
    const body = Stream.mapChunksEffect(stream, (chunk) => {
      merged = Chunk.reduce(chunk, merged, concat)
      return onTokens
        ? Effect.as(
            Effect.forEach(
              chunk,
              (item) =>
                runAll(callbacks, "onToken", { ...info, token: contentText(item.content), chunk: item }),
              {
                discard: true
              }
            ),
            chunk
          )
        : Effect.succeed(chunk)
    })
    const end = Stream.execute(
      Effect.suspend(() => {
        const message = toMessage(merged)
        return runAll(callbacks, "onEnd", {
          ...info,
          result: { generations: [{ message, text: contentText(message.content) }] }
        })
      })
    )
    return Stream.concat(
      Stream.execute(runAll(callbacks, "onStart", { ...info, messages })),
      Stream.concat(body, end)
    ).pipe(Stream.tapError((error) => runAll(callbacks, "onError", { ...info, error })))
  })

const instrumentedStream = (state: State, call: Call): Stream.Stream<AIMessageChunk, ChatError> =>
  streams.unwrap(
    Effect.withFiberRuntime((fiber) => {
      const callbacks = callbacksOf(call.options, Context.get(fiber.currentContext, CurrentCallbacks))
      const make = (observe: tracing.Observe | undefined) => {
        const stream = markLast(state.runner.stream(call, state.bindings), call.runId, observe)
        return callbacks.length === 0
          ? stream
          : streamWithCallbacks(stream, callbacks, runInfo(state, call), call.messages)
      }
      return Effect.succeed(
        fiber.getFiberRef(FiberRef.currentTracerEnabled)
          ? tracing.traceStream(make, state, call)
          : make(undefined)
      )
    })
  )

const toCall = (
  input: ChatInput,
  options: CallOptions | undefined,
  runId?: string
): Either.Either<Call, ChatError> =>
  Either.map(fromInput(input), (messages) => ({
    messages,
    options: options ?? noOptions,
    runId: runId ?? options?.runId ?? newRunId()
  }))

// ---------------------------------------------------------------------------
// the service
// ---------------------------------------------------------------------------

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    // biome-ignore lint/complexity/noArguments: pipeArguments reads the arguments object
    return pipeArguments(this, arguments)
  }
}

const sumUsage = (results: ReadonlyArray<ChatResult>): UsageMetadata | undefined => {
  let usage: UsageMetadata | undefined
  for (const result of results) {
    for (const generation of result.generations) usage = addUsage(usage, generation.message.usageMetadata)
  }
  return usage
}

export const build = (state: State): Service => {
  const invokeCall = (call: Call): Effect.Effect<AIMessage, ChatError> =>
    Effect.map(instrumentedGenerate(state, call), (result) => result.generations[0].message)

  const invoke = (input: ChatInput, options?: CallOptions): Effect.Effect<AIMessage, ChatError> =>
    Effect.suspend(() => {
      const call = toCall(input, options)
      return Either.isLeft(call) ? Effect.fail(call.left) : invokeCall(call.right)
    })

  const stream = (input: ChatInput, options?: CallOptions): Stream.Stream<AIMessageChunk, ChatError> =>
    Stream.suspend(() => {
      const call = toCall(input, options)
      return Either.isLeft(call) ? Stream.fail(call.left) : instrumentedStream(state, call.right)
    })

  const batchOne = (input: ChatInput, options: BatchOptions | undefined) =>
    Effect.suspend(() => {
      const call = toCall(input, options, newRunId())
      return Either.isLeft(call) ? Effect.fail(call.left) : invokeCall(call.right)
    })

  const batch = (
    inputs: ReadonlyArray<ChatInput>,
    options?: BatchOptions & { readonly returnExceptions?: boolean }
  ): Effect.Effect<ReadonlyArray<unknown>, ChatError> => {
    const concurrency = options?.concurrency ?? defaultConcurrency
    return options?.returnExceptions === true
      ? Effect.forEach(inputs, (input) => Effect.either(batchOne(input, options)), { concurrency })
      : Effect.forEach(inputs, (input) => batchOne(input, options), { concurrency })
  }

  const batchAsCompleted = (inputs: ReadonlyArray<ChatInput>, options?: BatchOptions) =>
    Stream.fromIterable(inputs.entries()).pipe(
      Stream.mapEffect(
        ([index, input]) =>
          Effect.map(Effect.either(batchOne(input, options)), (result) => [index, result] as const),
        { concurrency: options?.concurrency ?? defaultConcurrency, unordered: true }
      )
    )

  const generateMany = (
    conversations: ReadonlyArray<ChatInput>,
    options?: BatchOptions
  ): Effect.Effect<LLMResult, ChatError> =>
    Effect.gen(function* () {
      const calls = conversations.map((conversation) => toCall(conversation, options, newRunId()))
      const outcomes = yield* Effect.forEach(
        calls,
        (call) =>
          Either.isLeft(call)
            ? Effect.succeed(Either.left(call.left))
            : Effect.either(instrumentedGenerate(state, call.right)),
        { concurrency: options?.concurrency ?? defaultConcurrency }
      )
      const results: Array<ChatResult> = []
      for (const outcome of outcomes) {
        if (Either.isLeft(outcome)) return yield* Effect.fail(outcome.left)
        results.push(outcome.right)
      }
      const tokenUsage = sumUsage(results)
      const modelName = results[0]?.generations[0].message.responseMetadata.modelName ?? state.modelName
      return {
        generations: results.map((result) => result.generations),
        llmOutput: tokenUsage === undefined ? { modelName } : { tokenUsage, modelName },
        run: calls.map((call) => ({ runId: Either.isRight(call) ? call.right.runId : newRunId() }))
      }
    })

  const streamEvents = (input: ChatInput, options?: CallOptions): Stream.Stream<ChatModelEvent, ChatError> =>
    Stream.suspend(() => {
      const parsed = toCall(input, options)
      if (Either.isLeft(parsed)) return Stream.fail(parsed.left)
      const call = parsed.right
      const base = {
        runId: call.runId,
        parentIds: [],
        name: call.options.runName ?? state.llmType,
        tags: call.options.tags ?? [],
        metadata: call.options.metadata ?? {}
      }
      let merged = makeChunkUnchecked({ content: "" })
      const start: ChatModelEvent = { ...base, event: "on_chat_model_start", data: { input: call.messages } }
      const chunks = Stream.map(instrumentedStream(state, call), (chunk): ChatModelEvent => {
        merged = concat(merged, chunk)
        return { ...base, event: "on_chat_model_stream", data: { chunk } }
      })
      const end = Stream.suspend(() => {
        const event: ChatModelEvent = {
          ...base,
          event: "on_chat_model_end",
          data: { output: toMessage(merged) }
        }
        return Stream.make(event)
      })
      return Stream.concat(Stream.make(start), Stream.concat(chunks, end))
    })

  const model = Object.create(Proto)
  Object.assign(model, {
    [StateId]: state,
    llmType: state.llmType,
    identifyingParams: state.identifyingParams,
    profile: state.profile,
    invoke,
    stream,
    batch,
    batchAsCompleted,
    generate: (conversations: ReadonlyArray<ReadonlyArray<MessageLike>>, options?: BatchOptions) =>
      generateMany(conversations, options),
    generatePrompt: (prompts: ReadonlyArray<PromptValue>, options?: BatchOptions) =>
      generateMany(prompts, options),
    streamEvents,
    runTools: (input: ChatInput, options: RunToolsOptions<ReadonlyArray<AnyTool>>) => {
      // the options carry `bindTools`' own (`toolChoice`, `parallelToolCalls`, `strict`)
      const bound = build({
        ...state,
        bindings: [...state.bindings, toolBinding(options.tools, options)]
      })
      return runTools((messages, callOptions) => bound.invoke(messages, callOptions), input, options)
    }
  })
  return model
}

export const make = (impl: Impl): Service => {
  const identifyingParams = impl.identifyingParams ?? {}
  const modelName = typeof identifyingParams.model === "string" ? identifyingParams.model : impl.llmType
  return build({
    llmType: impl.llmType,
    identifyingParams,
    profile: ModelProfile.make(impl.profile),
    modelName,
    bindings: [],
    runner: makeRunner(impl, modelName)
  })
}

/** A new service from a model with its state changed. */
export const modify = (model: Service<unknown>, f: (state: State) => State): Service =>
  build(f(stateOf(model)))
