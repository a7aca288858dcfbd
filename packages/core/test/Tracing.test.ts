import { describe, expect, it } from "@effect/vitest"
import { ChatError, ChatModel, Message } from "@effect-chat/core"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import { chunks, result } from "./helpers.js"

// ---------------------------------------------------------------------------
// a tracer that records every span it is asked for
// ---------------------------------------------------------------------------

class TestSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId: string
  readonly traceId = "test-trace"
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  readonly links: Array<Tracer.SpanLink>
  status: Tracer.SpanStatus

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind,
    readonly options: Tracer.SpanOptions | undefined,
    index: number
  ) {
    this.spanId = `span-${index}`
    this.links = [...links]
    this.status = { _tag: "Started", startTime }
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }

  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }

  event(): void {}

  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }
}

const recordingTracer = () => {
  const spans: Array<TestSpan> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = new TestSpan(name, parent, context, links, startTime, kind, options, spans.length)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  const named = (name: string) => spans.filter((span) => span.name === name)
  return { spans, tracer, named }
}

const exitOf = (span: TestSpan): Exit.Exit<unknown, unknown> | undefined =>
  span.status._tag === "Ended" ? span.status.exit : undefined

const usage = { inputTokens: 12, outputTokens: 7, totalTokens: 19 }

/** A generate-only model; the provider's own work runs in a span named "provider". */
const generating = () =>
  ChatModel.make({
    llmType: "acme",
    identifyingParams: { model: "acme-large", temperature: 0.3, maxTokens: 100 },
    generate: () =>
      Effect.succeed(
        result({
          content: "hello",
          usageMetadata: usage,
          responseMetadata: { id: "resp_1", modelName: "acme-large-2025", finishReason: "stop" }
        })
      ).pipe(Effect.withSpan("provider"))
  })

/** A stream-only model: text, then a final chunk with usage and the finish reason. */
const streamingModel = () =>
  ChatModel.make({
    llmType: "acme",
    identifyingParams: { model: "acme-large" },
    stream: () =>
      Stream.unwrap(
        Effect.map(Effect.withSpan(Effect.void, "provider"), () =>
          chunks({ content: "Hel", responseMetadata: { id: "resp_2" } }, "lo", {
            content: "",
            usageMetadata: usage,
            responseMetadata: { finishReason: "length" }
          })
        )
      )
  })

