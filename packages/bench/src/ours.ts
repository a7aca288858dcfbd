/**
 * Ours (`@effect-chat/core`): a model from `ChatModel.make` with a trivial
 * `generate` and a `stream` that emits its chunks as large Stream chunks.
 * Measured with tracing on (the default: a span per call on Effect's built-in
 * tracer) and off, through a Promise per call and as N calls inside one Effect (the
 * number an Effect program sees). Tracing is turned off the way an application turns
 * it off: per call, by running on a runtime whose tracing is off
 * (`Runtime.runPromise`); in one Effect, by `Effect.withTracerEnabled(false)` around
 * the loop. Neither pays a `withTracerEnabled` per call, which costs 3-7 µs.
 * Structured output: `ChatModel.withStructuredOutput` over a fake provider.
 * The workers load `@effect-chat/core` as compiled JavaScript (`compiled.ts`).
 */
import { ChatModel, Message, type StructuredOutput } from "@effect-chat/core"
import { Chunk, Effect, Runtime, Stream } from "effect"
import { OURS } from "./compiled.js"
import { type Case, describeReply, describeStream, PROMPT, REPLY } from "./measure.js"
import {
  describeStructured,
  EXPECTED_STRUCTURED,
  LARGE,
  payloadOf,
  type Scale,
  SMALL
} from "./structured/data.js"
import { Catalog } from "./structured/schema.js"

/** How the fake provider hands its message chunks to `ChatModel.make`. */
type Chunking = "one Stream chunk" | "one chunk per Stream chunk"

const makeModel = (chunks: number, chunking: Chunking): ChatModel.Service =>
  ChatModel.make({
    llmType: "bench",
    identifyingParams: {},
    generate: () => Effect.succeed({ generations: [{ message: Message.ai(REPLY) }] }),
    stream: () =>
      Stream.suspend(() => {
        const all = Stream.fromChunk(
          Chunk.unsafeFromArray(Array.from({ length: chunks }, () => Message.chunk({ content: "x" })))
        )
        return chunking === "one Stream chunk" ? all : Stream.rechunk(all, 1)
      })
  })

const tracing = (enabled: boolean) => Effect.withTracerEnabled(enabled)

/** Runs one call on the default runtime (tracing on) or on one with tracing off. */
const runnerOf = (traced: boolean): (<A, E>(effect: Effect.Effect<A, E>) => Promise<A>) =>
  traced
    ? Effect.runPromise
    : Runtime.runPromise(Effect.runSync(Effect.runtime<never>().pipe(Effect.withTracerEnabled(false))))

const invokeCase = (model: ChatModel.Service, traced: boolean, inOneEffect: boolean): Case => {
  const run = runnerOf(traced)
  return {
    section: "invoke",
    library: `${OURS}, tracing ${traced ? "on" : "off"}`,
    variant: inOneEffect
      ? "`model.invoke`, N calls inside one Effect"
      : traced
        ? "`model.invoke`, `Effect.runPromise` per call"
        : "`model.invoke`, `Runtime.runPromise` per call (a runtime with tracing off)",
    opsPerIteration: 1,
    run: inOneEffect
      ? (iterations) => {
          let i = 0
          return Effect.runPromise(
            Effect.whileLoop({
              while: () => i < iterations,
              body: () => model.invoke(PROMPT),
              step: () => {
                i++
              }
            }).pipe(tracing(traced))
          )
        }
      : async (iterations) => {
          for (let i = 0; i < iterations; i++) await run(model.invoke(PROMPT))
        },
    verify: async () => describeReply(Message.text(await run(model.invoke(PROMPT)))),
    expected: describeReply(REPLY)
  }
}

/** Ours with tracing on and off, per call through a Promise and N calls inside one Effect. */
export const invokeCases = (): ReadonlyArray<Case> => {
  const model = makeModel(0, "one Stream chunk")
  return [
    invokeCase(model, true, false),
    invokeCase(model, true, true),
    invokeCase(model, false, false),
    invokeCase(model, false, true)
  ]
}

