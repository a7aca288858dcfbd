import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ExecutionPlan from "effect/ExecutionPlan"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { result, textOf, toArray } from "./helpers.js"

const serverError = () => new ChatError.ServerError({ message: "server error", status: 500 })
const rateLimit = (retryAfter?: Duration.DurationInput) =>
  retryAfter === undefined
    ? new ChatError.RateLimitError({ message: "rate limited", status: 429 })
    : new ChatError.RateLimitError({
        message: "rate limited",
        status: 429,
        retryAfter: Duration.decode(retryAfter)
      })
const badRequest = () => new ChatError.BadRequestError({ message: "bad request", status: 400 })

/** Runs an effect in a fiber, moves the TestClock far enough for any backoff, and joins it. */
const settle = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust("10 minutes")
    return yield* Fiber.join(fiber)
  })

/** Collects a stream's chunk texts as they are emitted, then its error (the stream must fail). */
const streamUntilError = (stream: Stream.Stream<Message.AIMessageChunk, ChatError.ChatError>) =>
  Effect.gen(function* () {
    const seen: Array<string> = []
    const error = yield* Effect.flip(
      settle(Stream.runForEach(stream, (chunk) => Effect.sync(() => seen.push(Message.text(chunk)))))
    )
    return { seen, error }
  })

const collectText = <E>(stream: Stream.Stream<Message.AIMessageChunk, E>) =>
  Effect.map(settle(Stream.runCollect(stream)), (chunks) => textOf(toArray(chunks)))

/**
 * A model built with `ChatModel.make` whose answers carry no modelName, so that the
 * name in the reply is the one the core fills in; fails with `error` when given.
 */
