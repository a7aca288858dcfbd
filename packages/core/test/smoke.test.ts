import { ChatModel, Message } from "@effect-chat/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"

describe("smoke", () => {
  it.effect("invoke works", () =>
    Effect.gen(function* () {
      const model = ChatModel.make({ llmType: "t", generate: () => Effect.succeed({ generations: [{ message: Message.ai("x") }] }) })
      const reply = yield* model.invoke("hi")
      expect(reply.content).toBe("x")
    })
  )
})