/** `Stream.runDrain(model.stream("hi"))`, the provider emitting `chunks` message chunks. */
export const streamCases = (chunks: number): ReadonlyArray<Case> =>
  (["one Stream chunk", "one chunk per Stream chunk"] as const).map((chunking): Case => {
    const model = makeModel(chunks, chunking)
    return {
      section: "stream",
      library: OURS,
      variant: `\`Stream.runDrain(model.stream)\`, provider emits ${chunking === "one Stream chunk" ? "all chunks as one Stream chunk" : "one message chunk per Stream chunk"}`,
      opsPerIteration: chunks,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) await Effect.runPromise(Stream.runDrain(model.stream(PROMPT)))
      },
      verify: async () => {
        // Not `Stream.runFold`: Effect 3.22's `Sink.fold` recurses once per element
        // and overflows the call stack on a Stream chunk of about 10,000 elements.
        let count = 0
        let chars = 0
        await Effect.runPromise(
          Stream.runForEachChunk(model.stream(PROMPT), (chunks) =>
            Effect.sync(() => {
              for (const chunk of chunks) {
                const text = Message.text(chunk)
                if (text.length > 0) count++
                chars += text.length
              }
            })
          )
        )
        return describeStream(count, chars)
      },
      expected: describeStream(chunks, chunks)
    }
  })

/** A fake provider streaming `pieces` as message chunks, each its own Stream chunk (one network read each). */
const pieceModel = (pieces: ReadonlyArray<string>): ChatModel.Service => {
  // built once: the case measures parsing, not the provider's allocation of its chunks
  const chunks = pieces.map((piece) => Chunk.of(Message.chunk({ content: piece })))
  return ChatModel.make({
    llmType: "bench",
    identifyingParams: {},
    stream: () => Stream.fromChunks(...chunks)
  })
}

/** Drains a structured stream: counts the `Partial` parts, keeps the `Complete` value. */
const consumeStructured = <A>(model: StructuredOutput.Model<A>) =>
  Effect.suspend(() => {
    let partials = 0
    let complete: A | undefined
    return Stream.runForEachChunk(model.stream(PROMPT), (parts) =>
      Effect.sync(() => {
        for (const part of parts) {
          if (part._tag === "Partial") partials++
          else complete = part.value
        }
      })
    ).pipe(Effect.map(() => ({ partials, complete })))
  })

const structuredCase = (scale: Scale): Case => {
  const { text, pieces } = payloadOf(scale)
  const model = pieceModel(pieces).pipe(ChatModel.withStructuredOutput(Catalog, { method: "jsonMode" }))
  return {
    section: "structured",
    group: scale.label,
    library: OURS,
    variant:
      '`withStructuredOutput(schema, { method: "jsonMode" })`, every `Partial` and the decoded `Complete`',
    opsPerIteration: 1,
    run: async (iterations) => {
      for (let i = 0; i < iterations; i++) await Effect.runPromise(consumeStructured(model))
    },
    verify: async () => {
      const { partials, complete } = await Effect.runPromise(consumeStructured(model))
      return describeStructured(complete, text, partials)
    },
    expected: EXPECTED_STRUCTURED
  }
}

/**
 * Structured output over a fake provider streaming the payload in pieces, each its
 * own Stream chunk: `withStructuredOutput` on both sizes, and the same stream drained
 * without parsing (the floor the Stream machinery sets).
 */
export const structuredCases = (large: Scale = LARGE, small: Scale = SMALL): ReadonlyArray<Case> => {
  const { text, pieces } = payloadOf(large)
  const plain = pieceModel(pieces)
  const drain = async (): Promise<string> => {
    let joined = ""
    await Effect.runPromise(
      Stream.runForEachChunk(plain.stream(PROMPT), (chunks) =>
        Effect.sync(() => {
          for (const chunk of chunks) joined += Message.text(chunk)
        })
      )
    )
    return joined
  }
  return [
    {
      section: "structured",
      group: large.label,
      library: OURS,
      variant: "`model.stream` of the same pieces drained, no parsing (the Stream floor)",
      opsPerIteration: 1,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) await Effect.runPromise(Stream.runDrain(plain.stream(PROMPT)))
      },
      verify: async () => describeStructured(JSON.parse(await drain()), text),
      expected: EXPECTED_STRUCTURED
    },
    structuredCase(large),
    structuredCase(small)
  ]
}
