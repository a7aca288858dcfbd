/**
 * The examples of docs/chat-model.md, "Using a model": every method of the service and
 * the call options.
 *
 * Importing this module runs nothing; each exported effect is run by
 * test/examples.test.ts.
 */
import { type ChatError, ChatModel, Message, PromptValue } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Chunk, Duration, Effect, Either, Layer, Ref, Stream } from "effect"

/**
 * The model of these examples: a parrot (it answers the last message's text) that takes
 * 10 ms per call. `Layer.sync` makes a fresh fake each time the layer is built.
 */
export const ModelLive: Layer.Layer<ChatModel.ChatModel> = Layer.sync(ChatModel.ChatModel, () =>
  FakeChatModel.parrot({ latency: "10 millis" })
)

/**
 * `invoke`: one call. Input may be a string, a `PromptValue`, or a list of messages in
 * any accepted form.
 */
export const invoke: Effect.Effect<
  ReadonlyArray<string>,
  ChatError.ChatError,
  ChatModel.ChatModel
> = Effect.gen(function* () {
  const a = yield* ChatModel.invoke("Hello")
  const b = yield* ChatModel.invoke([Message.system("Be brief."), Message.human("Hi there")])
  const c = yield* ChatModel.invoke([
    ["system", "Be brief."],
    { role: "user", content: "OpenAI-style works too" }
  ])
  const d = yield* ChatModel.invoke(PromptValue.fromString("From a prompt value"))
  return [a, b, c, d].map(Message.text) // ["Hello", "Hi there", "OpenAI-style works too", "From a prompt value"]
})

/** `stream`: chunks as they arrive; the final chunk has `last: true`. */
export const stream: Effect.Effect<
  { readonly pieces: number; readonly text: string; readonly lastMarked: boolean },
  ChatError.ChatError,
  ChatModel.ChatModel
> = Effect.gen(function* () {
  const chunks = yield* Stream.runCollect(ChatModel.stream("streaming"))
  const merged = Chunk.reduce(chunks, Message.chunk({ content: "" }), Message.concat)
  return {
    pieces: Chunk.size(chunks),
    text: Message.text(merged), // "streaming"
    lastMarked: Chunk.unsafeLast(chunks).last === true // true
  }
})

/**
 * `batch`: several inputs, `concurrency` at a time (default 8), answers in input order.
 * With `returnExceptions: true` each answer is an `Either` and the batch never fails.
 */
export const batch: Effect.Effect<
  { readonly answers: ReadonlyArray<string>; readonly outcomes: ReadonlyArray<string> },
  ChatError.ChatError,
  ChatModel.ChatModel
> = Effect.gen(function* () {
  const answers = yield* ChatModel.batch(["one", "two", "three"], { concurrency: 2 })
  const outcomes = yield* ChatModel.batch(["fine", []], { returnExceptions: true })
  return {
    answers: answers.map(Message.text), // ["one", "two", "three"]
    outcomes: outcomes.map(
      Either.match({ onLeft: (error) => error._tag, onRight: (message) => Message.text(message) })
    ) // ["fine", "InvalidInputError"]: an empty conversation is invalid input
  }
})

/**
 * A model that takes longer for longer inputs (10 ms a character), built with
 * `ChatModel.make`, to show `batchAsCompleted` yielding in completion order.
 */
const slowForLongInputs: ChatModel.Service = ChatModel.make({
  llmType: "slow-for-long-inputs",
  generate: (request) => {
    const text = Message.text(request.messages.at(-1)!)
    return Effect.as(Effect.sleep(Duration.millis(10 * text.length)), {
      generations: [{ message: { content: text } }]
    })
  }
})

/** `batchAsCompleted`: `[index, Either]` pairs in completion order. */
export const batchAsCompleted: Effect.Effect<ReadonlyArray<string>> = slowForLongInputs
  .batchAsCompleted(["a long, slow question", "short", "medium one"])
  .pipe(
    Stream.map(
      ([index, result]) =>
        `${index}: ${Either.isRight(result) ? Message.text(result.right) : result.left._tag}`
    ),
    Stream.runCollect,
    Effect.map(Chunk.toReadonlyArray)
  ) // ["1: short", "2: medium one", "0: a long, slow question"]

