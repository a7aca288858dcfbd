// Stop sequences given to invoke and stream: where the output is cut and the finishReason.

import { describe, expect, it } from "@effect/vitest"
import { Message } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import { merge, textOf } from "./helpers.js"
import { answering, collect, lastMarked, streaming } from "./support/chatModels.js"

describe("stop sequences", () => {
  it.effect("cut invoke's output before the first stop sequence and set finishReason stop", () =>
    Effect.gen(function* () {
      const reply = yield* answering("Hello STOP world").invoke("hi", { stop: ["STOP"] })
      expect(reply.content).toBe("Hello ")
      expect(reply.responseMetadata.finishReason).toBe("stop")
    })
  )

  it.effect("cut at the earliest of several stop sequences", () =>
    Effect.gen(function* () {
      const reply = yield* answering("one, two; three").invoke("hi", { stop: [";", ","] })
      expect(reply.content).toBe("one")
    })
  )

  it.effect("leave output without a stop sequence untouched", () =>
    Effect.gen(function* () {
      const reply = yield* answering("no stop here", { responseMetadata: { finishReason: "length" } }).invoke(
        "hi",
        {
          stop: ["STOP"]
        }
      )
      expect(reply.content).toBe("no stop here")
      expect(reply.responseMetadata.finishReason).toBe("length")
    })
  )

  it.effect("cut a stream at a stop sequence split across chunk boundaries", () =>
    Effect.gen(function* () {
      const items = yield* collect(
        streaming("Hel", "lo ST", "OP wor", "ld").model.stream("hi", { stop: ["STOP"] })
      )
      expect(textOf(items)).toBe("Hello ")
      expect(items.some((item) => Message.text(item).includes("S"))).toBe(false)
      expect(merge(items).responseMetadata.finishReason).toBe("stop")
      expect(lastMarked(items)).toHaveLength(1)
    })
  )

  it.effect("release held-back text that turned out not to start a stop sequence", () =>
    Effect.gen(function* () {
      const items = yield* collect(streaming("a S", "x b S").model.stream("hi", { stop: ["STOP"] }))
      expect(textOf(items)).toBe("a Sx b S")
      expect(merge(items).responseMetadata.finishReason).toBeUndefined()
    })
  )

  it.effect("cut invoke of a stream-only provider across chunk boundaries", () =>
    Effect.gen(function* () {
      const reply = yield* streaming("Hel", "lo ST", "OP wor", "ld").model.invoke("hi", { stop: ["STOP"] })
      expect(reply.content).toBe("Hello ")
      expect(reply.responseMetadata.finishReason).toBe("stop")
    })
  )

  it.effect("cut the one chunk streamed from a generate-only provider", () =>
    Effect.gen(function* () {
      const items = yield* collect(answering("Hello STOP world").stream("hi", { stop: ["STOP"] }))
      expect(textOf(items)).toBe("Hello ")
      expect(merge(items).responseMetadata.finishReason).toBe("stop")
    })
  )
})
