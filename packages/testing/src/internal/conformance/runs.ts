/**
 * Conformance checks of what surrounds a call: the profile, token usage (LangChain's
 * `test_usage_metadata` and `test_usage_metadata_streaming`), stream events, callback
 * order, and interruption of a stream.
 *
 * @internal
 */

import type { ChatModel } from "@effect-chat/core"
import { Message } from "@effect-chat/core"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import {
  type Capability,
  type Case,
  collect,
  expectId,
  expectTextAnswer,
  expectUsage,
  mergeChunks,
  prompts
} from "./harness.js"
import { vitest } from "./vitest.js"

const capabilities: ReadonlyArray<Capability> = [
  "toolCalling",
  "toolChoice",
  "parallelToolCalls",
  "structuredOutput",
  "jsonMode",
  "imageInputs",
  "audioInputs",
  "pdfInputs",
  "reasoningOutput"
]

/**
 * The model describes itself: a non-empty `llmType`, an `identifyingParams` record, and a
 * complete, coherent profile (every flag a boolean; tool choice and parallel tool calls
 * only with tool calling; token limits positive integers when known).
 */
const profile: Case = {
  name: "profile",
  check: (model) =>
    Effect.sync(() => {
      vitest()
        .expect(typeof model.llmType, "llmType")
        .toBe("string")
      vitest().expect(model.llmType.length, "llmType").toBeGreaterThan(0)
      vitest()
        .expect(typeof model.identifyingParams, "identifyingParams")
        .toBe("object")
      for (const capability of capabilities) {
        vitest()
          .expect(typeof model.profile[capability], `profile.${capability}`)
          .toBe("boolean")
      }
      if (model.profile.toolChoice)
        vitest().expect(model.profile.toolCalling, "toolChoice needs toolCalling").toBe(true)
      if (model.profile.parallelToolCalls) {
        vitest().expect(model.profile.toolCalling, "parallelToolCalls needs toolCalling").toBe(true)
      }
      for (const limit of ["maxInputTokens", "maxOutputTokens"] as const) {
        const value = model.profile[limit]
        if (value !== undefined) {
          vitest()
            .expect(Number.isInteger(value) && value > 0, `profile.${limit} is a positive integer`)
            .toBe(true)
        }
      }
    })
}

/**
 * `invoke` reports usage (input and output positive, total = input + output); with
 * `returnsUsageMetadata: false`, usage is only checked for consistency when present.
 */
const usageInvoke: Case = {
  name: "usage metadata (invoke)",
  check: (model, settings) =>
    Effect.gen(function* () {
      const result = yield* model.invoke(prompts.hello)
      expectUsage(result.usageMetadata, settings.returnsUsageMetadata, "usageMetadata")
    })
}

/**
 * A stream reports usage as `invoke` does: exactly one chunk carries the input tokens
 * (adding chunks must not count the prompt twice), and the merged usage is consistent.
 */
const usageStream: Case = {
  name: "usage metadata (stream)",
  check: (model, settings) =>
    Effect.gen(function* () {
      const chunks = yield* collect(model.stream(prompts.hello))
      chunks.forEach((chunk, index) => {
        expectUsage(chunk.usageMetadata, false, `usageMetadata of chunk ${index}`)
      })
      const carrying = chunks.filter((chunk) => (chunk.usageMetadata?.inputTokens ?? 0) > 0)
      if (settings.returnsUsageMetadata) {
        vitest().expect(carrying.length, "chunks with inputTokens > 0").toBe(1)
      } else {
        vitest().expect(carrying.length, "chunks with inputTokens > 0").toBeLessThanOrEqual(1)
      }
      expectUsage(mergeChunks(chunks).usageMetadata, settings.returnsUsageMetadata, "merged usageMetadata")
    })
}

/**
 * `streamEvents`: a start event with the input, at least one stream event per chunk,
 * an end event whose output is the merged answer; one run id, and the call's run name,
 * tags and metadata on every event.
 */