const named = (model: string, outcome: string | ChatError.ChatError) => {
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

// ---------------------------------------------------------------------------
// withRetry
// ---------------------------------------------------------------------------

describe("withRetry", () => {
  it.effect("retries retryable errors until the model answers", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [serverError(), rateLimit()] })
      const reply = yield* settle(fake.pipe(ChatModel.withRetry()).invoke("hi"))
      expect(reply.content).toBe("ok")
      expect(fake.requests).toHaveLength(3)
    })
  )

  it.effect("fails at once on a non-retryable error", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [badRequest()] })
      const error = yield* Effect.flip(settle(fake.pipe(ChatModel.withRetry({ maxRetries: 5 })).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
      expect(fake.requests).toHaveLength(1)
    })
  )

  it.effect("does not retry a rate limit constructed as not retryable (an exhausted quota)", () =>
    Effect.gen(function* () {
      const quota = new ChatError.RateLimitError({ message: "quota exhausted", retryable: false })
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [quota] })
      const error = yield* Effect.flip(settle(fake.pipe(ChatModel.withRetry()).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.RateLimitError)
      expect(error.message).toBe("quota exhausted")
      expect(fake.requests).toHaveLength(1)
    })
  )

  it.effect("retries twice by default: three attempts, then the last error", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], {
        failures: [serverError(), serverError(), serverError(), serverError()]
      })
      const error = yield* Effect.flip(settle(fake.pipe(ChatModel.withRetry()).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(fake.requests).toHaveLength(3)
    })
  )

  it.effect("maxRetries sets the number of retries", () =>
    Effect.gen(function* () {
      const failures = Array.from({ length: 10 }, serverError)
      const four = FakeChatModel.fromResponses(["ok"], { failures })
      yield* Effect.flip(settle(four.pipe(ChatModel.withRetry({ maxRetries: 4 })).invoke("hi")))
      expect(four.requests).toHaveLength(5)
      const none = FakeChatModel.fromResponses(["ok"], { failures })
      yield* Effect.flip(settle(none.pipe(ChatModel.withRetry({ maxRetries: 0 })).invoke("hi")))
      expect(none.requests).toHaveLength(1)
    })
  )

  it.effect("while narrows the retried errors", () =>
    Effect.gen(function* () {
      const onlyRateLimits = ChatModel.withRetry({ while: (error) => error._tag === "RateLimitError" })
      const server = FakeChatModel.fromResponses(["ok"], { failures: [serverError()] })
      const error = yield* Effect.flip(settle(server.pipe(onlyRateLimits).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(server.requests).toHaveLength(1)
      const limited = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit()] })
      const reply = yield* settle(limited.pipe(onlyRateLimits).invoke("hi"))
      expect(reply.content).toBe("ok")
      expect(limited.requests).toHaveLength(2)
    })
  )

  it.effect("while never widens the retried errors to non-retryable ones", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [badRequest()] })
      const error = yield* Effect.flip(
        settle(fake.pipe(ChatModel.withRetry({ while: () => true })).invoke("hi"))
      )
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
      expect(fake.requests).toHaveLength(1)
    })
  )

  it.effect("waits a backoff between attempts", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [serverError()] })
      const fiber = yield* Effect.fork(fake.pipe(ChatModel.withRetry()).invoke("hi"))
      yield* TestClock.adjust("0 millis")
      expect(fake.requests).toHaveLength(1)
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(fiber)).content).toBe("ok")
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("a custom schedule replaces the default backoff", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [serverError(), serverError()] })
      const model = fake.pipe(ChatModel.withRetry({ schedule: Schedule.spaced("10 seconds") }))
      const fiber = yield* Effect.fork(model.invoke("hi"))
      // the default backoff would have retried within a second
      yield* TestClock.adjust("9 seconds")
      expect(fake.requests).toHaveLength(1)
      yield* TestClock.adjust("1 second")
      expect(fake.requests).toHaveLength(2)
      yield* TestClock.adjust("10 seconds")
      expect((yield* Fiber.join(fiber)).content).toBe("ok")
      expect(fake.requests).toHaveLength(3)
    })
  )

  it.effect("a custom schedule is not capped at the default two retries when maxRetries is absent", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: Array.from({ length: 5 }, serverError) })
      const reply = yield* settle(
        fake.pipe(ChatModel.withRetry({ schedule: Schedule.recurs(5) })).invoke("hi")
      )
      expect(reply.content).toBe("ok")
      expect(fake.requests).toHaveLength(6)
    })
  )

  it.effect("maxRetries caps a custom schedule when given", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: Array.from({ length: 5 }, serverError) })
      const model = fake.pipe(ChatModel.withRetry({ schedule: Schedule.recurs(5), maxRetries: 1 }))
      const error = yield* Effect.flip(settle(model.invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("waits at least the retryAfter of a RateLimitError", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit("5 seconds")] })
      const fiber = yield* Effect.fork(fake.pipe(ChatModel.withRetry()).invoke("hi"))
      yield* TestClock.adjust("4999 millis")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      expect(fake.requests).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      const reply = yield* Fiber.join(fiber)
      expect(reply.content).toBe("ok")
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("waits the retryAfter of a RateLimitError even with a custom schedule without delays", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [rateLimit("30 seconds")] })
      const model = fake.pipe(ChatModel.withRetry({ schedule: Schedule.recurs(3) }))
      const fiber = yield* Effect.fork(model.invoke("hi"))
      yield* TestClock.adjust("29 seconds")
      expect(fake.requests).toHaveLength(1)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).content).toBe("ok")
    })
  )

  it.effect("applies the timeout option to each attempt, so a timed-out attempt is retried", () =>
    Effect.gen(function* () {
      let attempts = 0
      const model = ChatModel.make({
        llmType: "slow-then-fast",
        generate: () =>
          Effect.suspend(() => {
            attempts++
            return Effect.delay(Effect.succeed(result("ok")), attempts === 1 ? "1 minute" : "500 millis")
          })
      }).pipe(ChatModel.withRetry({ schedule: Schedule.recurs(1) }))
      const fiber = yield* Effect.fork(model.invoke("hi", { timeout: "1 second" }))
      yield* TestClock.adjust("1 second")
      expect(attempts).toBe(2)
      yield* TestClock.adjust("500 millis")
      expect((yield* Fiber.join(fiber)).content).toBe("ok")
    })
  )

  it.effect("retries a stream that fails before its first chunk", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello"], {
        failures: [serverError(), { error: rateLimit(), afterChunks: 0 }]
      })
      const text = yield* collectText(fake.pipe(ChatModel.withRetry()).stream("hi"))
      expect(text).toBe("hello")
      expect(fake.requests).toHaveLength(3)
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect(
    "does not retry a stream after a chunk was emitted: the error surfaces and no token is seen twice",
    () =>
      Effect.gen(function* () {
        const fake = FakeChatModel.fromResponses(["hello"], {
          failures: [{ error: new ChatError.TransportError({ message: "connection reset" }), afterChunks: 2 }]
        })
        const { seen, error } = yield* streamUntilError(
          fake.pipe(ChatModel.withRetry({ maxRetries: 3 })).stream("hi")
        )
        expect(error).toBeInstanceOf(ChatError.TransportError)
        expect(seen).toEqual(["h", "e"])
        expect(fake.requests).toHaveLength(1)
      })
  )

  it.effect("a stream failing with a non-retryable error before its first chunk is not retried", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello"], { failures: [badRequest()] })
      const { seen, error } = yield* streamUntilError(fake.pipe(ChatModel.withRetry()).stream("hi"))
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
      expect(seen).toEqual([])
      expect(fake.requests).toHaveLength(1)
    })
  )

  it.effect("a retried stream still ends with exactly one chunk marked last", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["abc"], { failures: [serverError()] })
      const chunks = toArray(yield* settle(Stream.runCollect(fake.pipe(ChatModel.withRetry()).stream("hi"))))
      expect(textOf(chunks)).toBe("abc")
      expect(chunks.filter((chunk) => chunk.last === true)).toHaveLength(1)
      expect(chunks.at(-1)!.last).toBe(true)
    })
  )

  it.effect(
    "applies the timeout option to each attempt of a stream, so a stream slow to start is retried",
    () =>
      Effect.gen(function* () {
        let attempts = 0
        const model = ChatModel.make({
          llmType: "slow-then-fast",
          stream: () =>
            Stream.suspend(() => {
              attempts++
              const delay = attempts === 1 ? "1 minute" : "500 millis"
              return Stream.fromEffect(Effect.delay(Effect.succeed(Message.chunk({ content: "ok" })), delay))
            })
        }).pipe(ChatModel.withRetry({ schedule: Schedule.recurs(1) }))
        const fiber = yield* Effect.fork(Stream.runCollect(model.stream("hi", { timeout: "1 second" })))
        yield* TestClock.adjust("1 second")
        expect(attempts).toBe(2)
        yield* TestClock.adjust("500 millis")
        expect(textOf(toArray(yield* Fiber.join(fiber)))).toBe("ok")
      })
  )

  it.effect("interrupting a retried stream closes the provider's stream", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["hello world"], {
        failures: [serverError()],
        chunkLatency: "1 second"
      })
      const seen: Array<string> = []
      const fiber = yield* Effect.fork(
        Stream.runForEach(fake.pipe(ChatModel.withRetry()).stream("hi"), (chunk) =>
          Effect.sync(() => seen.push(Message.text(chunk)))
        )
      )
      yield* TestClock.adjust("5 seconds")
      expect(fake.requests).toHaveLength(2)
      expect(seen.length).toBeGreaterThan(0)
      expect(fake.activeStreams).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(fake.activeStreams).toBe(0)
    })
  )

  it.effect("has a data-first form", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { failures: [serverError(), serverError()] })
      const error = yield* Effect.flip(settle(ChatModel.withRetry(fake, { maxRetries: 1 }).invoke("hi")))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(fake.requests).toHaveLength(2)
    })
  )

  it.effect("retries each input of a batch on its own", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.parrot({ failures: [serverError(), undefined, serverError()] })
      const replies = yield* settle(fake.pipe(ChatModel.withRetry()).batch(["a", "b"], { concurrency: 1 }))
      expect(replies.map((reply) => reply.content)).toEqual(["a", "b"])
      expect(fake.requests).toHaveLength(4)
    })
  )

  it("keeps the model's llmType, identifyingParams and profile", () => {
    const fake = FakeChatModel.fromResponses(["ok"], { model: "fake-gpt" })
    const retried = fake.pipe(ChatModel.withRetry())
    expect(ChatModel.isChatModel(retried)).toBe(true)
    expect(retried.llmType).toBe(fake.llmType)
    expect(retried.identifyingParams).toEqual({ model: "fake-gpt" })
    expect(retried.profile).toEqual(fake.profile)
  })
})