describe("tracing", () => {
  it.effect("invoke runs in a client span named chat <model> with the GenAI request attributes", () =>
    Effect.gen(function* () {
      const { spans, tracer, named } = recordingTracer()
      yield* generating().invoke("hi").pipe(Effect.withTracer(tracer))
      const [span] = named("chat acme-large")
      expect(span).toBeDefined()
      expect(named("chat acme-large")).toHaveLength(1)
      expect(span!.kind).toBe("client")
      expect(span!.attributes.get("gen_ai.operation.name")).toBe("chat")
      expect(span!.attributes.get("gen_ai.provider.name")).toBe("acme")
      expect(span!.attributes.get("gen_ai.request.model")).toBe("acme-large")
      expect(span!.attributes.get("gen_ai.request.temperature")).toBe(0.3)
      expect(span!.attributes.get("gen_ai.request.max_tokens")).toBe(100)
      expect(spans.map((span) => span.name).sort()).toEqual(["chat acme-large", "provider"])
    })
  )

  it.effect("invoke's span records usage, finish reasons, response id and model, and ends with success", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      yield* generating().invoke("hi").pipe(Effect.withTracer(tracer))
      const span = named("chat acme-large")[0]!
      expect(span.attributes.get("gen_ai.usage.input_tokens")).toBe(12)
      expect(span.attributes.get("gen_ai.usage.output_tokens")).toBe(7)
      expect(span.attributes.get("gen_ai.response.finish_reasons")).toEqual(["stop"])
      expect(span.attributes.get("gen_ai.response.id")).toBe("resp_1")
      expect(span.attributes.get("gen_ai.response.model")).toBe("acme-large-2025")
      expect(span.attributes.has("error.type")).toBe(false)
      const exit = exitOf(span)
      expect(exit !== undefined && Exit.isSuccess(exit)).toBe(true)
    })
  )

  it.effect("spans are created without stack capture", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      yield* generating().invoke("hi").pipe(Effect.withTracer(tracer))
      expect(named("chat acme-large")[0]!.options?.captureStackTrace).toBe(false)
    })
  )

  it.effect("the provider's work runs inside the chat span, which is a child of the caller's span", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      yield* generating().invoke("hi").pipe(Effect.withSpan("caller"), Effect.withTracer(tracer))
      const chat = named("chat acme-large")[0]!
      const provider = named("provider")[0]!
      const caller = named("caller")[0]!
      expect(Option.map(provider.parent, (parent) => parent.spanId)).toEqual(Option.some(chat.spanId))
      expect(Option.map(chat.parent, (parent) => parent.spanId)).toEqual(Option.some(caller.spanId))
    })
  )

  it.effect("a failed call marks its span with error.type and ends it with the failure", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      const model = ChatModel.make({
        llmType: "acme",
        identifyingParams: { model: "acme-large" },
        generate: () => Effect.fail(new ChatError.RateLimitError({ message: "429" }))
      })
      const error = yield* Effect.flip(model.invoke("hi").pipe(Effect.withTracer(tracer)))
      expect(error).toBeInstanceOf(ChatError.RateLimitError)
      const span = named("chat acme-large")[0]!
      expect(span.attributes.get("error.type")).toBe("RateLimitError")
      const exit = exitOf(span)
      expect(exit !== undefined && Exit.isFailure(exit)).toBe(true)
    })
  )

  it.effect("the span carries the run id, run name, tags, metadata and stop sequences of the call", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      yield* generating()
        .invoke("hi", {
          runId: "r-9",
          runName: "greeting",
          tags: ["a"],
          metadata: { user: "ada" },
          stop: ["END"]
        })
        .pipe(Effect.withTracer(tracer))
      const span = named("chat acme-large")[0]!
      expect(span.attributes.get("effect_chat.run_id")).toBe("r-9")
      expect(span.attributes.get("effect_chat.run_name")).toBe("greeting")
      expect(span.attributes.get("effect_chat.tags")).toEqual(["a"])
      expect(span.attributes.get("effect_chat.metadata.user")).toBe("ada")
      expect(span.attributes.get("gen_ai.request.stop_sequences")).toEqual(["END"])
    })
  )

  it.effect("the span has no usage attributes when the provider reports no usage", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      const model = ChatModel.make({ llmType: "plain", generate: () => Effect.succeed(result("x")) })
      yield* model.invoke("hi").pipe(Effect.withTracer(tracer))
      const span = named("chat plain")[0]!
      expect(span.attributes.get("gen_ai.request.model")).toBe("plain")
      expect(span.attributes.has("gen_ai.usage.input_tokens")).toBe(false)
      expect(span.attributes.has("gen_ai.usage.output_tokens")).toBe(false)
    })
  )

  it.effect(
    "stream runs in a client span with usage, finish reasons and the response id from the chunks",
    () =>
      Effect.gen(function* () {
        const { tracer, named } = recordingTracer()
        yield* Stream.runDrain(streamingModel().stream("hi")).pipe(Effect.withTracer(tracer))
        const spans = named("chat acme-large")
        expect(spans).toHaveLength(1)
        const span = spans[0]!
        expect(span.kind).toBe("client")
        expect(span.attributes.get("gen_ai.operation.name")).toBe("chat")
        expect(span.attributes.get("gen_ai.provider.name")).toBe("acme")
        expect(span.attributes.get("gen_ai.request.model")).toBe("acme-large")
        expect(span.attributes.get("gen_ai.usage.input_tokens")).toBe(12)
        expect(span.attributes.get("gen_ai.usage.output_tokens")).toBe(7)
        expect(span.attributes.get("gen_ai.response.finish_reasons")).toEqual(["length"])
        expect(span.attributes.get("gen_ai.response.id")).toBe("resp_2")
        const exit = exitOf(span)
        expect(exit !== undefined && Exit.isSuccess(exit)).toBe(true)
      })
  )

  it.effect("the provider's stream runs inside the stream's chat span", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      yield* Stream.runDrain(streamingModel().stream("hi")).pipe(Effect.withTracer(tracer))
      const chat = named("chat acme-large")[0]!
      const provider = named("provider")[0]!
      expect(Option.map(provider.parent, (parent) => parent.spanId)).toEqual(Option.some(chat.spanId))
    })
  )

  it.effect("a failed stream marks its span with error.type", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      const model = ChatModel.make({
        llmType: "acme",
        identifyingParams: { model: "acme-large" },
        stream: () =>
          Stream.concat(chunks("a"), Stream.fail(new ChatError.TransportError({ message: "cut" })))
      })
      const error = yield* Effect.flip(Stream.runDrain(model.stream("hi")).pipe(Effect.withTracer(tracer)))
      expect(error).toBeInstanceOf(ChatError.TransportError)
      const span = named("chat acme-large")[0]!
      expect(span.attributes.get("error.type")).toBe("TransportError")
      const exit = exitOf(span)
      expect(exit !== undefined && Exit.isFailure(exit)).toBe(true)
    })
  )

  it.effect("an interrupted stream ends its span", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      const model = ChatModel.make({
        llmType: "acme",
        identifyingParams: { model: "acme-large" },
        stream: () => Stream.concat(chunks("a"), Stream.never)
      })
      const items = yield* Stream.runCollect(Stream.take(model.stream("hi"), 1)).pipe(
        Effect.withTracer(tracer)
      )
      expect(items.length).toBe(1)
      const span = named("chat acme-large")[0]!
      expect(span.status._tag).toBe("Ended")
    })
  )

  it.effect("a tracer provided with Layer.setTracer records the spans too", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      yield* generating()
        .invoke("hi")
        .pipe(Effect.provide(Layer.setTracer(tracer)))
      expect(named("chat acme-large")).toHaveLength(1)
    })
  )

  it.effect("with Effect.withTracerEnabled(false) invoke creates no span at all", () =>
    Effect.gen(function* () {
      const { spans, tracer } = recordingTracer()
      let seen: Option.Option<Tracer.Span> | undefined
      const model = ChatModel.make({
        llmType: "acme",
        identifyingParams: { model: "acme-large" },
        generate: () =>
          Effect.map(Effect.option(Effect.currentSpan), (span) => {
            seen = span
            return result("x")
          })
      })
      const reply = yield* model.invoke("hi").pipe(Effect.withTracerEnabled(false), Effect.withTracer(tracer))
      expect(reply.content).toBe("x")
      expect(spans).toHaveLength(0)
      // not even a no-op span: the provider runs with no current span
      expect(seen).toEqual(Option.none())
    })
  )

  it.effect("with Effect.withTracerEnabled(false) stream creates no span at all", () =>
    Effect.gen(function* () {
      const { spans, tracer } = recordingTracer()
      let seen: Option.Option<Tracer.Span> | undefined
      const model = ChatModel.make({
        llmType: "acme",
        identifyingParams: { model: "acme-large" },
        stream: () =>
          Stream.unwrap(
            Effect.map(Effect.option(Effect.currentSpan), (span) => {
              seen = span
              return chunks("a", "b")
            })
          )
      })
      const items = yield* Stream.runCollect(model.stream("hi")).pipe(
        Effect.withTracerEnabled(false),
        Effect.withTracer(tracer)
      )
      expect(Array.from(items, (item) => Message.text(item)).join("")).toBe("ab")
      expect(spans).toHaveLength(0)
      expect(seen).toEqual(Option.none())
    })
  )

  it.effect("with Layer.setTracerEnabled(false) batch creates no span at all", () =>
    Effect.gen(function* () {
      const { spans, tracer } = recordingTracer()
      yield* generating()
        .batch(["a", "b"])
        .pipe(Effect.provide(Layer.setTracerEnabled(false)), Effect.withTracer(tracer))
      expect(spans).toHaveLength(0)
    })
  )

  it.effect("batch and generate create one chat span per input", () =>
    Effect.gen(function* () {
      const { tracer, named } = recordingTracer()
      yield* generating().batch(["a", "b", "c"]).pipe(Effect.withTracer(tracer))
      expect(named("chat acme-large")).toHaveLength(3)
      yield* generating()
        .generate([["a"], ["b"]])
        .pipe(Effect.withTracer(tracer))
      expect(named("chat acme-large")).toHaveLength(5)
    })
  )
})
