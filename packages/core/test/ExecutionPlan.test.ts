// ChatModel layers in an Effect ExecutionPlan: Effect.withExecutionPlan and
// Stream.withExecutionPlan move to the next layer when one fails.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import { FakeChatModel } from "@effect-chat/testing"
import * as Effect from "effect/Effect"
import * as ExecutionPlan from "effect/ExecutionPlan"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { textOf, toArray } from "./helpers.js"
import { serverError, settle } from "./support/resilience.js"

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
