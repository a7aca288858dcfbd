/**
 * `@effect/ai` 0.37: a `LanguageModel` service from `LanguageModel.make` with a
 * trivial implementation, called through `LanguageModel.generateText` and
 * `LanguageModel.streamText` (its default tracing: spans on Effect's built-in tracer).
 */
import { LanguageModel, type Response } from "@effect/ai"
import { Chunk, Effect, Stream } from "effect"
import { type Case, describeReply, describeStream, PROMPT, REPLY } from "../measure.js"

const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 }

const finish: Response.FinishPartEncoded = { type: "finish", reason: "stop", usage }

const streamParts = (chunks: number): Array<Response.StreamPartEncoded> => {
  const parts: Array<Response.StreamPartEncoded> = [{ type: "text-start", id: "t" }]
  for (let i = 0; i < chunks; i++) parts.push({ type: "text-delta", id: "t", delta: "x" })
  parts.push({ type: "text-end", id: "t" }, finish)
  return parts
}

/** How the provider hands its parts to `@effect/ai`. */
type Chunking = "one Stream chunk" | "one part per Stream chunk"

const makeService = (chunks: number, chunking: Chunking): LanguageModel.Service =>
  Effect.runSync(
    LanguageModel.make({
      generateText: () => Effect.succeed([{ type: "text", text: REPLY }, finish]),
      streamText: () =>
        Stream.suspend(() => {
          const all = Stream.fromChunk(Chunk.unsafeFromArray(streamParts(chunks)))
          return chunking === "one Stream chunk" ? all : Stream.rechunk(all, 1)
        })
    })
  )

const provide = (service: LanguageModel.Service) =>
  Effect.provideService(LanguageModel.LanguageModel, service)

const generate = () => LanguageModel.generateText({ prompt: PROMPT })

/** `LanguageModel.generateText` per call through `Effect.runPromise`, and N calls inside one Effect. */
export const invokeCases = (): ReadonlyArray<Case> => {
  const service = makeService(0, "one Stream chunk")
  const verify = async () => describeReply((await Effect.runPromise(provide(service)(generate()))).text)
  return [
    {
      section: "invoke",
      library: "@effect/ai",
      variant: "`LanguageModel.generateText`, `Effect.runPromise` per call",
      opsPerIteration: 1,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) {
          await Effect.runPromise(provide(service)(generate()))
        }
      },
      verify,
      expected: describeReply(REPLY)
    },
    {
      section: "invoke",
      library: "@effect/ai",
      variant: "`LanguageModel.generateText`, N calls inside one Effect",
      opsPerIteration: 1,
      run: (iterations) => {
        let i = 0
        return Effect.runPromise(
          Effect.whileLoop({
            while: () => i < iterations,
            body: generate,
            step: () => {
              i++
            }
          }).pipe(provide(service))
        )
      },
      verify,
      expected: describeReply(REPLY)
    }
  ]
}

/**
 * Counts the text deltas chunk by chunk. (Not `Stream.runFold`: Effect 3.22's
 * `Sink.fold` recurses once per element and overflows the call stack on a Stream
 * chunk of about 10,000 elements.)
 */
const countText = <E, R>(stream: Stream.Stream<Response.StreamPart<{}>, E, R>) =>
  Effect.suspend(() => {
    let count = 0
    let chars = 0
    return Stream.runForEachChunk(stream, (parts) =>
      Effect.sync(() => {
        for (const part of parts) {
          if (part.type !== "text-delta") continue
          if (part.delta.length > 0) count++
          chars += part.delta.length
        }
      })
    ).pipe(Effect.map(() => ({ count, chars })))
  })

/** `Stream.runDrain(LanguageModel.streamText(...))`, the provider emitting `chunks` text deltas. */
export const streamCases = (chunks: number): ReadonlyArray<Case> =>
  (["one Stream chunk", "one part per Stream chunk"] as const).map((chunking): Case => {
    const service = makeService(chunks, chunking)
    return {
      section: "stream",
      library: "@effect/ai",
      variant: `\`LanguageModel.streamText\`, provider emits ${chunking === "one Stream chunk" ? "all parts as one Stream chunk" : "one part per Stream chunk"}`,
      opsPerIteration: chunks,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) {
          await Effect.runPromise(
            provide(service)(Stream.runDrain(LanguageModel.streamText({ prompt: PROMPT })))
          )
        }
      },
      verify: async () => {
        const { chars, count } = await Effect.runPromise(
          provide(service)(countText(LanguageModel.streamText({ prompt: PROMPT })))
        )
        return describeStream(count, chars)
      },
      expected: describeStream(chunks, chunks)
    }
  })
