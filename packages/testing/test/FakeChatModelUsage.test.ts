// The usage metadata the fakes report.

import { describe, expect, it } from "@effect/vitest"
import { FakeChatModel } from "@effect-chat/testing"
import { Effect } from "effect"
import { collect, merge } from "./support/fakeChatModel.js"

describe("usage", () => {
  it.effect("counts input words across all request messages and output words of the answer", () =>
    Effect.gen(function* () {
      const reply = yield* FakeChatModel.fromResponses(["hi you"]).invoke([
        ["system", "be brief"],
        ["user", "hello there world"]
      ])
      expect(reply.usageMetadata).toEqual({ inputTokens: 5, outputTokens: 2, totalTokens: 7 })
    })
  )

  it.effect("a stream reports usage on exactly one chunk, the last, equal to invoke's", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromMessages(["the answer is 42", "the answer is 42"])
      const invoked = yield* fake.invoke("what is the answer?")
      const chunks = yield* collect(fake.stream("what is the answer?"))
      const withUsage = chunks.filter((chunk) => chunk.usageMetadata !== undefined)
      expect(withUsage).toHaveLength(1)
      expect(withUsage[0]).toBe(chunks.at(-1))
      expect(merge(chunks).usageMetadata).toEqual(invoked.usageMetadata)
      expect(invoked.usageMetadata).toEqual({ inputTokens: 4, outputTokens: 4, totalTokens: 8 })
    })
  )

  it.effect("usage: false reports no usage metadata", () =>
    Effect.gen(function* () {
      const fake = FakeChatModel.fromResponses(["ok"], { usage: false })
      const invoked = yield* fake.invoke("hi")
      const chunks = yield* collect(fake.stream("hi"))
      expect(invoked.usageMetadata).toBeUndefined()
      expect(chunks.every((chunk) => chunk.usageMetadata === undefined)).toBe(true)
    })
  )
})
