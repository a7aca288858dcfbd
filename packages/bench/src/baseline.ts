/**
 * The floors every row is compared with: a plain async function (invoke), an
 * async generator (stream), `Effect.runPromise(Effect.succeed(x))` (the least any
 * Promise API over Effect can cost), and one `JSON.parse` of a whole structured
 * answer (structured output).
 */
import { Effect, Schema } from "effect"
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

interface Reply {
  readonly content: string
}

const plainInvoke = async (_input: string): Promise<Reply> => ({ content: REPLY })

/** A plain async function and `Effect.runPromise(Effect.succeed(x))`. */
export const invokeCases = (): ReadonlyArray<Case> => [
  {
    section: "invoke",
    library: "baseline",
    variant: 'plain async function, `await f("hi")`',
    baseline: true,
    opsPerIteration: 1,
    run: async (iterations) => {
      for (let i = 0; i < iterations; i++) await plainInvoke(PROMPT)
    },
    verify: async () => describeReply((await plainInvoke(PROMPT)).content),
    expected: describeReply(REPLY)
  },
  {
    section: "invoke",
    library: "effect",
    variant: "`Effect.runPromise(Effect.succeed(x))`",
    opsPerIteration: 1,
    run: async (iterations) => {
      for (let i = 0; i < iterations; i++) await Effect.runPromise(Effect.succeed<Reply>({ content: REPLY }))
    },
    verify: async () =>
      describeReply((await Effect.runPromise(Effect.succeed<Reply>({ content: REPLY }))).content),
    expected: describeReply(REPLY)
  }
]

async function* plainStream(chunks: number): AsyncGenerator<Reply> {
  for (let i = 0; i < chunks; i++) yield { content: "x" }
}

/** `for await` over an async generator yielding `chunks` objects. */
export const streamCases = (chunks: number): ReadonlyArray<Case> => [
  {
    section: "stream",
    library: "baseline",
    variant: "async generator, `for await`",
    baseline: true,
    opsPerIteration: chunks,
    run: async (iterations) => {
      for (let i = 0; i < iterations; i++) {
        for await (const _ of plainStream(chunks)) {
          // consume
        }
      }
    },
    verify: async () => {
      let count = 0
      let chars = 0
      for await (const chunk of plainStream(chunks)) {
        if (chunk.content.length > 0) count++
        chars += chunk.content.length
      }
      return describeStream(count, chars)
    },
    expected: describeStream(chunks, chunks)
  }
]

const jsonParseCase = (scale: Scale): Case => {
  const { text } = payloadOf(scale)
  return {
    section: "structured",
    group: scale.label,
    library: "baseline",
    variant: "one `JSON.parse` of the whole text",
    baseline: true,
    opsPerIteration: 1,
    run: async (iterations) => {
      for (let i = 0; i < iterations; i++) JSON.parse(text)
    },
    verify: async () => describeStructured(JSON.parse(text), text),
    expected: EXPECTED_STRUCTURED
  }
}

const decodeCatalog = Schema.decodeUnknownSync(Catalog)

/** One `JSON.parse` of the whole payload (both sizes), and `JSON.parse` plus the Schema decode (the floor of a decoded value). */
export const structuredCases = (large: Scale = LARGE, small: Scale = SMALL): ReadonlyArray<Case> => {
  const { text } = payloadOf(large)
  return [
    jsonParseCase(large),
    {
      section: "structured",
      group: large.label,
      library: "effect",
      variant: "`JSON.parse` of the whole, then `Schema.decodeUnknownSync` (the floor of a decoded value)",
      opsPerIteration: 1,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) decodeCatalog(JSON.parse(text))
      },
      verify: async () => describeStructured(decodeCatalog(JSON.parse(text)), text),
      expected: EXPECTED_STRUCTURED
    },
    jsonParseCase(small)
  ]
}
