import { describe, expect, it } from "@effect/vitest"
import { ChatModel, Message, type ModelProfile } from "@effect-chat/core"
import { Conformance, FakeChatModel } from "@effect-chat/testing"
import * as calls from "@effect-chat/testing/internal/conformance/calls"
import * as harness from "@effect-chat/testing/internal/conformance/harness"
import * as runs from "@effect-chat/testing/internal/conformance/runs"
import { Effect, Exit, Stream } from "effect"
import { exampleOf, isRecord, phrases, propertiesOf } from "../src/internal/conformance/answers.js"

// ---------------------------------------------------------------------------
// models written directly with ChatModel.make
// ---------------------------------------------------------------------------

const wordCount = (request: ChatModel.ChatRequest): number =>
  request.messages
    .map(Message.text)
    .join(" ")
    .split(/\s+/)
    .filter((word) => word !== "").length

const echo = (request: ChatModel.ChatRequest): string => `Echo: ${Message.text(request.messages.at(-1)!)}`

/** Splits a text into words, each keeping its trailing space. */
const pieces = (text: string): ReadonlyArray<string> => text.match(/\S+\s*/g) ?? [text]

/** A stream that counts itself open until its finalizer runs. */
const counted = <A, E>(counter: { active: number }, stream: Stream.Stream<A, E>): Stream.Stream<A, E> =>
  Stream.acquireRelease(
    Effect.sync(() => counter.active++),
    () => Effect.sync(() => counter.active--)
  ).pipe(Stream.flatMap(() => stream))

/**
 * Streaming only, OpenAI style: one word per chunk, usage on a trailing empty chunk,
 * the last chunk left unmarked (the service appends the `last` marker).
 */
const streamingModel = () => {
  const counter = { active: 0 }
  const model = ChatModel.make({
    llmType: "conformance-streaming",
    identifyingParams: { model: "streaming-1" },
    stream: (request) => {
      const words = pieces(echo(request))
      const usage = { inputTokens: wordCount(request), outputTokens: words.length, totalTokens: 0 }
      const chunks = [
        ...words.map((content) => Message.chunk({ content })),
        Message.chunk({
          content: "",
          usageMetadata: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
          responseMetadata: { finishReason: "stop" }
        })
      ]
      return counted(counter, Stream.fromIterable(chunks).pipe(Stream.rechunk(1)))
    }
  })
  return { model, activeStreams: () => counter.active }
}

/**
 * Streaming only, Anthropic style: a provider id on every chunk, input tokens on the
 * first chunk, output tokens on the last, which the provider marks `last` itself; two
 * words per Stream chunk.
 */
const markingModel = () => {
  const counter = { active: 0 }
  const model = ChatModel.make({
    llmType: "conformance-marking",
    identifyingParams: { model: "marking-1" },
    stream: (request) => {
      const words = pieces(echo(request))
      const id = `msg_${request.runId.slice(0, 8)}`
      const chunks = words.map((content, index) =>
        Message.chunk({
          content,
          id,
          ...(index === 0
            ? {
                usageMetadata: {
                  inputTokens: wordCount(request),
                  outputTokens: 1,
                  totalTokens: wordCount(request) + 1
                }
              }
            : {}),
          ...(index === words.length - 1
            ? {
                usageMetadata: {
                  inputTokens: 0,
                  outputTokens: words.length - 1,
                  totalTokens: words.length - 1
                },
                responseMetadata: { finishReason: "stop" as const },
                last: true
              }
            : {})
        })
      )
      return counted(counter, Stream.fromIterable(chunks).pipe(Stream.rechunk(2)))
    }
  })
  return { model, activeStreams: () => counter.active }
}

/** Generate only: streaming falls back to one chunk from `generate`. */
const generateModel = ChatModel.make({
  llmType: "conformance-generate",
  identifyingParams: { model: "generate-1" },
  generate: (request) =>
    Effect.succeed({
      generations: [
        {
          message: Message.ai({
            content: echo(request),
            usageMetadata: {
              inputTokens: wordCount(request),
              outputTokens: pieces(echo(request)).length,
              totalTokens: wordCount(request) + pieces(echo(request)).length
            },
            responseMetadata: { finishReason: "stop" }
          })
        }
      ],
      llmOutput: { provider: "conformance" }
    })
})

