/**
 * The structured-output case's payload: a catalog object serialized to about 1 MB of
 * JSON (strings with escapes and non-ASCII text, numbers, booleans, nulls, nested
 * arrays), cut into equal pieces, each streamed as its own Stream chunk (one network
 * read per piece). Built once per process and cached.
 */
import { isDeepStrictEqual } from "node:util"

/** One size of the case. */
export interface Scale {
  /** Bytes of JSON, at least. */
  readonly bytes: number
  /** Pieces the text is streamed in. */
  readonly chunks: number
  /** How the table names it. */
  readonly label: string
}

/** The case of issue 3: a 1 MB object in 10,000 chunks. */
export const LARGE: Scale = { bytes: 1_000_000, chunks: 10_000, label: "1 MB object in 10,000 chunks" }

/**
 * A twentieth of it (the same 100 characters a piece), for parsers too slow for the
 * large one: LangChain's `JsonOutputParser` re-parses the whole text at every piece,
 * so its cost grows with the square of the size (5 s at 100 KB, 37 s at 300 KB here).
 */
export const SMALL: Scale = { bytes: 50_000, chunks: 500, label: "50 KB object in 500 chunks" }

/** The JSON text, the pieces it is streamed in, and `JSON.parse` of the whole. */
export interface Payload {
  readonly text: string
  readonly pieces: ReadonlyArray<string>
}

const item = (i: number) => ({
  id: i,
  sku: `SKU-${(i * 7919).toString(36).toUpperCase()}`,
  name: `Item ${i}: naïve café «${i % 13}»`,
  description: `Line one of item ${i}.\nLine two with "quotes", a tab\tand a backslash \\ (東京).`,
  price: Math.round(i * 1.37 * 100) / 100,
  ratio: i / 7,
  inStock: i % 3 !== 0,
  tags: ["alpha", "beta", `t${i % 17}`],
  dimensions: { width: i % 100, height: (i * 3) % 50, unit: "cm" },
  discontinued: i % 11 === 0 ? null : `since ${2000 + (i % 25)}`
})

const cache = new Map<Scale, Payload>()

/** The payload of `scale`: the smallest catalog whose JSON has at least `scale.bytes` characters. */
export const payloadOf = (scale: Scale): Payload => {
  const cached = cache.get(scale)
  if (cached !== undefined) return cached
  const items: Array<ReturnType<typeof item>> = []
  let length = 0
  while (length < scale.bytes) {
    const next = item(items.length)
    items.push(next)
    length += JSON.stringify(next).length + 1
  }
  const text = JSON.stringify({ title: "Catalog", version: 3, items })
  const step = Math.ceil(text.length / scale.chunks)
  const pieces: Array<string> = []
  for (let start = 0; start < text.length; start += step) pieces.push(text.slice(start, start + step))
  const payload = { text, pieces }
  cache.set(scale, payload)
  return payload
}

/** What `verify` of a structured case must return. */
export const EXPECTED_STRUCTURED = "final value equals JSON.parse of the whole"

/**
 * What `verify` of a structured case returns: `EXPECTED_STRUCTURED` when the final
 * value equals `JSON.parse` of the whole text (and, for a streaming parser, partial
 * values were seen on the way), else what went wrong.
 */
export const describeStructured = (final: unknown, text: string, partials?: number): string =>
  partials === 0
    ? "no partial values streamed"
    : isDeepStrictEqual(final, JSON.parse(text))
      ? EXPECTED_STRUCTURED
      : "final value differs from JSON.parse of the whole"
