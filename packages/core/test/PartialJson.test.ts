import { isDeepStrictEqual } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { makeIncremental, parsePartial } from "@effect-chat/core/internal/partialJson"
import { FastCheck as fc } from "effect"

/** JSON with every non-ASCII character escaped as `\uXXXX` (what `ensure_ascii` emits). */
const asciiJson = (value: unknown, indent?: number): string =>
  JSON.stringify(value, null, indent).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

/** The text cut at the given positions (taken modulo its length, deduplicated). */
const split = (text: string, cuts: ReadonlyArray<number>): Array<string> => {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b)
  const pieces: Array<string> = []
  let from = 0
  for (const point of [...points, text.length]) {
    pieces.push(text.slice(from, point))
    from = point
  }
  return pieces
}

const tryParse = (text: string): { readonly value: unknown } | undefined => {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * Whether `partial`, read from a prefix of the text of `final`, agrees with it: strings
 * are prefixes, arrays hold a prefix of the items (all finished but the last), objects a
 * prefix of the members in text order (all finished but the last), other values match.
 * Object key order is text order because the texts come from `JSON.stringify`.
 */
const consistent = (partial: unknown, final: unknown): boolean => {
  if (typeof final === "string") return typeof partial === "string" && final.startsWith(partial)
  if (typeof final === "number") return typeof partial === "number"
  if (Array.isArray(final)) {
    if (!Array.isArray(partial) || partial.length > final.length) return false
    return partial.every((item, i) =>
      i === partial.length - 1 ? consistent(item, final[i]) : isDeepStrictEqual(item, final[i])
    )
  }
  if (isObject(final)) {
    if (!isObject(partial)) return false
    const keys = Object.keys(partial)
    const prefix = Object.keys(final).slice(0, keys.length)
    if (!isDeepStrictEqual(new Set(keys), new Set(prefix))) return false
    const last = prefix[prefix.length - 1]
    return keys.every((key) =>
      key === last ? consistent(partial[key], final[key]) : isDeepStrictEqual(partial[key], final[key])
    )
  }
  return Object.is(partial, final)
}

/** JSON texts of every flavour: compact, indented, with raw and with escaped Unicode. */
const texts: fc.Arbitrary<string> = fc.oneof(
  fc.json(),
  fc.unicodeJson(),
  fc.unicodeJsonValue().map((value) => JSON.stringify(value, null, 2)),
  fc.unicodeJsonValue().map((value) => asciiJson(value)),
  fc.unicodeJsonValue().map((value) => ` \n${asciiJson(value, 1)}\t `)
)

describe("parsePartial repairs truncated JSON", () => {
  it.each<[string, { readonly value: unknown } | undefined]>([
    ["", undefined],
    ["  \n\t", undefined],
    ['"', { value: "" }],
    ['"ab', { value: "ab" }],
    ['"ab\\', { value: "ab" }],
    ['"ab\\n', { value: "ab\n" }],
    ['"a\\u00', { value: "a" }],
    ['"a\\u00e9', { value: "aé" }],
    ['"x\\uD83D', { value: "x" }],
    ['"x\\uD83D\\uDE0', { value: "x" }],
    ['"x\\uD83D\\uDE00', { value: "x😀" }],
    ['"x\\uD83D"', { value: "x\uD83D" }],
    ["[", { value: [] }],
    ["[1, 2", { value: [1, 2] }],
    ["[1,", { value: [1] }],
    ['[1, "ab', { value: [1, "ab"] }],
    ["[tr", { value: [] }],
    ["[true, nul", { value: [true] }],
    ["[[1, [2", { value: [[1, [2]]] }],
    ["{", { value: {} }],
    ['{"a', { value: {} }],
    ['{"a"', { value: {} }],
    ['{"a":', { value: {} }],
    ['{"a": 1, "b"', { value: { a: 1 } }],
    ['{"a": 1, "b":', { value: { a: 1 } }],
    ['{"a": 1,', { value: { a: 1 } }],
    ['{"a": "x', { value: { a: "x" } }],
    ['{"a": t', { value: {} }],
    ['{"a": -', { value: {} }],
    ['{"a": 1.', { value: { a: 1 } }],
    ['{"a": {"b": [1, {"c": "d', { value: { a: { b: [1, { c: "d" }] } } }],
    ['  {"a" : 1 ,', { value: { a: 1 } }],
    ['{"a": 1}  ', { value: { a: 1 } }],
    ["12", { value: 12 }],
    ["-", undefined],
    ["-1", { value: -1 }],
    ["-0", { value: -0 }],
    ["1.", { value: 1 }],
    ["1.5", { value: 1.5 }],
    ["1e", { value: 1 }],
    ["1e-", { value: 1 }],
    ["1.5E+", { value: 1.5 }],
    ["1.5E+2", { value: 150 }],
    ["tru", undefined],
    ["true", { value: true }],
    ["fals", undefined],
    ["nul", undefined],
    ["null", { value: null }]
  ])("%j", (text, expected) => {
    expect(parsePartial(text)).toEqual(expected)
  })

  it.each([
    "x",
    "[1,]",
    "[,",
    '{"a" 1}',
    "{,",
    '{"a":1}x',
    "1 2",
    "01",
    "--1",
    "1.e",
    "1ex",
    "[1}",
    "{]",
    "]",
    "truex",
    "nulL",
    '"\\x',
    '"\\u12g',
    '"a\nb"',
    "{'a': 1}"
  ])("text that is not JSON has no value: %j", (text) => {
    expect(parsePartial(text)).toBeUndefined()
    const parser = makeIncremental()
    parser.push(text)
    expect(parser.error).toMatch(/^Unexpected .* at position \d+ of the JSON text$/)
    expect(parser.complete).toBe(false)
  })

  it("reports where the text stops being JSON, and stays failed", () => {
    const parser = makeIncremental()
    parser.push('{"a": [1, 2')
    parser.push("}")
    expect(parser.error).toBe('Unexpected "}" at position 11 of the JSON text')
    parser.push("]}")
    expect(parser.value).toBeUndefined()
    expect(parser.text).toBe('{"a": [1, 2}]}')
  })

  it("keeps a __proto__ key as an own member, as JSON.parse does", () => {
    const text = '{"__proto__": {"x": 1}, "y": [{"__proto__": 2}]}'
    const value = parsePartial(text)?.value
    expect(value).toEqual(JSON.parse(text))
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value as object)).toEqual(["__proto__", "y"])
    const partial = parsePartial('{"__proto__": {"x": 1')?.value
    expect(Object.getPrototypeOf(partial)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(partial, "__proto__")?.value).toEqual({ x: 1 })
  })

  it("keeps the last of duplicate keys, at the first one's place", () => {
    const text = '{"a": 1, "b": 2, "a": 3}'
    expect(parsePartial(text)?.value).toEqual(JSON.parse(text))
    expect(parsePartial('{"a": 1, "b": 2, "a": "x')?.value).toEqual({ a: "x", b: 2 })
  })

  it("complete JSON gives exactly JSON.parse's result", () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(parsePartial(text)).toEqual({ value: JSON.parse(text) })
        expect(isDeepStrictEqual(parsePartial(text)?.value, JSON.parse(text))).toBe(true)
      })
    )
  })

  it("every prefix of a JSON text parses to a value consistent with the whole", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const final = JSON.parse(text)
        let seen = false
        for (let end = 0; end <= text.length; end++) {
          const prefix = text.slice(0, end)
          const parsed = parsePartial(prefix)
          // once something usable has arrived, every longer prefix has a value
          if (seen) expect(parsed).toBeDefined()
          if (parsed === undefined) continue
          seen = true
          expect(consistent(parsed.value, final), `${JSON.stringify(prefix)} of ${text}`).toBe(true)
        }
        expect(seen).toBe(true)
      })
    )
  })

  it("is complete exactly when JSON.parse accepts the text so far", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const parser = makeIncremental()
        for (const char of split(
          text,
          Array.from(text, (_, i) => i)
        )) {
          parser.push(char)
          expect(parser.complete).toBe(tryParse(parser.text) !== undefined)
          expect(parser.error).toBeUndefined()
        }
      })
    )
  })

  it("never throws, and agrees with JSON.parse on any text", () => {
    const garbled = fc
      .tuple(texts, fc.nat(), fc.constantFrom("", "x", ",", "]", "}", '"', "\\", ":", "-", "0", " "))
      .map(([text, at, insert]) => {
        const i = at % (text.length + 1)
        return text.slice(0, i) + insert + text.slice(i)
      })
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.fullUnicodeString(), garbled), (text) => {
        const parsed = parsePartial(text)
        const reference = tryParse(text)
        if (reference !== undefined) expect(parsed).toEqual(reference)
      })
    )
  })
})

