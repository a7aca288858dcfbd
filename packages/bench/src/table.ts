/**
 * The results table as markdown, columns padded to equal width (readable in a
 * terminal, and already in the shape Biome's markdown formatter keeps).
 */

/** A column: its header and whether its cells are right-aligned (numbers). */
export interface Column {
  readonly header: string
  readonly right: boolean
}

/** Renders a markdown table with every column padded to its widest cell. */
export const markdownTable = (
  columns: ReadonlyArray<Column>,
  rows: ReadonlyArray<ReadonlyArray<string>>
): string => {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, 3, ...rows.map((row) => (row[i] ?? "").length))
  )
  const line = (cells: ReadonlyArray<string>): string =>
    `| ${cells
      .map((cell, i) => (columns[i].right ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join(" | ")} |`
  const rule = columns.map((column, i) =>
    column.right ? `${"-".repeat(widths[i] - 1)}:` : "-".repeat(widths[i])
  )
  return [
    line(columns.map((c) => c.header)),
    `| ${rule.join(" | ")} |`,
    ...rows.map((row) => line(columns.map((_, i) => row[i] ?? "")))
  ].join("\n")
}
