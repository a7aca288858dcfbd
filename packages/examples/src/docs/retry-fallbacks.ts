/**
 * The examples of docs/chat-model.md, "Retries, fallbacks and execution plans":
 * `ChatModel.withRetry`, `ChatModel.withFallbacks`, `ChatModel.decorate` on a layer, and
 * Effect's `ExecutionPlan` switching between two model layers.
 *
 * The fakes script their failures ("rate limit, then succeed"). Backoff waits are real
 * sleeps here; test/examples.test.ts runs these effects under `TestClock`.
 *
 * Importing this module runs nothing.
 */
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import { Chunk, Duration, Effect, ExecutionPlan, Schedule, Stream } from "effect"

const overloaded = () => new ChatError.ServerError({ message: "overloaded", status: 503 })
const rateLimited = () =>
  new ChatError.RateLimitError({ message: "slow down", retryAfter: Duration.seconds(2) })

/**
 * `withRetry`: retries errors whose `retryable` is true, with exponential backoff and
 * jitter (2 retries by default), waiting at least the `retryAfter` the provider asked for.
 */
export const retry: Effect.Effect<{ readonly text: string; readonly attempts: number }, ChatError.ChatError> =
  Effect.gen(function* () {
    const fake = FakeChatModel.fromResponses(["Third time lucky."], {
      failures: [rateLimited(), overloaded()]
    })
    const model = fake.pipe(ChatModel.withRetry({ maxRetries: 3 }))
    const reply = yield* model.invoke("Hello?")
    return { text: Message.text(reply), attempts: fake.requests.length } // "Third time lucky.", 3
  })

/**
 * A `schedule` replaces the default backoff; `while` narrows which retryable errors are
 * retried (it never widens: a non-retryable error is never retried).
 */
export const customRetry: Effect.Effect<string, ChatError.ChatError> = Effect.gen(function* () {
  const fake = FakeChatModel.fromResponses(["ok"], { failures: [overloaded(), overloaded()] })
  const model = fake.pipe(
    ChatModel.withRetry({
      schedule: Schedule.spaced("100 millis"),
      maxRetries: 5,
      while: (error) => error._tag === "ServerError"
    })
  )
  return Message.text(yield* model.invoke("Hello?"))
})

/**
 * `withFallbacks`: on error the next model takes the same request. The answering model
 * is named in `responseMetadata.modelName`. Combinators compose in any order: here each
 * model is retried once before the next one is tried.
 */
export const fallbacks: Effect.Effect<
  { readonly text: string; readonly modelName: unknown },
  ChatError.ChatError
> = Effect.gen(function* () {
  const primary = FakeChatModel.fromResponses(["from the big model"], {
    model: "big-model",
    failures: [overloaded(), overloaded()]
  })
  const backup = FakeChatModel.fromResponses(["from the small model"], { model: "small-model" })
  const model = primary.pipe(
    ChatModel.withRetry({ maxRetries: 1 }),
    ChatModel.withFallbacks([backup.pipe(ChatModel.withRetry({ maxRetries: 1 }))])
  )
  const reply = yield* model.invoke("Hello?")
  return { text: Message.text(reply), modelName: reply.responseMetadata.modelName } // "from the small model", "small-model"
})

/**
 * `decorate` applies a combinator to the model of a layer, so a program gets retries
 * without changing a line.
 */
export const decorated: Effect.Effect<string, ChatError.ChatError> = ChatModel.invoke("Hello?").pipe(
  Effect.map(Message.text),
  Effect.provide(
    ChatModel.layer(FakeChatModel.fromResponses(["decorated"], { failures: [overloaded()] })).pipe(
      ChatModel.decorate(ChatModel.withRetry())
    )
  )
)

/**
 * Effect's `ExecutionPlan` works with the `ChatModel` tag: try the primary layer twice,
 * then the backup layer. For streams, `preventFallbackOnPartialStream` keeps a stream
 * that already emitted chunks from being continued by another model.
 */
export const executionPlan: Effect.Effect<
  { readonly invoked: string; readonly streamed: string },
  ChatError.ChatError
> = Effect.gen(function* () {
  const down = FakeChatModel.fromResponses(["never"], { failures: Array.from({ length: 10 }, overloaded) })
  const Primary = ChatModel.layer(down)
  const Backup = ChatModel.layer(FakeChatModel.fromResponses(["from the backup layer"]))
  const plan = ExecutionPlan.make(
    { provide: Primary, attempts: 2, schedule: Schedule.spaced("1 second") },
    { provide: Backup }
  )

  const invoked = yield* ChatModel.invoke("Hello?").pipe(Effect.withExecutionPlan(plan))
  const streamed = yield* ChatModel.stream("Hello?").pipe(
    Stream.withExecutionPlan(plan, { preventFallbackOnPartialStream: true }),
    Stream.runCollect
  )
  return {
    invoked: Message.text(invoked), // "from the backup layer"
    streamed: Message.text(Chunk.reduce(streamed, Message.chunk({ content: "" }), Message.concat)) // same
  }
})
