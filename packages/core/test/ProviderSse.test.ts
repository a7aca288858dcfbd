/**
 * `Provider.decodeSse` against the reference it is built to agree with: the body decoded,
 * split by `Stream.splitLines`, and every line fed to `@effect/experimental`'s SSE parser.
 * The decoder emits single-`data:`-line events without the parser; generated bodies
 * (every field, comments, blank runs, multi-line data, CRLF, lone CR, oversized events)
 * cut into arbitrary reads must give the same events and the same failure.
 */
import * as Sse from "@effect/experimental/Sse"
import { describe, expect, it } from "@effect/vitest"
import { Provider } from "@effect-chat/core"
import { Chunk, Effect, Either, FastCheck as fc, Stream } from "effect"

interface Outcome {
  readonly events: ReadonlyArray<Provider.SseEvent>
  readonly failure: string | undefined
}

/** The reference: split lines, then the parser line by line (as before the shortcut). */
const reference = (text: string, maxEventSize: number | undefined): Outcome => {
  const lines = Effect.runSync(
    Stream.runCollect(Stream.splitLines(Stream.make(text))).pipe(Effect.map(Chunk.toReadonlyArray))
  )
  const events: Array<Provider.SseEvent> = []
  const parser = Sse.makeParser(
    (event) => {
      if (event._tag === "Event") events.push({ event: event.event, data: event.data, id: event.id })
    },
    maxEventSize === undefined ? undefined : { maxEventSize }
  )
  for (const line of lines) {
    if (parser.feed(`${line}\n`) !== undefined) return { events, failure: "MalformedResponseError" }
  }
  return { events, failure: undefined }
}

const decoded = (reads: ReadonlyArray<Uint8Array>, maxEventSize: number | undefined): Outcome => {
  const items = Effect.runSync(
    Stream.runCollect(
      Stream.either(
        Stream.fromChunks(...reads.map((read) => Chunk.of(read))).pipe(
          Provider.decodeSse(maxEventSize === undefined ? {} : { maxEventSize })
        )
      )
    )
  )
  const events: Array<Provider.SseEvent> = []
  let failure: string | undefined
  for (const item of items) {
    if (Either.isRight(item)) events.push(item.right)
    else failure = item.left._tag
  }
  return { events, failure }
}

/** The bytes of `text` cut at the given positions (modulo its length). */
const cut = (text: string, cuts: ReadonlyArray<number>): Array<Uint8Array> => {
  const bytes = new TextEncoder().encode(text)
  const points = [...new Set(cuts.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b)
  const reads: Array<Uint8Array> = []
  let from = 0
  for (const point of [...points, bytes.length]) {
    reads.push(bytes.subarray(from, point))
    from = point
  }
  return reads
}

const value = fc.oneof(
  fc.constantFrom("", " ", "x", "[DONE]", '{"a":1}', "a:b", " lead", "é😀", "tail ", "\u0000"),
  fc.string({ maxLength: 12 })
)
const newline = fc.constantFrom("\n", "\n", "\n", "\r\n", "\r")
const line = fc.oneof(
  { weight: 6, arbitrary: value.map((text) => `data: ${text}`) },
  { weight: 1, arbitrary: value.map((text) => `data:${text}`) },
  { weight: 1, arbitrary: fc.constant("data") },
  { weight: 1, arbitrary: value.map((text) => `event: ${text}`) },
  { weight: 1, arbitrary: value.map((text) => `id: ${text}`) },
  { weight: 1, arbitrary: fc.constantFrom("retry: 10", "retry: x") },
  { weight: 1, arbitrary: value.map((text) => `: ${text}`) },
  { weight: 1, arbitrary: value.map((text) => `other: ${text}`) },
  { weight: 1, arbitrary: value }
)
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(line, newline).map(([text, end]) => text + end) },
  { weight: 3, arbitrary: newline },
  // whole named events, the shape of most Responses API streams
  {
    weight: 2,
    arbitrary: fc.tuple(value, value).map(([name, data]) => `event: ${name}\ndata: ${data}\n\n`)
  }
)
const body = fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join(""))

describe("Provider.decodeSse agrees with the SSE parser fed line by line", () => {
  it("on generated bodies cut into arbitrary reads", () => {
    fc.assert(
      fc.property(
        body,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.constantFrom(undefined, 4, 16),
        (text, cuts, maxEventSize) => {
          expect(decoded(cut(text, cuts), maxEventSize)).toEqual(reference(text, maxEventSize))
        }
      ),
      { numRuns: 1000 }
    )
  }, 30_000)

  it("on the common shape: one data line per event, split anywhere", () => {
    const text = Array.from({ length: 50 }, (_, i) => `data: {"i":${i},"t":"é"}\n\n`).join("")
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 20 }), (cuts) => {
        expect(decoded(cut(text, cuts), undefined)).toEqual(reference(text, undefined))
      }),
      { numRuns: 300 }
    )
  }, 30_000)

  it("keeps an id given before a shortcut event on the event the parser gives it to", () => {
    // an `id:` with no data stays with the parser until the next event it dispatches
    const text = "data: a\n\nid: 7\n\ndata: b\n\ndata: c\n\n"
    expect(decoded(cut(text, []), undefined)).toEqual(reference(text, undefined))
    expect(decoded(cut(text, []), undefined).events.map((event) => event.id)).toEqual([
      undefined,
      "7",
      undefined
    ])
  })
})
