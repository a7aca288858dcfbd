/**
 * The Vercel AI SDK (`ai` 6): `generateText` and `streamText` over the SDK's own
 * mock model, `MockLanguageModelV3` from `ai/test`. Streams are built with the
 * SDK's `convertArrayToReadableStream` test helper, as its own tests do.
 */
import { generateText, streamText } from "ai"
import { convertArrayToReadableStream, MockLanguageModelV3 } from "ai/test"
import { type Case, describeReply, describeStream, PROMPT, REPLY } from "../measure.js"

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined }
}

const finishReason = { unified: "stop", raw: "stop" } as const

/** A part of the provider-level stream (`LanguageModelV3StreamPart`), named through the mock's own type. */
type StreamPart =
  Awaited<ReturnType<MockLanguageModelV3["doStream"]>>["stream"] extends ReadableStream<infer P> ? P : never

const invokeModel = (): MockLanguageModelV3 =>
  new MockLanguageModelV3({
    doGenerate: async () => ({
      content: [{ type: "text", text: REPLY }],
      finishReason,
      usage,
      warnings: []
    })
  })

const streamModel = (chunks: number): MockLanguageModelV3 =>
  new MockLanguageModelV3({
    doStream: async () => {
      const parts: Array<StreamPart> = [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id: "t" }
      ]
      for (let i = 0; i < chunks; i++) parts.push({ type: "text-delta", id: "t", delta: "x" })
      parts.push({ type: "text-end", id: "t" }, { type: "finish", finishReason, usage })
      return { stream: convertArrayToReadableStream(parts) }
    }
  })

/** `await generateText({ model, prompt })` per call. */
export const invokeCases = (): ReadonlyArray<Case> => {
  const model = invokeModel()
  return [
    {
      section: "invoke",
      library: "Vercel AI SDK",
      variant: "`generateText`, MockLanguageModelV3",
      opsPerIteration: 1,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) await generateText({ model, prompt: PROMPT })
      },
      verify: async () => describeReply((await generateText({ model, prompt: PROMPT })).text),
      expected: describeReply(REPLY)
    }
  ]
}

/**
 * The most chunks its in-process stream case uses: at 50-120 µs a chunk, a
 * 100,000-chunk stream takes 5-12 s and the case alone took most of a minute. The
 * cost per chunk is flat in the stream's length, so 10,000 chunks measure the same
 * figure.
 */
export const VERCEL_STREAM_CHUNKS = 10_000

/** `for await` over `streamText(...).textStream`, the mock emitting `chunks` text deltas (at most `VERCEL_STREAM_CHUNKS`). */
export const streamCases = (requested: number): ReadonlyArray<Case> => {
  const chunks = Math.min(requested, VERCEL_STREAM_CHUNKS)
  const model = streamModel(chunks)
  return [
    {
      section: "stream",
      library: "Vercel AI SDK",
      variant: `\`streamText\` over MockLanguageModelV3, \`for await\` over \`textStream\`${chunks < requested ? ` (${chunks.toLocaleString("en-US")}-chunk stream)` : ""}`,
      opsPerIteration: chunks,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) {
          for await (const _ of streamText({ model, prompt: PROMPT }).textStream) {
            // consume
          }
        }
      },
      verify: async () => {
        let count = 0
        let chars = 0
        for await (const text of streamText({ model, prompt: PROMPT }).textStream) {
          if (text.length > 0) count++
          chars += text.length
        }
        return describeStream(count, chars)
      },
      expected: describeStream(chunks, chunks)
    }
  ]
}