/**
 * Generate only, reporting no usage at all. (String content: with block content the
 * service's client-side stop sequences are not applied, a core bug reported to the lead.)
 */
const quietModel = ChatModel.make({
  llmType: "conformance-quiet",
  generate: (request) => Effect.succeed({ generations: [{ message: Message.ai(echo(request)) }] })
})

const streaming = streamingModel()
Conformance.run("ChatModel.make (streaming only)", ChatModel.layer(streaming.model), {
  activeStreams: streaming.activeStreams
})

const marking = markingModel()
Conformance.run("ChatModel.make (streaming, provider marks last)", ChatModel.layer(marking.model), {
  activeStreams: marking.activeStreams
})

Conformance.run("ChatModel.make (generate only)", ChatModel.layer(generateModel))

Conformance.run("ChatModel.make (no usage)", ChatModel.layer(quietModel), { returnsUsageMetadata: false })

// ---------------------------------------------------------------------------
// the fakes of this package
// ---------------------------------------------------------------------------

const list = FakeChatModel.fromResponses(["Hello there! How can I help you today?", "Bonjour, mon ami."])
Conformance.run("FakeChatModel.fromResponses", ChatModel.layer(list), {
  activeStreams: () => list.activeStreams
})

/** More answers than the suite makes calls (about twenty). */
const scripted = FakeChatModel.fromMessages(
  Array.from(
    { length: 60 },
    (_, index) => `Answer number ${index + 1}: the quick brown fox jumps over the lazy dog.`
  )
)
Conformance.run("FakeChatModel.fromMessages", ChatModel.layer(scripted), {
  activeStreams: () => scripted.activeStreams
})

const parrot = FakeChatModel.parrot()
Conformance.run("FakeChatModel.parrot", ChatModel.layer(parrot), {
  activeStreams: () => parrot.activeStreams
})

// ---------------------------------------------------------------------------
// a reference model: what a good model does with the suite's requests
// ---------------------------------------------------------------------------

/** The arguments the prompt gives a tool: one object per call it asks for. */
const argsFromPrompt = (
  tool: ChatModel.ToolDefinition,
  prompt: string
): ReadonlyArray<Record<string, unknown>> => {
  const names = Object.keys(propertiesOf(tool.parameters))
  const called = prompt.match(new RegExp(`\\b${tool.name}\\(([^)]*)\\)`))
  if (called !== null) {
    const values = called[1]!
      .split(",")
      .map((value) => value.trim())
      .filter((value) => value !== "")
    return [Object.fromEntries(values.map((value, index) => [names[index], Number(value)]))]
  }
  const sum = prompt.match(/(\d+)\s*\+\s*(\d+)/)
  if (sum !== null && names.length === 2)
    return [{ [names[0]!]: Number(sum[1]), [names[1]!]: Number(sum[2]) }]
  const weather = prompt.match(/weather in (.+?)\?/)
  if (weather !== null && names.includes("location"))
    return weather[1]!.split(/\s+and(?:\s+in)?\s+/).map((location) => ({ location }))
  const named = prompt.match(/named '([^']+)'[^,]*, (a [^.]+)\./)
  if (named !== null && names.includes("customer_name"))
    return [{ customer_name: named[1], description: named[2] }]
  return []
}

/**
 * The tool calls for the prompt: the calls it asks for among the allowed tools; when a
 * tool choice forces a call and the prompt asks for none, the forced (or first) tool
 * with arguments filled from its schema.
 */
const toolCallsFor = (request: ChatModel.ChatRequest, prompt: string): ReadonlyArray<Message.ToolCall> => {
  const choice = request.toolChoice
  const forced = choice !== undefined && choice !== "auto" && choice !== "none"
  const allowed =
    forced && choice !== "any" ? request.tools.filter((tool) => tool.name === choice) : request.tools
  let calls = allowed.flatMap((tool) =>
    argsFromPrompt(tool, prompt).map((args) => ({ name: tool.name, args }))
  )
  const first = allowed[0]
  if (calls.length === 0 && forced && first !== undefined) {
    const args = exampleOf(first.parameters, prompt)
    calls = [{ name: first.name, args: isRecord(args) ? { ...args } : {} }]
  }
  if (request.parallelToolCalls === false) calls = calls.slice(0, 1)
  return calls.map((call, index) => ({ id: `call_${request.runId.slice(0, 8)}_${index}`, ...call }))
}

