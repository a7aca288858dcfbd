// Runs every example's program and checks what it produced, so that the quickstart and
// the code shown in docs/ cannot rot. Sleeps (streaming latency, retry backoff) are
// driven by TestClock: no test waits on the wall clock.
import { format } from "node:util"
import { describe, expect, it, vi } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as CustomModel from "../src/docs/custom-model.js"
import * as GettingStarted from "../src/docs/getting-started.js"
import * as Messages from "../src/docs/messages.js"
import * as Readme from "../src/docs/readme.js"
import * as RetryFallbacks from "../src/docs/retry-fallbacks.js"
import * as UsingAModel from "../src/docs/using-a-model.js"
import * as Quickstart from "../src/quickstart.js"
import { withClock } from "./docs/support/effects.js"

/** Runs an effect with `process.stdout.write` and `console.log` captured; returns the text written. */
const captureOutput = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<readonly [A, string], E> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const written: Array<string> = []
      const stdout = vi.spyOn(process.stdout, "write").mockImplementation((text: string | Uint8Array) => {
        written.push(String(text))
        return true
      })
      const log = vi.spyOn(console, "log").mockImplementation((...args: ReadonlyArray<unknown>) => {
        written.push(`${format(...args)}\n`)
      })
      return {
        written,
        restore: () => {
          stdout.mockRestore()
          log.mockRestore()
        }
      }
    }),
    ({ written }) => Effect.map(effect, (result) => [result, written.join("")] as const),
    ({ restore }) => Effect.sync(restore)
  )

describe("quickstart", () => {
  it("selects the offline model when no provider is configured", () => {
    const choice = Quickstart.selectModel({})
    expect(choice.description).toContain("offline model")
    expect(choice.description).not.toContain("\n")
  })

  it.effect("streams a reply, runs a batch and prints the usage", () =>
    Effect.gen(function* () {
      const [result, output] = yield* captureOutput(
        withClock(Quickstart.program.pipe(Effect.provide(Quickstart.selectModel({}).layer)))
      )
      expect(result.streamed.content).toMatch(/^Hello!/)
      expect(output).toContain(result.streamed.content)
      expect(result.batch).toHaveLength(3)
      for (const reply of result.batch) expect(output).toContain(reply.content)
      expect(result.usage).toBeDefined()
      expect(result.usage!.totalTokens).toBe(result.usage!.inputTokens + result.usage!.outputTokens)
      expect(output).toContain(`Token usage: ${result.usage!.inputTokens} in`)
    })
  )

  it.effect("writes the streamed reply chunk by chunk", () =>
    Effect.gen(function* () {
      const writes: Array<string> = []
      yield* Effect.acquireUseRelease(
        Effect.sync(() =>
          vi.spyOn(process.stdout, "write").mockImplementation((text: string | Uint8Array) => {
            writes.push(String(text))
            return true
          })
        ),
        () => withClock(Quickstart.program.pipe(Effect.provide(Quickstart.offlineModel().layer))),
        (spy) => Effect.sync(() => spy.mockRestore())
      )
      expect(writes.filter((text) => text.length === 1).join("")).toContain("Hello! I am streamed")
    })
  )
})

