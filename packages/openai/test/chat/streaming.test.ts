/**
 * Streaming answers (`CreateChatCompletionStreamResponse` SSE fixtures): deltas to
 * chunks, tool-call deltas split over many chunks, refusals, `n` > 1, the final chunk,
 * and usage reported identically to the non-streaming call of the same content.
 */

import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import {
  bodyOf,
  collect,
  expectValidRequests,
  finish,
  fixture,
  setup,
  textMetadata,
  usages
} from "../support/chat.js"

afterEach(expectValidRequests)

/** Invokes with the JSON fixture and streams the SSE fixture of the same content. */
const both = (name: string, config: Parameters<typeof setup>[1] = {}) =>
  Effect.gen(function* () {
    const { model } = yield* setup(
      [fixture(`${name}.json`), fixture(`${name}.sse`, { partSize: 37 })],
      config
    )
    const invoked = yield* model.invoke("Hello!")
    const chunks = yield* collect(model.stream("Hello!"))
    return { invoked, chunks, streamed: finish(chunks) }
  })

describe("OpenAiChatModel stream", () => {
  it.scoped("text deltas become chunks; the merged stream equals the invoke answer", () =>
    Effect.gen(function* () {
      const { invoked, chunks, streamed } = yield* both("text")
      expect(chunks.length).toBeGreaterThan(5)
      expect(streamed.content).toBe(invoked.content)
      expect(streamed.id).toBe(invoked.id)
      expect(streamed.responseMetadata).toMatchObject(textMetadata)
      expect(chunks.map((chunk) => chunk.last === true)).toEqual(
        chunks.map((_, i) => i === chunks.length - 1)
      )
    })
  )

  for (const name of ["text", "tool-calls", "structured", "refusal", "reasoning"]) {
    it.scoped(`usage is identical in stream and invoke, on exactly one chunk (${name})`, () =>
      Effect.gen(function* () {
        const { invoked, chunks, streamed } = yield* both(
          name,
          name === "reasoning" ? { model: "o3-mini" } : {}
        )
        expect(invoked.usageMetadata).toBeDefined()
        expect(streamed.usageMetadata).toEqual(invoked.usageMetadata)
        const carrying = usages(chunks).filter((usage) => usage !== undefined)
        expect(carrying).toHaveLength(1)
        expect(chunks.at(-1)?.usageMetadata).toEqual(invoked.usageMetadata)
      })
    )
  }

  it.scoped("parallel tool calls split over many chunks merge into the calls of invoke", () =>
    Effect.gen(function* () {
      const { invoked, chunks, streamed } = yield* both("tool-calls")
      const pieces = chunks.flatMap((chunk) => chunk.toolCallChunks)
      expect(pieces.length).toBeGreaterThan(8)
      expect(pieces[0]).toEqual({
        index: 0,
        id: "call_0RiA2RxWdQ9mXY7PHIqbyDvH",
        name: "get_weather",
        args: ""
      })
      expect(pieces.filter((piece) => piece.index === 1 && piece.id !== undefined)).toHaveLength(1)
      expect(streamed.toolCalls).toEqual(invoked.toolCalls)
      expect(streamed.responseMetadata.finishReason).toBe("toolCalls")
    })
  )

  it.scoped("refusal deltas concatenate into additionalKwargs.refusal", () =>
    Effect.gen(function* () {
      const { invoked, streamed } = yield* both("refusal")
      expect(streamed.additionalKwargs?.refusal).toBe("I'm sorry, I can't help with that request.")
      expect(streamed.additionalKwargs?.refusal).toBe(invoked.additionalKwargs?.refusal)
      expect(streamed.content).toBe("")
    })
  )

  it.scoped("with n = 2 only choice 0 streams", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("n2.sse"), { n: 2 })
      const streamed = finish(yield* collect(model.stream("A color?")))
      expect(streamed.content).toBe("Red.")
      expect(streamed.usageMetadata?.totalTokens).toBe(21)
    })
  )

  it.scoped("sends stream: true with stream_options.include_usage by default", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("text.sse"))
      yield* collect(model.stream("Hello!"))
      expect(bodyOf(server)).toMatchObject({ stream: true, stream_options: { include_usage: true } })
      expect(server.requests[0]!.headers.accept).toBe("text/event-stream")
    })
  )

  it.scoped("streamUsage: false leaves stream_options out (and no usage is invented)", () =>
    Effect.gen(function* () {
      const { server, model } = yield* setup(fixture("no-usage-no-done.sse"), { streamUsage: false })
      const chunks = yield* collect(model.stream("Hello!"))
      expect(bodyOf(server).stream_options).toBeUndefined()
      expect(usages(chunks).every((usage) => usage === undefined)).toBe(true)
      expect(finish(chunks).content).toBe("Hi!")
    })
  )

  it.scoped("bytes split at every position still parse (one byte per read)", () =>
    Effect.gen(function* () {
      const { model } = yield* setup(fixture("tool-calls.sse", { partSize: 1 }))
      const streamed = finish(yield* collect(model.stream("Weather?")))
      expect(streamed.toolCalls.map((call) => call.name)).toEqual(["get_weather", "get_time"])
    })
  )
})
