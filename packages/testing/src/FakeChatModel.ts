/**
 * Fake chat models for tests (LangChain's `FakeListChatModel`, `GenericFakeChatModel`
 * and `ParrotFakeChatModel`), each a `ChatModel.Service` built with `ChatModel.make`.
 * Every constructor call makes a fresh fake with its own state: the requests it
 * received, the calls it answered, the streams still open. Options script failures
 * ("rate limit, then succeed") and add latency that `TestClock` drives. `fromHandler`
 * answers from each request, to script a model that calls tools or answers JSON.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect } from "effect"
 *
 * const fake = FakeChatModel.fromResponses(["Hello!", "Bye!"])
 *
 * const program = Effect.gen(function* () {
 *   const first = yield* ChatModel.invoke("hi") // "Hello!"
 *   const second = yield* ChatModel.invoke("bye") // "Bye!"
 *   return [first.content, second.content, fake.requests.length] // ["Hello!", "Bye!", 2]
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(ChatModel.layer(fake))))
 * ```
 *
 * @since 0.1.0
 */

import type { ModelProfile } from "@effect-chat/core"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as Chunk from "effect/Chunk"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

// ---------------------------------------------------------------------------
// public types
// ---------------------------------------------------------------------------

/**
 * A scripted failure with a position: a stream emits `afterChunks` chunks of the answer
 * it would have given, then fails with `error` (to prove a stream is never retried or
 * replaced after its first chunk); `invoke` just fails with `error`.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const cutOff: FakeChatModel.Failure = {
 *   error: new ChatError.TransportError({ message: "connection reset" }),
 *   afterChunks: 3
 * }
 * const fake = FakeChatModel.fromResponses(["hello"], { failures: [cutOff] })
 * ```
 *
 * @since 0.1.0
 */
export interface Failure {
  readonly error: ChatError.ChatError
  readonly afterChunks: number
}

/**
 * Options shared by every fake.
 *
 * - `failures`: scripted per call, in order: entry `k` applies to the `k`-th call (an
 *   `invoke`, a `stream`, a `batch` item, a retry attempt); `undefined` succeeds; once
 *   the list is exhausted every call succeeds. A failed call does not consume an answer.
 * - `latency`: slept (with `Effect.sleep`, so `TestClock.adjust` drives it) before the
 *   answer or the error of every call, and before the first chunk of a stream.
 * - `chunkLatency`: slept between streamed chunks; each chunk is then emitted on its own
 *   (without it, a stream emits all its chunks as one Stream chunk).
 * - `usage`: report `usageMetadata` (default `true`): `inputTokens` is the number of
 *   whitespace-separated words in the texts of all request messages, `outputTokens` the
 *   words of the answer's text, `totalTokens` their sum. In a stream only the last chunk
 *   carries usage, so the merged stream reports what `invoke` reports.
 * - `profile`: the model's capabilities (conservative defaults for what is left out).
 * - `model`: `identifyingParams.model` and `responseMetadata.modelName`; defaults to
 *   `"fake-list"`, `"fake-messages"`, `"fake-parrot"` or `"fake-handler"`.
 *
 * @example
 * ```ts
 * import { ChatError } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const options: FakeChatModel.Options = {
 *   failures: [new ChatError.RateLimitError({ message: "429" }), undefined],
 *   latency: "200 millis",
 *   chunkLatency: "10 millis",
 *   profile: { toolCalling: true },
 *   model: "fake-gpt"
 * }
 * const fake = FakeChatModel.fromResponses(["ok"], options)
 * ```
 *
 * @since 0.1.0
 */
export interface Options {
  readonly failures?: ReadonlyArray<ChatError.ChatError | Failure | undefined>
  readonly latency?: Duration.DurationInput
  readonly chunkLatency?: Duration.DurationInput
  readonly usage?: boolean
  readonly profile?: Partial<ModelProfile.ModelProfile>
  readonly model?: string
}

/**
 * A fake chat model: a `ChatModel.Service` that also shows what it received.
 * `requests` lists every request in order (a live view); `activeStreams` counts the
 * streams started whose finalizer has not run yet (0 again after an interruption proves
 * the provider's stream was closed).
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect } from "effect"
 *
 * const fake: FakeChatModel.Fake = FakeChatModel.parrot()
 *
 * const program = Effect.gen(function* () {
 *   yield* fake.invoke("echo me", { tags: ["test"] })
 *   const [request] = fake.requests
 *   return [Message.text(request.messages[0]), request.tags, fake.activeStreams] // ["echo me", ["test"], 0]
 * })
 * ```
 *
 * @since 0.1.0
 */