const streamEvents: Case = {
  name: "stream events",
  check: (model) =>
    Effect.gen(function* () {
      const events = yield* collect(
        model.streamEvents(prompts.hello, {
          runName: "conformance-run",
          tags: ["conformance"],
          metadata: { suite: "conformance" }
        })
      )
      vitest().expect(events.length, "number of events").toBeGreaterThanOrEqual(3)
      const start = events[0]!
      const end = events.at(-1)!
      const middle = events.slice(1, -1)
      vitest().expect(start.event, "first event").toBe("on_chat_model_start")
      vitest().expect(end.event, "last event").toBe("on_chat_model_end")
      vitest()
        .expect(
          middle.map((event) => event.event),
          "events between start and end"
        )
        .toEqual(middle.map(() => "on_chat_model_stream"))
      if (start.event === "on_chat_model_start") {
        vitest().expect(start.data.input, "start input").toHaveLength(1)
        vitest().expect(start.data.input[0], "start input").toBeInstanceOf(Message.HumanMessage)
        vitest().expect(Message.text(start.data.input[0]!), "start input").toBe(prompts.hello)
      }
      const runIds = new Set(events.map((event) => event.runId))
      vitest().expect(runIds.size, "one run id throughout").toBe(1)
      vitest()
        .expect(typeof start.runId, "run id")
        .toBe("string")
      vitest().expect(start.runId.length, "run id").toBeGreaterThan(0)
      for (const event of events) {
        vitest().expect(event.name, `${event.event}: name`).toBe("conformance-run")
        vitest().expect(event.tags, `${event.event}: tags`).toContain("conformance")
        vitest().expect(event.metadata, `${event.event}: metadata`).toMatchObject({ suite: "conformance" })
      }
      const chunks = middle.flatMap((event) =>
        event.event === "on_chat_model_stream" ? [event.data.chunk] : []
      )
      chunks.forEach((chunk, index) => {
        vitest().expect(chunk, `chunk ${index}`).toBeInstanceOf(Message.AIMessageChunk)
      })
      vitest().expect(chunks.at(-1)?.last, "the last stream event's chunk").toBe(true)
      if (end.event === "on_chat_model_end") {
        expectTextAnswer(end.data.output, model.profile, "end output")
        expectId(end.data.output, "end output")
        vitest()
          .expect(Message.text(end.data.output), "end output is the merged stream")
          .toBe(Message.text(mergeChunks(chunks)))
      }
    })
}

/**
 * Callbacks that append to a log. A failing callback never fails a call (it is only
 * logged), so they record what they saw and the check asserts afterwards.
 */
const loggingCallbacks = (log: Array<string>, seen: Array<Seen>): ChatModel.Callbacks => {
  let tokens = 0
  return {
    onStart: (event) =>
      Effect.sync(() => {
        seen.push({ hook: "onStart", runId: event.runId, texts: event.messages.map(Message.text) })
        log.push("start")
      }),
    onToken: (event) =>
      Effect.sync(() => {
        seen.push({ hook: "onToken", runId: event.runId, texts: [event.token, Message.text(event.chunk)] })
        log.push(`token ${tokens++}`)
      }),
    onEnd: (event) =>
      Effect.sync(() => {
        seen.push({ hook: "onEnd", runId: event.runId, texts: [event.result.generations[0].text] })
        log.push("end")
      }),
    onError: (event) =>
      Effect.sync(() => {
        seen.push({ hook: "onError", runId: event.runId, texts: [event.error.message] })
        log.push("error")
      })
  }
}

/** What one callback saw. */
interface Seen {
  readonly hook: keyof ChatModel.Callbacks
  readonly runId: string
  readonly texts: ReadonlyArray<string>
}

/** Every callback saw the call's run id; `onStart` its input; `onToken` a token that is its chunk's text. */
const expectSeen = (seen: ReadonlyArray<Seen>, runId: string): void => {
  for (const entry of seen) {
    vitest().expect(entry.runId, `${entry.hook}: run id`).toBe(runId)
    if (entry.hook === "onStart") vitest().expect(entry.texts, "onStart: messages").toEqual([prompts.hello])
    if (entry.hook === "onToken")
      vitest().expect(entry.texts[0], "onToken: token is the chunk's text").toBe(entry.texts[1])
  }
}

