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
import { type ChatError, type ChatModel, Message } from "@effect-chat/core"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as chunks from "./internal/fake/chunks.js"
import * as engine from "./internal/fake/engine.js"

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
  return engine.makeFake(
    {
      llmType: "fake-list-chat-model",
      defaultModel: "fake-list",
      split: chunks.splitCharacters,
      source: {
        peek: () =>
          list.length === 0
            ? Either.left(engine.noMoreAnswers("FakeChatModel.fromResponses: the list of responses is empty"))
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
  return engine.makeFake(
    {
      llmType: "generic-fake-chat-model",
      defaultModel: "fake-messages",
      split: chunks.splitWords,
      source: {
        peek: () => {
          if (buffered === undefined && !exhausted) {
            const result = iterator.next()
            if (result.done === true) exhausted = true
            else buffered = typeof result.value === "string" ? Message.ai(result.value) : result.value
          }
          return buffered === undefined
            ? Either.left(engine.noMoreAnswers("FakeChatModel.fromMessages: no more messages"))
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
  engine.makeFake(
    {
      llmType: "parrot-fake-chat-model",
      defaultModel: "fake-parrot",
      split: chunks.splitCharacters,
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
  engine.makeFake(
    {
      llmType: "handler-fake-chat-model",
      defaultModel: "fake-handler",
      split: chunks.splitWords,
      source: {
        respond: (request) =>
          Effect.suspend(() => {
            const answer = handler(request)
            return Effect.isEffect(answer)
              ? Effect.map(answer, engine.toAIMessage)
              : Effect.succeed(engine.toAIMessage(answer))
          })
      }
    },
    options
  )