/** JSON mode: the schema given in a system message, or else the keys the prompt names. */
const jsonModeAnswer = (request: ChatModel.ChatRequest, prompt: string): unknown => {
  for (const message of request.messages) {
    if (message._tag !== "SystemMessage") continue
    const text = Message.text(message)
    const start = text.indexOf("{")
    const end = text.lastIndexOf("}")
    if (start < 0 || end < start) continue
    try {
      const schema: unknown = JSON.parse(text.slice(start, end + 1))
      if (isRecord(schema)) return exampleOf(schema, prompt)
    } catch {}
  }
  const keys = [...prompt.matchAll(/'(\w+)'/g)].map((match) => match[1]!)
  return Object.fromEntries(keys.map((key) => [key, phrases[key] ?? `The ${key}.`]))
}

/** Answers tool results with text about them. */
const afterTools = (request: ChatModel.ChatRequest): string => {
  const results = request.messages.filter((message) => message._tag === "ToolMessage")
  const last = results.at(-1)!
  return last.status === "error"
    ? `The tool failed (${Message.text(last)}), so I cannot answer that yet.`
    : `The tool answered ${Message.text(last)}, so that is my answer.`
}

/** What a good model does with a request of the suite. */
const reference: FakeChatModel.Handler = (request) => {
  const last = request.messages.at(-1)
  if (last === undefined) return "Hello!"
  if (last._tag === "ToolMessage") return afterTools(request)
  const prompt = Message.text(last)
  const format = request.responseFormat
  if (format?.type === "jsonSchema") return JSON.stringify(exampleOf(format.schema, prompt))
  if (format?.type === "json") return JSON.stringify(jsonModeAnswer(request, prompt))
  const calls = request.toolChoice === "none" ? [] : toolCallsFor(request, prompt)
  if (calls.length > 0) return Message.ai({ content: "", toolCalls: calls })
  return `You said: ${prompt}`
}

const capable: Partial<ModelProfile.ModelProfile> = {
  toolCalling: true,
  toolChoice: true,
  parallelToolCalls: true,
  structuredOutput: true,
  jsonMode: true
}

/** Each chunk on its own (a zero chunk latency), as a provider streams: partial objects arrive one by one. */
const referenceModel = FakeChatModel.fromHandler(reference, {
  profile: capable,
  model: "reference-1",
  chunkLatency: "0 millis"
})
Conformance.run("FakeChatModel.fromHandler (reference, every capability)", ChatModel.layer(referenceModel), {
  activeStreams: () => referenceModel.activeStreams
})

// ---------------------------------------------------------------------------
// the suite catches broken models
// ---------------------------------------------------------------------------

const findCase = (name: string): harness.Case => {
  const found = [...calls.cases, ...runs.cases].find((testCase) => testCase.name === name)
  expect(found, name).toBeDefined()
  return found!
}

const fails = (name: string, model: ChatModel.Service, settings: Partial<harness.Settings> = {}) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(
      harness.runCase(findCase(name), model, { ...harness.defaultSettings, ...settings })
    )
    expect(Exit.isFailure(exit), `${name} fails`).toBe(true)
  })

const passes = (name: string, model: ChatModel.Service, settings: Partial<harness.Settings> = {}) =>
  harness.runCase(findCase(name), model, { ...harness.defaultSettings, ...settings })

const answering = (message: Message.AIMessage | Message.AIFields) =>
  ChatModel.make({ llmType: "broken", generate: () => Effect.succeed({ generations: [{ message }] }) })

const chunksModel = (chunks: ReadonlyArray<Message.AIMessageChunk>) =>
  ChatModel.make({ llmType: "broken", stream: () => Stream.fromIterable(chunks) })

const usage = (inputTokens: number, outputTokens: number, totalTokens = inputTokens + outputTokens) => ({
  inputTokens,
  outputTokens,
  totalTokens
})

