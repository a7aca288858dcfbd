// ChatModel callbacks: onStart, onToken, onEnd and onError, per call and program-wide
// (layerCallbacks), and failing callbacks.

import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { chunks, recordingLogger, textOf } from "./helpers.js"
import { answering, collect, echo, failing, streaming } from "./support/chatModels.js"

const recorder = () => {
  const log: Array<string> = []
  const callbacks: ChatModel.Callbacks = {
    onStart: (event) => Effect.sync(() => log.push(`start:${event.messages.length}`)),
    onToken: (event) => Effect.sync(() => log.push(`token:${event.token}`)),
    onEnd: (event) => Effect.sync(() => log.push(`end:${event.result.generations[0].text}`)),
    onError: (event) => Effect.sync(() => log.push(`error:${event.error._tag}`))
  }
  return { log, callbacks }
}

describe("callbacks", () => {
  it.effect("stream runs onStart, onToken for each chunk, then onEnd with the merged answer", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* Stream.runDrain(streaming("Hel", "lo").model.stream("hi", { callbacks }))
      expect(log).toEqual(["start:1", "token:Hel", "token:lo", "token:", "end:Hello"])
    })
  )

  it.effect("invoke runs onStart then onEnd with the answer", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* answering("answer").invoke(
        [
          ["system", "s"],
          ["user", "hi"]
        ],
        { callbacks }
      )
      expect(log).toEqual(["start:2", "end:answer"])
    })
  )

  it.effect("onToken runs before its chunk is emitted downstream", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      const model = ChatModel.make({ llmType: "chunked", stream: () => Stream.rechunk(chunks("a", "b"), 1) })
      yield* model
        .stream("hi", {
          callbacks: { onToken: (event) => Effect.sync(() => log.push(`token:${event.token}`)) }
        })
        .pipe(Stream.runForEach((item) => Effect.sync(() => log.push(`emit:${Message.text(item)}`))))
      expect(log).toEqual(["token:a", "emit:a", "token:b", "emit:b", "token:", "emit:"])
    })
  )

  it.effect("onToken receives the chunk along with its text", () =>
    Effect.gen(function* () {
      const seen: Array<Message.AIMessageChunk> = []
      yield* Stream.runDrain(
        streaming("x").model.stream("hi", {
          runId: "cb-1",
          callbacks: { onToken: (event) => Effect.sync(() => seen.push(event.chunk)) }
        })
      )
      expect(seen[0]!.content).toBe("x")
      expect(seen[0]!.id).toBe("run-cb-1")
    })
  )

  it.effect("callbacks receive the run's id, name, llmType, tags and metadata", () =>
    Effect.gen(function* () {
      const infos: Array<ChatModel.RunInfo> = []
      yield* answering("x").invoke("hi", {
        runId: "info-1",
        runName: "named",
        tags: ["t1"],
        metadata: { m: true },
        callbacks: {
          onStart: (event) => Effect.sync(() => infos.push(event)),
          onEnd: (event) => Effect.sync(() => infos.push(event))
        }
      })
      expect(infos).toHaveLength(2)
      for (const info of infos) {
        expect(info.runId).toBe("info-1")
        expect(info.runName).toBe("named")
        expect(info.llmType).toBe("fixed")
        expect(info.tags).toEqual(["t1"])
        expect(info.metadata).toEqual({ m: true })
      }
    })
  )

  it.effect("invoke runs onError with the error, and not onEnd, when the call fails", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      const error = yield* Effect.flip(
        failing(new ChatError.ServerError({ message: "boom" })).invoke("hi", { callbacks })
      )
      expect(error).toBeInstanceOf(ChatError.ServerError)
      expect(log).toEqual(["start:1", "error:ServerError"])
    })
  )

  it.effect("stream runs onError with the error, and not onEnd, when the stream fails", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      const model = ChatModel.make({
        llmType: "broken",
        stream: () =>
          Stream.concat(chunks("a"), Stream.fail(new ChatError.TransportError({ message: "cut" })))
      })
      yield* Effect.flip(Stream.runDrain(model.stream("hi", { callbacks })))
      expect(log).toEqual(["start:1", "token:a", "error:TransportError"])
    })
  )

  it.effect("a failing callback is logged and does not fail the call", () =>
    Effect.gen(function* () {
      const logger = recordingLogger()
      const reply = yield* answering("fine")
        .invoke("hi", { callbacks: { onStart: () => Effect.fail("callback broke") } })
        .pipe(Effect.provide(logger.layer))
      expect(reply.content).toBe("fine")
      expect(
        logger.entries.filter((entry) => entry.level === "WARN" && entry.message.includes("onStart"))
      ).toHaveLength(1)
    })
  )

  it.effect("a dying callback is logged and does not fail the call", () =>
    Effect.gen(function* () {
      const logger = recordingLogger()
      const items = yield* collect(
        streaming("a", "b").model.stream("hi", {
          callbacks: {
            onToken: () => Effect.die(new Error("callback crashed")),
            onEnd: () => Effect.die("again")
          }
        })
      ).pipe(Effect.provide(logger.layer))
      expect(textOf(items)).toBe("ab")
      expect(logger.entries.filter((entry) => entry.message.includes("onToken"))).toHaveLength(3)
      expect(logger.entries.filter((entry) => entry.message.includes("onEnd"))).toHaveLength(1)
    })
  )

  it.effect("a failing callback does not stop the callbacks after it", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* answering("x").invoke("hi", { callbacks: [{ onStart: () => Effect.fail("broken") }, callbacks] })
      expect(log).toEqual(["start:1", "end:x"])
    })
  )

  it.effect(
    "runs the callbacks of ChatModel.layerCallbacks and the call's own, program-wide ones first",
    () =>
      Effect.gen(function* () {
        const log: Array<string> = []
        const program = answering("x").invoke("hi", {
          callbacks: {
            onStart: () => Effect.sync(() => log.push("call:start")),
            onEnd: () => Effect.sync(() => log.push("call:end"))
          }
        })
        yield* program.pipe(
          Effect.provide(
            ChatModel.layerCallbacks({
              onStart: () => Effect.sync(() => log.push("program:start")),
              onEnd: () => Effect.sync(() => log.push("program:end"))
            })
          )
        )
        expect(log).toEqual(["program:start", "call:start", "program:end", "call:end"])
      })
  )

  it.effect("layerCallbacks apply to streams too", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* Stream.runDrain(streaming("a").model.stream("hi")).pipe(
        Effect.provide(ChatModel.layerCallbacks([callbacks]))
      )
      expect(log).toEqual(["start:1", "token:a", "token:", "end:a"])
    })
  )

  it.effect("CurrentCallbacks is empty without layerCallbacks and holds the list with it", () =>
    Effect.gen(function* () {
      expect(yield* ChatModel.CurrentCallbacks).toEqual([])
      const { callbacks } = recorder()
      const provided = yield* Effect.provide(ChatModel.CurrentCallbacks, ChatModel.layerCallbacks(callbacks))
      expect(provided).toEqual([callbacks])
    })
  )

  it.effect("batch runs the callbacks once per input", () =>
    Effect.gen(function* () {
      const { log, callbacks } = recorder()
      yield* echo().model.batch(["a", "b"], { callbacks, concurrency: 1 })
      expect(log).toEqual(["start:1", "end:a", "start:1", "end:b"])
    })
  )
})
