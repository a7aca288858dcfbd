/** The results table's layout. */
import { describe, expect, it } from "vitest"
import { markdownTable } from "../src/table.js"

describe("markdownTable", () => {
  it("pads every column to its widest cell, numbers to the right", () => {
    const table = markdownTable(
      [
        { header: "case", right: false },
        { header: "µs", right: true }
      ],
      [
        ["invoke", "0.06"],
        ["stream (per chunk)", "114"]
      ]
    )
    expect(table.split("\n")).toEqual([
      "| case               |   µs |",
      "| ------------------ | ---: |",
      "| invoke             | 0.06 |",
      "| stream (per chunk) |  114 |"
    ])
  })
})