// ---------------------------------------------------------------------------
// withFallbacks
// ---------------------------------------------------------------------------

describe("withFallbacks", () => {
  it.effect("the next model takes the same request when the first fails", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], {
        failures: [serverError()],
        model: "primary"
      })
      const backup = FakeChatModel.fromResponses(["backup"], { model: "backup" })
      const reply = yield* primary.pipe(ChatModel.withFallbacks([backup])).invoke([
        ["system", "terse"],
        ["user", "q"]
      ])
      expect(reply.content).toBe("backup")
      expect(primary.requests).toHaveLength(1)
      expect(backup.requests).toHaveLength(1)
      expect(backup.requests[0]!.messages.map((message) => Message.text(message))).toEqual(["terse", "q"])
      expect(backup.requests[0]!.runId).toBe(primary.requests[0]!.runId)
    })
  )

  it.effect("does not call the fallback when the first model answers", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"])
      const backup = FakeChatModel.fromResponses(["backup"])
      const reply = yield* primary.pipe(ChatModel.withFallbacks([backup])).invoke("q")
      expect(reply.content).toBe("primary")
      expect(backup.requests).toHaveLength(0)
    })
  )

  it.effect("names the answering model in responseMetadata.modelName", () =>
    Effect.gen(function* () {
      const primary = named("primary-model", serverError())
      const backup = named("backup-model", "from backup")
      const reply = yield* primary.service.pipe(ChatModel.withFallbacks([backup.service])).invoke("q")
      expect(reply.content).toBe("from backup")
      expect(reply.responseMetadata.modelName).toBe("backup-model")
      const direct = yield* named("primary-model", "from primary")
        .service.pipe(ChatModel.withFallbacks([backup.service]))
        .invoke("q")
      expect(direct.responseMetadata.modelName).toBe("primary-model")
    })
  )

  it.effect("names the answering model in the chunks of a stream that fell back", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["p"], {
        failures: [serverError()],
        model: "primary-model"
      })
      const backup = ChatModel.make({
        llmType: "streaming",
        identifyingParams: { model: "backup-model" },
        stream: () => Stream.make(Message.chunk({ content: "b" }))
      })
      const chunks = toArray(
        yield* Stream.runCollect(primary.pipe(ChatModel.withFallbacks([backup])).stream("q"))
      )
      expect(textOf(chunks)).toBe("b")
      expect(Message.toMessage(chunks.reduce(Message.concat)).responseMetadata.modelName).toBe("backup-model")
    })
  )

  it.effect("tries the fallbacks in order until one answers", () =>
    Effect.gen(function* () {
      const primary = named("a", serverError())
      const second = named("b", rateLimit())
      const third = named("c", "from c")
      const fourth = named("d", "from d")
      const reply = yield* primary.service
        .pipe(ChatModel.withFallbacks([second.service, third.service, fourth.service]))
        .invoke("q")
      expect(reply.content).toBe("from c")
      expect([primary.calls, second.calls, third.calls, fourth.calls]).toEqual([1, 1, 1, 0])
    })
  )

  it.effect("fails with the last model's error when every model fails", () =>
    Effect.gen(function* () {
      const primary = named("a", serverError())
      const backup = named("b", new ChatError.AuthenticationError({ message: "bad key" }))
      const error = yield* Effect.flip(
        primary.service.pipe(ChatModel.withFallbacks([backup.service])).invoke("q")
      )
      expect(error).toBeInstanceOf(ChatError.AuthenticationError)
      expect([primary.calls, backup.calls]).toEqual([1, 1])
    })
  )

  it.effect("falls back only on the errors `when` accepts", () =>
    Effect.gen(function* () {
      const onRateLimit = (backup: ChatModel.Service) =>
        ChatModel.withFallbacks([backup], { when: (error) => error._tag === "RateLimitError" })
      const server = named("a", serverError())
      const backup = named("b", "from b")
      const error = yield* Effect.flip(server.service.pipe(onRateLimit(backup.service)).invoke("q"))
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(backup.calls).toBe(0)
      const limited = named("a", rateLimit())
      const reply = yield* limited.service.pipe(onRateLimit(backup.service)).invoke("q")
      expect(reply.content).toBe("from b")
      expect(backup.calls).toBe(1)
    })
  )

  it.effect("falls back on non-retryable errors too, by default", () =>
    Effect.gen(function* () {
      const primary = named("a", new ChatError.ContextLengthExceededError({ message: "too long" }))
      const backup = named("b", "long-context answer")
      const reply = yield* primary.service.pipe(ChatModel.withFallbacks([backup.service])).invoke("q")
      expect(reply.content).toBe("long-context answer")
    })
  )

  it.effect("a stream falls back when the first model fails before its first chunk", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], { failures: [serverError()] })
      const backup = FakeChatModel.fromResponses(["backup"])
      const text = yield* collectText(primary.pipe(ChatModel.withFallbacks([backup])).stream("q"))
      expect(text).toBe("backup")
      expect(primary.requests).toHaveLength(1)
      expect(backup.requests).toHaveLength(1)
      expect(primary.activeStreams).toBe(0)
      expect(backup.activeStreams).toBe(0)
    })
  )

  it.effect("a stream does not fall back after its first chunk: the error surfaces", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], {
        failures: [{ error: new ChatError.TransportError({ message: "cut off" }), afterChunks: 3 }]
      })
      const backup = FakeChatModel.fromResponses(["backup"])
      const { seen, error } = yield* streamUntilError(
        primary.pipe(ChatModel.withFallbacks([backup])).stream("q")
      )
      expect(error).toBeInstanceOf(ChatError.TransportError)
      expect(seen.join("")).toBe("pri")
      expect(backup.requests).toHaveLength(0)
    })
  )

  it.effect("a stream falls back only on the errors `when` accepts", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], { failures: [badRequest()] })
      const backup = FakeChatModel.fromResponses(["backup"])
      const model = primary.pipe(
        ChatModel.withFallbacks([backup], { when: (error) => error._tag === "RateLimitError" })
      )
      const { error } = yield* streamUntilError(model.stream("q"))
      expect(error).toBeInstanceOf(ChatError.BadRequestError)
      expect(backup.requests).toHaveLength(0)
    })
  )

  it.effect("interrupting a stream that fell back closes the fallback's stream", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], { failures: [serverError()] })
      const backup = FakeChatModel.fromResponses(["a long answer"], { chunkLatency: "1 second" })
      const seen: Array<string> = []
      const fiber = yield* Effect.fork(
        Stream.runForEach(primary.pipe(ChatModel.withFallbacks([backup])).stream("q"), (chunk) =>
          Effect.sync(() => seen.push(Message.text(chunk)))
        )
      )
      yield* TestClock.adjust("2 seconds")
      expect(seen.join("")).toBe("a l")
      expect(primary.activeStreams).toBe(0)
      expect(backup.activeStreams).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(backup.activeStreams).toBe(0)
    })
  )

  it.effect("has a data-first form", () =>
    Effect.gen(function* () {
      const primary = named("a", serverError())
      const backup = named("b", "from b")
      const reply = yield* ChatModel.withFallbacks(primary.service, [backup.service]).invoke("q")
      expect(reply.content).toBe("from b")
    })
  )

  it.effect("composes with withRetry inside: each model is retried before the next takes over", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], {
        failures: [serverError(), serverError(), serverError()]
      })
      const backup = FakeChatModel.fromResponses(["backup"])
      const model = primary.pipe(ChatModel.withRetry(), ChatModel.withFallbacks([backup]))
      const reply = yield* settle(model.invoke("q"))
      expect(reply.content).toBe("backup")
      expect(primary.requests).toHaveLength(3)
      expect(backup.requests).toHaveLength(1)
    })
  )

  it.effect("composes with withRetry outside: the whole chain of models is retried", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], { failures: [serverError(), serverError()] })
      const backup = FakeChatModel.fromResponses(["backup"], { failures: [serverError()] })
      const model = primary.pipe(ChatModel.withFallbacks([backup]), ChatModel.withRetry())
      const reply = yield* settle(model.invoke("q"))
      expect(reply.content).toBe("backup")
      expect(primary.requests).toHaveLength(2)
      expect(backup.requests).toHaveLength(2)
    })
  )

  it.effect("composes with withRetry for streams: retried, then replaced, before the first chunk", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], { failures: [serverError(), serverError()] })
      const backup = FakeChatModel.fromResponses(["backup"])
      const model = primary.pipe(ChatModel.withRetry({ maxRetries: 1 }), ChatModel.withFallbacks([backup]))
      const text = yield* collectText(model.stream("q"))
      expect(text).toBe("backup")
      expect(primary.requests).toHaveLength(2)
      expect(backup.requests).toHaveLength(1)
    })
  )
})

