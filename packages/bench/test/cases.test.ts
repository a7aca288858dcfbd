/**
 * Every benchmark case gives the expected output (reply text, chunk count, the
 * parsed value), so no case can report a fast number for doing nothing. Never
 * asserts on time.
 */
import { describe, expect, it } from "vitest"
import * as Baseline from "../src/baseline.js"
import type { CaseModule } from "../src/cases.js"
import * as Ours from "../src/ours.js"
import * as EffectAi from "../src/peers/effect-ai.js"
import * as LangChain from "../src/peers/langchain.js"
import * as Vercel from "../src/peers/vercel.js"
import type { Scale } from "../src/structured/data.js"

const CHUNKS = 1_000

// Small payloads: the cases' code is the same at 1 MB, only slower.
const large: Scale = { bytes: 20_000, chunks: 200, label: "20 KB" }
const small: Scale = { bytes: 5_000, chunks: 50, label: "5 KB" }

const suites: ReadonlyArray<readonly [string, CaseModule]> = [
  ["baseline", Baseline],
  ["LangChain.js", LangChain],
  ["Vercel AI SDK", Vercel],
  ["@effect/ai", EffectAi],
  ["effect-chat (ours)", Ours]
]

describe.each(suites)("%s", (_name, suite) => {
  const cases = [
    ...suite.invokeCases(),
    ...suite.streamCases(CHUNKS),
    ...(suite.structuredCases?.(large, small) ?? [])
  ]

  it.each(cases.map((c) => [`${c.section}: ${c.library}: ${c.variant}`, c] as const))(
    "%s gives the expected output",
    async (_label, c) => {
      expect(await c.verify()).toBe(c.expected)
      await c.run(2)
    }
  )

  it("stream cases expect every chunk", () => {
    for (const c of suite.streamCases(CHUNKS)) {
      expect(c.opsPerIteration).toBe(CHUNKS)
      expect(c.expected).toBe(`${CHUNKS} text chunks, ${CHUNKS} chars`)
    }
  })
})

describe("structured cases", () => {
  it("ours streams partial values and LangChain's parser is compared at the small size", () => {
    const ours = Ours.structuredCases(large, small)
    expect(ours.map((c) => c.group)).toEqual([large.label, large.label, small.label])
    expect(LangChain.structuredCases(large, small).map((c) => c.group)).toEqual([small.label])
    const baselines = Baseline.structuredCases(large, small).filter((c) => c.baseline === true)
    expect(baselines.map((c) => c.group)).toEqual([large.label, small.label])
  })
})

describe("Vercel's in-process stream", () => {
  it("is cut to VERCEL_STREAM_CHUNKS chunks and says so", () => {
    const [c] = Vercel.streamCases(100_000)
    expect(c.opsPerIteration).toBe(Vercel.VERCEL_STREAM_CHUNKS)
    expect(c.variant).toContain("10,000-chunk stream")
  })
})
