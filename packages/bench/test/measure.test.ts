/** The timing helpers' bookkeeping (never the times themselves). */
import { describe, expect, it } from "vitest"
import { type Case, measure, median } from "../src/measure.js"

describe("median", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })
})

describe("measure", () => {
  it("runs batches of calibrated size and returns one figure per sample", async () => {
    let calls = 0
    const c: Case = {
      section: "invoke",
      library: "test",
      variant: "counter",
      opsPerIteration: 1,
      run: async (iterations) => {
        for (let i = 0; i < iterations; i++) calls++
      },
      verify: async () => "ok",
      expected: "ok"
    }
    const m = await measure(c, {
      targetBatchMs: 1,
      warmupMs: 0,
      maxSamples: 4,
      minSamples: 2,
      budgetMs: 10_000
    })
    expect(m.samplesUs.length).toBe(4)
    expect(m.iterations).toBeGreaterThan(0)
    expect(m.medianUs).toBe(median(m.samplesUs))
    expect(calls).toBeGreaterThanOrEqual(4 * m.iterations)
  })
})
