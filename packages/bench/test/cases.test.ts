/**
 * Every benchmark case gives the expected output (reply text, chunk count), so
 * no case can report a fast number for doing nothing. Never asserts on time.
 */
import { describe, expect, it } from "vitest"
import * as Baseline from "../src/baseline.js"
import type { Case } from "../src/measure.js"
import * as Ours from "../src/ours.js"
import * as EffectAi from "../src/peers/effect-ai.js"
import * as LangChain from "../src/peers/langchain.js"
import * as Vercel from "../src/peers/vercel.js"

const CHUNKS = 1_000

const suites: ReadonlyArray<
  readonly [
    string,
    { invokeCases: () => ReadonlyArray<Case>; streamCases: (n: number) => ReadonlyArray<Case> }
  ]
> = [
  ["baseline", Baseline],
  ["LangChain.js", LangChain],
  ["Vercel AI SDK", Vercel],
  ["@effect/ai", EffectAi],
  ["effect-chat (ours)", Ours]
]

describe.each(suites)("%s", (_name, suite) => {
  const cases = [...suite.invokeCases(), ...suite.streamCases(CHUNKS)]

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
