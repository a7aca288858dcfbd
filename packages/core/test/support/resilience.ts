/**
 * What the resilience specifications (WithRetry, WithFallbacks, ExecutionPlan) share:
 * typed provider errors, running an effect past any backoff on the TestClock, reading a
 * stream up to its error, and models that name themselves.
 */
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { result, textOf, toArray } from "../helpers.js"

/** A retryable 500. */
export const serverError = () => new ChatError.ServerError({ message: "server error", status: 500 })
/** A retryable 429, with a retryAfter when given. */
export const rateLimit = (retryAfter?: Duration.DurationInput) =>
  retryAfter === undefined
    ? new ChatError.RateLimitError({ message: "rate limited", status: 429 })
    : new ChatError.RateLimitError({
        message: "rate limited",
        status: 429,
        retryAfter: Duration.decode(retryAfter)
      })
/** A non-retryable 400. */
export const badRequest = () => new ChatError.BadRequestError({ message: "bad request", status: 400 })

/** Runs an effect in a fiber, moves the TestClock far enough for any backoff, and joins it. */
export const settle = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust("10 minutes")
    return yield* Fiber.join(fiber)
  })

/** Collects a stream's chunk texts as they are emitted, then its error (the stream must fail). */
export const streamUntilError = (stream: Stream.Stream<Message.AIMessageChunk, ChatError.ChatError>) =>
  Effect.gen(function* () {
    const seen: Array<string> = []
    const error = yield* Effect.flip(
      settle(Stream.runForEach(stream, (chunk) => Effect.sync(() => seen.push(Message.text(chunk)))))
    )
    return { seen, error }
  })

/** Runs a stream past any backoff and gives the text of its chunks. */
export const collectText = <E>(stream: Stream.Stream<Message.AIMessageChunk, E>) =>
  Effect.map(settle(Stream.runCollect(stream)), (chunks) => textOf(toArray(chunks)))

/**
 * A model built with `ChatModel.make` whose answers carry no modelName, so that the
 * name in the reply is the one the core fills in; fails with `error` when given.
 */
export const named = (model: string, outcome: string | ChatError.ChatError) => {
  let calls = 0
  const service = ChatModel.make({
    llmType: "named",
    identifyingParams: { model },
    generate: () =>
      Effect.suspend(() => {
        calls++
        return typeof outcome === "string" ? Effect.succeed(result(outcome)) : Effect.fail(outcome)
      })
  })
  return {
    service,
    get calls() {
      return calls
    }
  }
}