describe("makeIncremental", () => {
  it("after each delta, equals parsePartial of the text so far, and JSON.parse at the end", () => {
    fc.assert(
      fc.property(texts, fc.array(fc.nat(), { maxLength: 30 }), (text, cuts) => {
        const parser = makeIncremental()
        const snapshots: Array<[unknown, unknown]> = []
        for (const delta of split(text, cuts)) {
          parser.push(delta)
          expect(parser.value).toEqual(parsePartial(parser.text)?.value)
          snapshots.push([parser.value, structuredClone(parser.value)])
        }
        expect(parser.text).toBe(text)
        expect(parser.complete).toBe(true)
        expect(isDeepStrictEqual(parser.value, JSON.parse(text))).toBe(true)
        // later pushes never mutate a snapshot a caller kept
        for (const [kept, copy] of snapshots) expect(isDeepStrictEqual(kept, copy)).toBe(true)
      })
    )
  })

  it("resumes inside escapes, \\u sequences, surrogate pairs, numbers, literals and keys", () => {
    const text = asciiJson({ "ké\ny": ['😀 a"b\\c/', -12.5e-3, true, false, null, { "": "é\u0000" }] })
    expect(text).toContain("\\ud83d\\ude00")
    const final = JSON.parse(text)
    // every split into two pieces, and one character at a time
    for (let at = 0; at <= text.length; at++) {
      const parser = makeIncremental()
      parser.push(text.slice(0, at))
      expect(parser.value).toEqual(parsePartial(text.slice(0, at))?.value)
      parser.push(text.slice(at))
      expect(parser.value).toEqual(final)
    }
    const parser = makeIncremental()
    for (const char of text) {
      parser.push(char)
      expect(parser.value).toEqual(parsePartial(parser.text)?.value)
    }
    expect(parser.value).toEqual(final)
  })

  it("never shows half of a surrogate pair, escaped or raw", () => {
    const escaped = makeIncremental()
    escaped.push('["a\\uD83D')
    expect(escaped.value).toEqual(["a"])
    escaped.push("\\uDE")
    expect(escaped.value).toEqual(["a"])
    escaped.push('00b"]')
    expect(escaped.value).toEqual(["a😀b"])
    const raw = makeIncremental()
    raw.push('["a\uD83D')
    expect(raw.value).toEqual(["a"])
    raw.push('\uDE00"]')
    expect(raw.value).toEqual(["a😀"])
  })

  it("returns the same snapshot until the next push", () => {
    const parser = makeIncremental()
    expect(parser.value).toBeUndefined()
    parser.push('{"a": [1, {"b": 2}], "c": "x')
    const first = parser.value
    expect(parser.value).toBe(first)
    parser.push("y")
    const second = parser.value
    expect(second).not.toBe(first)
    expect(first).toEqual({ a: [1, { b: 2 }], c: "x" })
    expect(second).toEqual({ a: [1, { b: 2 }], c: "xy" })
    // finished containers are shared between snapshots
    expect((second as { a: unknown }).a).toBe((first as { a: unknown }).a)
  })

  it("examines each character once: 1 MB in 10,000 deltas costs what one push costs", () => {
    const items = Array.from({ length: 9000 }, (_, i) => ({
      id: i,
      name: `item ${i}: "quoted" \\ é 😀\n`,
      score: i * 1.25e-3,
      tags: ["a", "b"],
      ok: i % 2 === 0,
      none: null
    }))
    const text = asciiJson({ items })
    expect(text.length).toBeGreaterThan(1_000_000)
    const deltas = split(
      text,
      Array.from({ length: 9_999 }, (_, i) => Math.floor(((i + 1) * text.length) / 10_000))
    )
    expect(deltas).toHaveLength(10_000)

    const streamed = makeIncremental()
    for (const delta of deltas) {
      streamed.push(delta)
      expect(streamed.value).toBeDefined()
    }
    const whole = makeIncremental()
    whole.push(text)

    // each character once, plus the one after each number (two numbers per item)
    expect(streamed.scanned).toBe(text.length + 2 * items.length)
    expect(whole.scanned).toBe(streamed.scanned)
    expect(streamed.value).toEqual(JSON.parse(text))
  })
})
