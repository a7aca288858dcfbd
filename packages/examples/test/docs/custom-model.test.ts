// The Acme model of docs/chat-model.md maps SDK errors to ChatError classes (the
// conformance suite runs in custom-model.conformance.test.ts).

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { Effect, Fiber, TestClock } from "effect"
import { AcmeApiError, AcmeChatModel, inMemoryAcmeClient } from "../../src/docs/custom-model.js"

describe("AcmeChatModel errors", () => {
  const failing = (error: AcmeApiError) =>
    AcmeChatModel.make({ client: inMemoryAcmeClient({ failures: [error] }), model: "acme-small" })

  it.effect("maps SDK errors to ChatError classes", () =>
    Effect.gen(function* () {
      const rateLimit = yield* Effect.flip(failing(new AcmeApiError("slow down", 429, 7)).invoke("hi"))
      expect(rateLimit._tag).toBe("RateLimitError")
      expect(rateLimit.retryable).toBe(true)
      expect(ChatError.retryAfter(rateLimit)).toEqual(expect.objectContaining({ value: expect.anything() }))

      const auth = yield* Effect.flip(failing(new AcmeApiError("bad key", 401)).invoke("hi"))
      expect(auth).toBeInstanceOf(ChatError.AuthenticationError)
      expect(auth.retryable).toBe(false)

      const server = yield* Effect.flip(failing(new AcmeApiError("overloaded", 503)).invoke("hi"))
      expect(server._tag).toBe("ServerError")
    })
  )

  it.effect("a failed stream is retried before its first chunk", () =>
    Effect.gen(function* () {
      const model = failing(new AcmeApiError("overloaded", 503)).pipe(ChatModel.withRetry())
      const fiber = yield* Effect.fork(Effect.map(model.invoke("again"), Message.text))
      yield* TestClock.adjust("1 minute")
      expect(yield* Fiber.join(fiber)).toBe("Echo: again")
    })
  )
})