export interface Fake extends ChatModel.Service {
  readonly requests: ReadonlyArray<ChatModel.ChatRequest>
  readonly activeStreams: number
}

// ---------------------------------------------------------------------------
// answers and how they stream
// ---------------------------------------------------------------------------

/** Where a fake's answers come from: `peek` looks at the next one, `advance` takes it. */
interface Source {
  readonly peek: (request: ChatModel.ChatRequest) => Either.Either<Message.AIMessage, ChatError.ChatError>
  readonly advance: () => void
}

/** Answers computed by an effect from the request (a handler), run only when a call needs its answer. */
interface Responder {
  readonly respond: (request: ChatModel.ChatRequest) => Effect.Effect<Message.AIMessage, ChatError.ChatError>
}

/** How a fake cuts a finished answer into chunk fields (before the last is decorated). */
type Splitter = (message: Message.AIMessage) => Array<Message.ChunkFields>

interface Config {
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

type Writable<T> = { -readonly [K in keyof T]: T[K] }

const argsPieceLength = 5

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

/** One chunk per character (code point) of the text. */
const splitCharacters: Splitter = (message) =>
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
const splitWords: Splitter = (message) => {
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
const chunksOf = (
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

// ---------------------------------------------------------------------------
// the fake
// ---------------------------------------------------------------------------

const isFailure = (entry: ChatError.ChatError | Failure): entry is Failure => !ChatError.isChatError(entry)

const emit = (
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

/** Gives `target` read-only properties computed on every read (a live view of the fake's state). */
function defineGetters<T extends object, G extends object>(
  target: T,
  getters: { readonly [K in keyof G]: () => G[K] }
): asserts target is T & Readonly<G> {
  for (const key in getters) Object.defineProperty(target, key, { get: getters[key], enumerable: true })
}

const makeFake = (config: Config, options: Options = {}): Fake => {
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

const noMoreAnswers = (message: string): ChatError.ChatError =>
  new ChatError.ServerError({ message, retryable: false })

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/**
 * LangChain's `FakeListChatModel`: each call answers the next response, cycling through
 * the list; a stream emits one chunk per character. An empty list fails every call with
 * a `ServerError` (not retryable).
 *
 * @example
 * ```ts
 * import { ChatModel, Message } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect, Stream } from "effect"
 *
 * const fake = FakeChatModel.fromResponses(["abc", "def"])
 *
 * const program = Effect.gen(function* () {
 *   const reply = yield* fake.invoke("hi") // "abc"
 *   const chunks = yield* Stream.runCollect(fake.stream("hi")) // "d", "e", "f"
 *   return [reply.content, [...chunks].map(Message.text)]
 * })
 * ```
 *
 * @since 0.1.0
 */
export const fromResponses = (responses: ReadonlyArray<string>, options?: Options): Fake => {
  const list = [...responses]
  let next = 0
  return makeFake(
    {
      llmType: "fake-list-chat-model",
      defaultModel: "fake-list",
      split: splitCharacters,
      source: {
        peek: () =>
          list.length === 0
            ? Either.left(noMoreAnswers("FakeChatModel.fromResponses: the list of responses is empty"))
            : Either.right(Message.ai(list[next % list.length]!)),
        advance: () => {
          next = (next + 1) % Math.max(1, list.length)
        }
      }
    },
    options
  )
}

/**
 * LangChain's `GenericFakeChatModel`: each call takes the next message from the iterable
 * (read lazily, so a generator works), and fails with a `ServerError` (not retryable,
 * message `"FakeChatModel.fromMessages: no more messages"`) once it is exhausted.
 * A stream emits string content split on whitespace keeping the whitespace, array
 * content block by block (with `index`), then each tool call as deltas: first
 * `{ index, id, name, args: "" }`, then the args JSON a few characters at a time. The
 * merged stream equals what `invoke` answers (array content blocks carry their `index`
 * in both). A message's own `usageMetadata` and `responseMetadata` are kept.
 *
 * @example
 * ```ts
 * import { Message } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 *
 * const fake = FakeChatModel.fromMessages([
 *   Message.ai({ content: "", toolCalls: [{ id: "call_1", name: "weather", args: { city: "Paris" } }] }),
 *   "It is sunny in Paris."
 * ])
 * ```
 *
 * @since 0.1.0
 */
export const fromMessages = (messages: Iterable<Message.AIMessage | string>, options?: Options): Fake => {
  const iterator = messages[Symbol.iterator]()
  let buffered: Message.AIMessage | undefined
  let exhausted = false
  return makeFake(
    {
      llmType: "generic-fake-chat-model",
      defaultModel: "fake-messages",
      split: splitWords,
      source: {
        peek: () => {
          if (buffered === undefined && !exhausted) {
            const result = iterator.next()
            if (result.done === true) exhausted = true
            else buffered = typeof result.value === "string" ? Message.ai(result.value) : result.value
          }
          return buffered === undefined
            ? Either.left(noMoreAnswers("FakeChatModel.fromMessages: no more messages"))
            : Either.right(buffered)
        },
        advance: () => {
          buffered = undefined
        }
      }
    },
    options
  )
}

/**
 * LangChain's `ParrotFakeChatModel`: answers the text of the last request message, and
 * streams it character by character.
 *
 * @example
 * ```ts
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect } from "effect"
 *
 * const fake = FakeChatModel.parrot()
 * const reply = Effect.map(fake.invoke([["system", "be brief"], ["user", "polly"]]), (message) => message.content) // "polly"
 * ```
 *
 * @since 0.1.0
 */
export const parrot = (options?: Options): Fake =>
  makeFake(
    {
      llmType: "parrot-fake-chat-model",
      defaultModel: "fake-parrot",
      split: splitCharacters,
      source: {
        peek: (request) => {
          const last = request.messages.at(-1)
          return Either.right(Message.ai(last === undefined ? "" : Message.text(last)))
        },
        advance: () => {}
      }
    },
    options
  )

/**
 * What `fromHandler` calls for each request: it answers with a message, a text (an AI
 * message with that content), or an effect of either that may fail with a `ChatError`.
 *
 * @example
 * ```ts
 * import { ChatError, Message } from "@effect-chat/core"
 * import type { FakeChatModel } from "@effect-chat/testing"
 * import { Effect } from "effect"
 *
 * const handler: FakeChatModel.Handler = (request) =>
 *   request.messages.length > 10
 *     ? Effect.fail(new ChatError.ContextLengthExceededError({ message: "too long" }))
 *     : Message.ai(`You sent ${request.messages.length} messages.`)
 * ```
 *
 * @since 0.1.0
 */
export type Handler = (
  request: ChatModel.ChatRequest
) => Message.AIMessage | string | Effect.Effect<Message.AIMessage | string, ChatError.ChatError>

const toAIMessage = (answer: Message.AIMessage | string): Message.AIMessage =>
  typeof answer === "string" ? Message.ai(answer) : answer

/**
 * A programmable fake: each call answers what `handler` returns for the request (its
 * messages, bound `tools`, `toolChoice`, `responseFormat`, …), so a test can script a
 * model that behaves like a real one: call the tool it is asked to call, answer JSON
 * matching a requested schema, answer text after tool results. An effect returned by
 * the handler runs for each call (its failure is the call's failure); a handler that
 * throws is a defect.
 *
 * It streams like `fromMessages`: string content split on whitespace keeping the
 * whitespace, array content block by block (with `index`), then each tool call as
 * deltas (`{ index, id, name, args: "" }`, then the args JSON a few characters at a
 * time); the merged stream equals what `invoke` answers. The options are those of every
 * fake: scripted failures (a call failed by the script does not run the handler, except
 * a stream scripted to fail after some chunks of its answer), latency, usage, profile
 * and model (default `"fake-handler"`); `requests` and `activeStreams` show what it
 * received.
 *
 * @example
 * ```ts
 * import { Message, Tool } from "@effect-chat/core"
 * import { FakeChatModel } from "@effect-chat/testing"
 * import { Effect, Schema, Stream } from "effect"
 *
 * const fake = FakeChatModel.fromHandler(
 *   (request) =>
 *     request.messages.at(-1)?._tag === "ToolMessage"
 *       ? "It is sunny in Paris."
 *       : Message.ai({ content: "", toolCalls: [{ id: "call_1", name: "weather", args: { city: "Paris" } }] }),
 *   { profile: { toolCalling: true } }
 * )
 * const weather = Tool.make("weather", {
 *   description: "The current weather in a city",
 *   parameters: Schema.Struct({ city: Schema.String }),
 *   handler: () => Effect.succeed("sunny")
 * })
 * // the AI message with the call, its tool message ("sunny"), then "It is sunny in Paris."
 * const transcript = Stream.runCollect(fake.runTools("Weather in Paris?", { tools: [weather] }))
 * ```
 *
 * @since 0.1.0
 */
export const fromHandler = (handler: Handler, options?: Options): Fake =>
  makeFake(
    {
      llmType: "handler-fake-chat-model",
      defaultModel: "fake-handler",
      split: splitWords,
      source: {
        respond: (request) =>
          Effect.suspend(() => {
            const answer = handler(request)
            return Effect.isEffect(answer)
              ? Effect.map(answer, toAIMessage)
              : Effect.succeed(toAIMessage(answer))
          })
      }
    },
    options
  )