describe("Conformance catches", () => {
  it.effect("an empty answer", () => fails("invoke", answering(Message.ai(""))))

  it.effect("an answer with tool calls nobody asked for", () =>
    fails("invoke", answering({ content: "hi", toolCalls: [{ id: "c1", name: "x", args: {} }] }))
  )

  it.effect("an empty stream answer", () => fails("stream", chunksModel([Message.chunk({ content: "" })])))

  it.effect("a chunk marked last before the end", () =>
    fails(
      "stream",
      chunksModel([Message.chunk({ content: "a", last: true }), Message.chunk({ content: "b", last: true })])
    )
  )

  it.effect("usage whose total is not input + output", () =>
    fails("usage metadata (invoke)", answering({ content: "hi", usageMetadata: usage(3, 2, 4) }))
  )

  it.effect("missing usage when usage is expected", () =>
    fails("usage metadata (invoke)", answering(Message.ai("hi")))
  )

  it.effect("invented zero usage", () =>
    fails("usage metadata (invoke)", answering({ content: "hi", usageMetadata: usage(0, 0) }))
  )

  it.effect("input tokens repeated on every streamed chunk", () =>
    fails(
      "usage metadata (stream)",
      chunksModel([
        Message.chunk({ content: "a", usageMetadata: usage(5, 1) }),
        Message.chunk({ content: "b", usageMetadata: usage(5, 1) })
      ])
    )
  )

  it.effect("inconsistent usage even when usage is optional", () =>
    fails("usage metadata (invoke)", answering({ content: "hi", usageMetadata: usage(3, 2, 9) }), {
      returnsUsageMetadata: false
    })
  )

  it.effect("a stream whose finalizer does not run", () => {
    let active = 0
    const leaky = ChatModel.make({
      llmType: "leaky",
      stream: () =>
        Stream.fromEffect(Effect.sync(() => active++)).pipe(
          Stream.flatMap(() => Stream.make(Message.chunk({ content: "a" }), Message.chunk({ content: "b" })))
        )
    })
    return fails("interruption", leaky, { activeStreams: () => active })
  })

  it.effect("a stream that fails before its first chunk, in the interruption test", () =>
    fails("interruption", ChatModel.make({ llmType: "failing", stream: () => Stream.die("boom") }))
  )

  it.effect("a profile that claims tool choice without tool calling", () =>
    fails(
      "profile",
      ChatModel.make({ llmType: "p", profile: { toolChoice: true }, generate: () => Effect.never })
    )
  )
})

describe("Conformance passes", () => {
  it.effect("usage split over chunks (input on one)", () =>
    passes(
      "usage metadata (stream)",
      chunksModel([
        Message.chunk({ content: "a", usageMetadata: usage(5, 1) }),
        Message.chunk({ content: "b", usageMetadata: usage(0, 1) })
      ])
    )
  )

  it.effect("a model without usage when usage is optional", () =>
    passes("usage metadata (stream)", answering(Message.ai("hi")), { returnsUsageMetadata: false })
  )
})

// ---------------------------------------------------------------------------
// the capability gate and helpers
// ---------------------------------------------------------------------------

describe("Conformance gating", () => {
  it.effect("runs the body when the profile has the capability", () =>
    Effect.gen(function* () {
      let ran = false
      const model = ChatModel.make({
        llmType: "t",
        profile: { toolCalling: true },
        generate: () => Effect.never
      })
      yield* harness.whenSupported(
        model,
        "toolCalling",
        Effect.sync(() => (ran = true))
      )
      expect(ran).toBe(true)
    })
  )

  it.effect("passes without the body when the profile lacks the capability", () =>
    Effect.gen(function* () {
      let ran = false
      const model = ChatModel.make({ llmType: "t", generate: () => Effect.never })
      yield* harness.whenSupported(
        model,
        "imageInputs",
        Effect.sync(() => (ran = true))
      )
      expect(ran).toBe(false)
    })
  )

  it.effect("gates a case by its required capability", () =>
    Effect.gen(function* () {
      let ran = 0
      const gated: harness.Case = {
        name: "gated",
        requires: "structuredOutput",
        check: () => Effect.sync(() => ran++)
      }
      const without = ChatModel.make({ llmType: "t", generate: () => Effect.never })
      const withIt = ChatModel.make({
        llmType: "t",
        profile: { structuredOutput: true },
        generate: () => Effect.never
      })
      yield* harness.runCase(gated, without, harness.defaultSettings)
      expect(ran).toBe(0)
      yield* harness.runCase(gated, withIt, harness.defaultSettings)
      expect(ran).toBe(1)
    })
  )

  it("takes the stop sequence from the middle of the answer", () => {
    expect(calls.stopSequenceFrom("one two three four five")).toBe("three")
    expect(calls.stopSequenceFrom("Hello")).toBe("llo")
    expect(calls.stopSequenceFrom("a")).toBe("a")
  })
})
