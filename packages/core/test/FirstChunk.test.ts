import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { Chunk, Effect, Stream, TestClock } from "effect"

/** A provider whose first attempt sends a role-only (empty) chunk and then fails. */
const flaky = () => {
  let attempts = 0
  let pulledAfterStop = false
  const model = ChatModel.make({
    llmType: "flaky",
    stream: () =>
      Stream.suspend(() => {
        attempts++
        return attempts === 1
          ? Stream.concat(
              Stream.make(Message.chunk({ content: "" })),
              Stream.fail(new ChatError.ServerError({ message: "overloaded" }))
            )
          : Stream.concat(
              Stream.fromIterable(["one ", "two ", "three"].map((content) => Message.chunk({ content }))),
              Stream.fromEffect(
                Effect.sync(() => {
                  pulledAfterStop = true
                  return Message.chunk({ content: " four" })
                })
              )
            )
      })
  })
  return { model, attempts: () => attempts, pulledAfterStop: () => pulledAfterStop }
}

describe("the first chunk", () => {
  it.effect("a stream that sent only an empty chunk before failing is still retried", () =>
    Effect.gen(function* () {
      const { model, attempts } = flaky()
      const retried = model.pipe(ChatModel.withRetry({ maxRetries: 1 }))
      const fiber = yield* Effect.fork(Stream.runCollect(retried.stream("hi")))
      yield* Effect.yieldNow()
      yield* TestClock.adjust("10 seconds")
      const chunks = yield* fiber.await.pipe(Effect.flatten)
      const text = Chunk.toReadonlyArray(chunks).map(Message.text).join("")
      expect(text).toBe("one two three four")
      expect(attempts()).toBe(2)
    })
  )

  it.effect("a stream that sent only an empty chunk before failing falls back", () =>
    Effect.gen(function* () {
      const { model } = flaky()
      const backup = ChatModel.make({
        llmType: "backup",
        stream: () => Stream.make(Message.chunk({ content: "backup" }))
      })
      const chunks = yield* Stream.runCollect(model.pipe(ChatModel.withFallbacks([backup])).stream("hi"))
      expect(Chunk.toReadonlyArray(chunks).map(Message.text).join("")).toBe("backup")
    })
  )

  it.effect("after a stop sequence the provider's stream is not read further", () =>
    Effect.gen(function* () {
      const { model, pulledAfterStop } = flaky()
      yield* Effect.either(model.invoke("fail once"))
      const chunks = yield* Stream.runCollect(model.stream("hi", { stop: ["two"] }))
      expect(Chunk.toReadonlyArray(chunks).map(Message.text).join("")).toBe("one ")
      expect(pulledAfterStop()).toBe(false)
    })
  )
})