/**
 * `generate`: several conversations to an `LLMResult` (one list of generations per
 * conversation, summed token usage, one run per conversation).
 */
export const generate: Effect.Effect<
  { readonly texts: ReadonlyArray<string>; readonly totalTokens: number | undefined; readonly runs: number },
  ChatError.ChatError,
  ChatModel.ChatModel
> = Effect.gen(function* () {
  const result = yield* ChatModel.generate([
    [["user", "first conversation"]],
    [["user", "second conversation"]]
  ])
  return {
    texts: result.generations.map((generations) => generations[0]!.text), // ["first conversation", "second conversation"]
    totalTokens: result.llmOutput?.tokenUsage?.totalTokens, // 8
    runs: result.run.length // 2
  }
})

/** `streamEvents`: start, one event per chunk, end (with the whole message). */
export const streamEvents: Effect.Effect<
  ReadonlyArray<string>,
  ChatError.ChatError,
  ChatModel.ChatModel
> = ChatModel.streamEvents("hey", { runName: "greeting" }).pipe(
  Stream.map((event) => event.event),
  Stream.runCollect,
  Effect.map(Chunk.toReadonlyArray)
) // ["on_chat_model_start", "on_chat_model_stream", ..., "on_chat_model_end"]

/**
 * Call options: `runId` (message ids default to `run-<runId>`), `tags`, `metadata`,
 * `timeout` (per attempt), `stop` and `callbacks`.
 */
export const callOptions: Effect.Effect<
  { readonly id: string | undefined; readonly text: string; readonly log: ReadonlyArray<string> },
  ChatError.ChatError,
  ChatModel.ChatModel
> = Effect.gen(function* () {
  const log = yield* Ref.make<ReadonlyArray<string>>([])
  const record = (line: string) => Ref.update(log, (lines) => [...lines, line])
  const callbacks: ChatModel.Callbacks = {
    onStart: ({ runId }) => record(`start ${runId}`),
    onToken: ({ token }) => record(`token ${token}`),
    onEnd: ({ result }) => record(`end ${result.generations[0].text}`),
    onError: ({ error }) => record(`error ${error._tag}`)
  }
  const reply = yield* ChatModel.invoke("Hello world. Goodbye.", {
    runId: "3f1c2a9e-0000-4000-8000-000000000001",
    tags: ["docs"],
    metadata: { user: "ada" },
    timeout: "30 seconds",
    stop: [". "],
    callbacks
  })
  return { id: reply.id, text: Message.text(reply), log: yield* Ref.get(log) }
  // id: "run-3f1c2a9e-0000-4000-8000-000000000001", text: "Hello world", log: ["start 3f1c…", "end Hello world"]
})

/**
 * Callbacks for every call of a program come from a layer.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ModelLive, withProgramCallbacks } from "./using-a-model.js"
 *
 * Effect.runPromise(withProgramCallbacks.pipe(Effect.provide(ModelLive)))
 * ```
 */
export const withProgramCallbacks: Effect.Effect<
  ReadonlyArray<string>,
  ChatError.ChatError,
  ChatModel.ChatModel
> = Effect.gen(function* () {
  const ended = yield* Ref.make<ReadonlyArray<string>>([])
  const Logging = ChatModel.layerCallbacks({
    onEnd: ({ runName, result }) =>
      Ref.update(ended, (names) => [...names, `${runName}: ${result.generations[0].text}`])
  })
  yield* ChatModel.invoke("first", { runName: "one" }).pipe(Effect.provide(Logging))
  yield* Stream.runDrain(ChatModel.stream("second", { runName: "two" })).pipe(Effect.provide(Logging))
  return yield* Ref.get(ended) // ["one: first", "two: second"]
})
