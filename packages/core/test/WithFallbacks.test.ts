// ChatModel.withFallbacks: the next model takes over a failed request, for invoke and for
// streams before their first chunk, and the composition with withRetry.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { textOf, toArray } from "./helpers.js"
import {
  badRequest,
  collectText,
  named,
  rateLimit,
  serverError,
  settle,
  streamUntilError
} from "./support/resilience.js"

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