/** `invoke` runs `onStart`, then `onEnd` (never `onError`), with the call's run id. */
const callbacksInvoke: Case = {
  name: "callbacks (invoke)",
  check: (model) =>
    Effect.gen(function* () {
      const log: Array<string> = []
      const runId = crypto.randomUUID()
      const seen: Array<Seen> = []
      const result = yield* model.invoke(prompts.hello, { runId, callbacks: loggingCallbacks(log, seen) })
      expectTextAnswer(result, model.profile)
      expectSeen(seen, runId)
      vitest()
        .expect(seen.find((entry) => entry.hook === "onEnd")?.texts, "onEnd: result text")
        .toEqual([Message.text(result)])
      vitest().expect(log[0], "first callback").toBe("start")
      vitest().expect(log.at(-1), "last callback").toBe("end")
      vitest()
        .expect(
          log.filter((entry) => entry === "start" || entry === "end" || entry === "error"),
          "callbacks"
        )
        .toEqual(["start", "end"])
    })
}

/**
 * `stream` runs `onStart`, one `onToken` per chunk (each before its chunk reaches the
 * consumer), then `onEnd` after the consumer saw the last chunk.
 */
const callbacksStream: Case = {
  name: "callbacks (stream)",
  check: (model) =>
    Effect.gen(function* () {
      const log: Array<string> = []
      const runId = crypto.randomUUID()
      const seen: Array<Seen> = []
      const received: Array<Message.AIMessageChunk> = []
      let chunks = 0
      yield* Stream.runForEach(
        model.stream(prompts.hello, { runId, callbacks: loggingCallbacks(log, seen) }),
        (chunk) =>
          Effect.sync(() => {
            received.push(chunk)
            log.push(`chunk ${chunks++}`)
          })
      )
      expectSeen(seen, runId)
      vitest()
        .expect(
          seen.find((entry) => entry.hook === "onEnd")?.texts,
          "onEnd: result text is the merged stream"
        )
        .toEqual([Message.text(mergeChunks(received))])
      vitest().expect(chunks, "number of chunks").toBeGreaterThan(0)
      vitest().expect(log[0], "first entry").toBe("start")
      vitest().expect(log.at(-1), "last entry").toBe("end")
      vitest()
        .expect(
          log.filter((entry) => entry === "start" || entry === "end" || entry === "error"),
          "callbacks"
        )
        .toEqual(["start", "end"])
      vitest()
        .expect(
          log.filter((entry) => entry.startsWith("token ")),
          "one onToken per chunk"
        )
        .toHaveLength(chunks)
      for (let index = 0; index < chunks; index++) {
        vitest()
          .expect(log.indexOf(`token ${index}`), `onToken ${index} runs before chunk ${index} is emitted`)
          .toBeLessThan(log.indexOf(`chunk ${index}`))
      }
    })
}

/**
 * Interrupting a stream after its first chunk ends the consuming fiber as interrupted,
 * runs the provider's finalizer (`activeStreams` back to 0, when given) and leaves the
 * model usable.
 */
const interruption: Case = {
  name: "interruption",
  check: (model, settings) =>
    Effect.gen(function* () {
      const firstChunk = yield* Deferred.make<void>()
      const fiber = yield* model.stream(prompts.count).pipe(
        Stream.runForEach(() => Effect.zipRight(Deferred.succeed(firstChunk, undefined), Effect.never)),
        Effect.fork
      )
      // the stream fails the check if it fails before its first chunk
      yield* Effect.raceFirst(Deferred.await(firstChunk), Fiber.join(fiber))
      if (settings.activeStreams !== undefined) {
        vitest().expect(settings.activeStreams(), "active streams while a chunk is held").toBeGreaterThan(0)
      }
      const exit = yield* Fiber.interrupt(fiber)
      vitest().expect(Exit.isInterrupted(exit), "the consuming fiber ends interrupted").toBe(true)
      if (settings.activeStreams !== undefined) {
        vitest().expect(settings.activeStreams(), "active streams after the interruption").toBe(0)
      }
      const after = yield* model.invoke(prompts.hello)
      expectTextAnswer(after, model.profile, "answer after the interruption")
    })
}

/** The checks around calls, in registration order. */
export const cases: ReadonlyArray<Case> = [
  profile,
  usageInvoke,
  usageStream,
  streamEvents,
  callbacksInvoke,
  callbacksStream,
  interruption
]
