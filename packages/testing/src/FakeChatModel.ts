/**
 * Fake chat models for tests (LangChain's `FakeListChatModel`, `GenericFakeChatModel`
 * and `ParrotFakeChatModel`), each a `ChatModel.Service` built with `ChatModel.make`.
 * Every constructor call makes a fresh fake with its own state: the requests it
 * received, the calls it answered, the streams still open. Options script failures
 * ("rate limit, then succeed") and add latency that `TestClock` drives.
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
 *   `"fake-list"`, `"fake-messages"` or `"fake-parrot"`.
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

/** How a fake cuts a finished answer into chunk fields (before the last is decorated). */
type Splitter = (message: Message.AIMessage) => Array<Message.ChunkFields>

interface Config {
  readonly llmType: string
  readonly defaultModel: string
  readonly source: Source
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

  /** Records the request and decides the call's outcome, synchronously (safe under concurrency). */
  const begin = (request: ChatModel.ChatRequest): Plan => {
    requests.push(request)
    const scripted = calls < failures.length ? failures[calls] : undefined
    calls++
    const next = Either.map(config.source.peek(request), (raw) => finish(raw, request, model, usage))
    if (scripted !== undefined) {
      const failure = isFailure(scripted) ? scripted : { error: scripted, afterChunks: 0 }
      const partial = Either.isRight(next) ? next.right : undefined
      return { _tag: "Fail", error: failure.error, partial, afterChunks: failure.afterChunks }
    }
    if (Either.isLeft(next)) return { _tag: "Fail", error: next.left, partial: undefined, afterChunks: 0 }
    config.source.advance()
    return { _tag: "Answer", message: next.right }
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
    Effect.suspend(() => {
      const plan = begin(request)
      return Effect.zipRight(
        latency,
        plan._tag === "Fail"
          ? Effect.fail(plan.error)
          : Effect.succeed<ChatModel.ChatResultInput>({ generations: [{ message: plan.message }] })
      )
    })

  const stream = (
    request: ChatModel.ChatRequest
  ): Stream.Stream<Message.AIMessageChunk, ChatError.ChatError> =>
    Stream.acquireRelease(
      Effect.sync(() => {
        activeStreams++
        return begin(request)
      }),
      () =>
        Effect.sync(() => {
          activeStreams--
        })
    ).pipe(
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