// ---------------------------------------------------------------------------
// ExecutionPlan across layers
// ---------------------------------------------------------------------------

describe("ExecutionPlan", () => {
  it.effect("Effect.withExecutionPlan moves to the second ChatModel layer when the first fails", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], { failures: [serverError()] })
      const backup = FakeChatModel.fromResponses(["backup"])
      const plan = ExecutionPlan.make(
        { provide: ChatModel.layer(primary) },
        { provide: ChatModel.layer(backup) }
      )
      const reply = yield* ChatModel.invoke("q").pipe(Effect.withExecutionPlan(plan))
      expect(reply.content).toBe("backup")
      expect(primary.requests).toHaveLength(1)
      expect(backup.requests).toHaveLength(1)
    })
  )

  it.effect("Effect.withExecutionPlan stays on the first layer when it answers", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"])
      const backup = FakeChatModel.fromResponses(["backup"])
      const plan = ExecutionPlan.make(
        { provide: ChatModel.layer(primary) },
        { provide: ChatModel.layer(backup) }
      )
      const reply = yield* ChatModel.invoke("q").pipe(Effect.withExecutionPlan(plan))
      expect(reply.content).toBe("primary")
      expect(backup.requests).toHaveLength(0)
    })
  )

  it.effect("a plan step's attempts and schedule retry a layer before moving on", () =>
    Effect.gen(function* () {
      const primary = FakeChatModel.fromResponses(["primary"], { failures: [serverError(), serverError()] })
      const backup = FakeChatModel.fromResponses(["backup"])
      const plan = ExecutionPlan.make(
        { provide: ChatModel.layer(primary), attempts: 2, schedule: Schedule.spaced("1 second") },
        { provide: ChatModel.layer(backup) }
      )
      const reply = yield* settle(ChatModel.invoke("q").pipe(Effect.withExecutionPlan(plan)))
      expect(reply.content).toBe("backup")
      expect(primary.requests).toHaveLength(2)
      expect(backup.requests).toHaveLength(1)
    })
  )

  it.effect(
    "Stream.withExecutionPlan moves to the second layer when the first stream fails before a chunk",
    () =>
      Effect.gen(function* () {
        const primary = FakeChatModel.fromResponses(["primary"], { failures: [serverError()] })
        const backup = FakeChatModel.fromResponses(["backup"])
        const plan = ExecutionPlan.make(
          { provide: ChatModel.layer(primary) },
          { provide: ChatModel.layer(backup) }
        )
        const chunks = yield* Stream.runCollect(
          ChatModel.stream("q").pipe(Stream.withExecutionPlan(plan, { preventFallbackOnPartialStream: true }))
        )
        expect(textOf(toArray(chunks))).toBe("backup")
        expect(backup.requests).toHaveLength(1)
      })
  )

  it.effect(
    "Stream.withExecutionPlan with preventFallbackOnPartialStream surfaces a failure after a chunk",
    () =>
      Effect.gen(function* () {
        const primary = FakeChatModel.fromResponses(["primary"], {
          failures: [{ error: new ChatError.TransportError({ message: "cut off" }), afterChunks: 2 }]
        })
        const backup = FakeChatModel.fromResponses(["backup"])
        const plan = ExecutionPlan.make(
          { provide: ChatModel.layer(primary) },
          { provide: ChatModel.layer(backup) }
        )
        const seen: Array<string> = []
        const error = yield* Effect.flip(
          ChatModel.stream("q").pipe(
            Stream.withExecutionPlan(plan, { preventFallbackOnPartialStream: true }),
            Stream.runForEach((chunk) => Effect.sync(() => seen.push(Message.text(chunk))))
          )
        )
        expect(error).toBeInstanceOf(ChatError.TransportError)
        expect(seen).toEqual(["p", "r"])
        expect(backup.requests).toHaveLength(0)
      })
  )
})