describe("README.md", () => {
  it.effect("invoke, then stream", () =>
    Effect.gen(function* () {
      const [, output] = yield* captureOutput(Readme.main)
      expect(output).toMatch(/^Hello! \{ inputTokens: \d+/)
      expect(output.endsWith("Hello again!")).toBe(true)
    })
  )
})

describe("docs/getting-started.md", () => {
  it.effect("first call and streaming", () =>
    Effect.gen(function* () {
      const [streamed, output] = yield* captureOutput(GettingStarted.main)
      expect(output).toContain("Effect is a TypeScript library")
      expect(streamed).toMatch(/^It gives you typed errors/)
      expect(output).toContain(streamed)
    })
  )
})

describe("docs/messages.md", () => {
  it.effect("constructors, text, concat, fromInput and JSON", () =>
    Effect.gen(function* () {
      const result = yield* Messages.program
      expect(result.imageText).toBe("What is in this picture?")
      expect(result.merged.content).toBe("Let me check.")
      expect(result.merged.toolCalls).toEqual([{ id: "call_2", name: "weather", args: { city: "Paris" } }])
      expect(result.merged.usageMetadata).toEqual({ inputTokens: 12, outputTokens: 9, totalTokens: 21 })
      expect(result.coerced.map((message) => message._tag)).toEqual([
        "SystemMessage",
        "HumanMessage",
        "AIMessage",
        "ToolMessage",
        "HumanMessage"
      ])
      expect(Either.isLeft(result.badInput)).toBe(true)
      if (Either.isLeft(result.badInput)) {
        expect(result.badInput.left._tag).toBe("InvalidInputError")
        expect(result.badInput.left.message).toContain('unknown role "robot"')
      }
      expect(JSON.parse(result.json)).toHaveLength(Messages.conversation.length)
      expect(result.decoded).toEqual(Messages.conversation)
      expect(Messages.isValidConversation([["user", "hi"]])).toBe(true)
      expect(Messages.isValidConversation([])).toBe(false)
    })
  )
})

describe("docs/chat-model.md: using a model", () => {
  const run = <A, E>(effect: Effect.Effect<A, E, import("@effect-chat/core").ChatModel.ChatModel>) =>
    withClock(effect.pipe(Effect.provide(UsingAModel.ModelLive)))

  it.effect("invoke", () =>
    Effect.gen(function* () {
      expect(yield* run(UsingAModel.invoke)).toEqual([
        "Hello",
        "Hi there",
        "OpenAI-style works too",
        "From a prompt value"
      ])
    })
  )

  it.effect("stream", () =>
    Effect.gen(function* () {
      expect(yield* run(UsingAModel.stream)).toEqual({ pieces: 9, text: "streaming", lastMarked: true })
    })
  )

  it.effect("batch", () =>
    Effect.gen(function* () {
      expect(yield* run(UsingAModel.batch)).toEqual({
        answers: ["one", "two", "three"],
        outcomes: ["fine", "InvalidInputError"]
      })
    })
  )

  it.effect("batchAsCompleted", () =>
    Effect.gen(function* () {
      expect(yield* withClock(UsingAModel.batchAsCompleted)).toEqual([
        "1: short",
        "2: medium one",
        "0: a long, slow question"
      ])
    })
  )

  it.effect("generate", () =>
    Effect.gen(function* () {
      expect(yield* run(UsingAModel.generate)).toEqual({
        texts: ["first conversation", "second conversation"],
        totalTokens: 8,
        runs: 2
      })
    })
  )

  it.effect("streamEvents", () =>
    Effect.gen(function* () {
      const events = yield* run(UsingAModel.streamEvents)
      expect(events[0]).toBe("on_chat_model_start")
      expect(events.slice(1, -1).every((event) => event === "on_chat_model_stream")).toBe(true)
      expect(events.at(-1)).toBe("on_chat_model_end")
    })
  )

  it.effect("call options", () =>
    Effect.gen(function* () {
      const result = yield* run(UsingAModel.callOptions)
      expect(result.id).toBe("run-3f1c2a9e-0000-4000-8000-000000000001")
      expect(result.text).toBe("Hello world")
      expect(result.log).toEqual(["start 3f1c2a9e-0000-4000-8000-000000000001", "end Hello world"])
    })
  )

  it.effect("callbacks for the whole program", () =>
    Effect.gen(function* () {
      expect(yield* run(UsingAModel.withProgramCallbacks)).toEqual(["one: first", "two: second"])
    })
  )
})

describe("docs/chat-model.md: retries, fallbacks, execution plans", () => {
  it.effect("withRetry", () =>
    Effect.gen(function* () {
      expect(yield* withClock(RetryFallbacks.retry)).toEqual({ text: "Third time lucky.", attempts: 3 })
      expect(yield* withClock(RetryFallbacks.customRetry)).toBe("ok")
    })
  )

  it.effect("withFallbacks", () =>
    Effect.gen(function* () {
      expect(yield* withClock(RetryFallbacks.fallbacks)).toEqual({
        text: "from the small model",
        modelName: "small-model"
      })
    })
  )

  it.effect("decorate", () =>
    Effect.gen(function* () {
      expect(yield* withClock(RetryFallbacks.decorated)).toBe("decorated")
    })
  )

  it.effect("ExecutionPlan", () =>
    Effect.gen(function* () {
      expect(yield* withClock(RetryFallbacks.executionPlan)).toEqual({
        invoked: "from the backup layer",
        streamed: "from the backup layer"
      })
    })
  )
})

describe("docs/chat-model.md: writing a model", () => {
  it.effect("the reverse model and the Acme provider", () =>
    Effect.gen(function* () {
      const result = yield* withClock(CustomModel.program)
      expect(result.reversed).toBe("desserts")
      expect(result.invoked.content).toBe("Echo: Hello Acme")
      expect(result.invoked.usageMetadata).toEqual({ inputTokens: 4, outputTokens: 3, totalTokens: 7 })
      expect(result.invoked.responseMetadata).toMatchObject({
        modelName: "acme-small",
        finishReason: "stop",
        rawFinishReason: "end_turn"
      })
      expect(result.streamed.join("")).toBe("Echo: one two three")
      expect(result.streamed.length).toBeGreaterThan(1)
      expect(result.retried.content).toBe("Echo: try again")
    })
  )
})
