/**
 * `Provider.transduce` fuses a stage into the stages of a stream `transduce` made (one
 * channel instead of one per stage). Fused pipelines must give exactly what the stages
 * piped one after the other give: the same Stream chunks (not only the same elements),
 * the same end, the same failure. Generated pipelines of stages that map, drop, end
 * early, fail, and push elements or fail when their input ends are run both ways.
 */
import { describe, expect, it } from "@effect/vitest"
import { Provider } from "@effect-chat/core"
import { Chunk, Effect, Either, FastCheck as fc, Stream } from "effect"

/** What one generated stage does. */
interface StageSpec {
  /** Each element `x` becomes `x`, `x + 1`, … (`times` elements; 0: dropped). */
  readonly times: number
  /** Ends the stream after the element equal to this (pushed first). */
  readonly endAt: number | undefined
  /** Fails the stream at the element equal to this (not pushed). */
  readonly failAt: number | undefined
  /** Pushed when the input ends. */
  readonly last: ReadonlyArray<number>
  /** Whether it fails when the input ends (after `last`). */
  readonly failAtEnd: boolean
}

const makeStage = (spec: StageSpec, index: number) => (): Provider.Stage<number, number, string> => ({
  step: (input, out) => {
    for (const x of input) {
      if (x === spec.failAt) return { _tag: "Fail", error: `stage ${index} failed at ${x}` }
      for (let copy = 0; copy < spec.times; copy++) out.push(x + copy)
      if (x === spec.endAt) return { _tag: "End" }
    }
    return undefined
  },
  done: (out) => {
    out.push(...spec.last)
    return spec.failAtEnd ? `stage ${index} failed at the end` : undefined
  }
})

interface Outcome {
  readonly chunks: ReadonlyArray<ReadonlyArray<number>>
  readonly failure: string | undefined
}

const run = (stream: Stream.Stream<number, string>): Outcome => {
  const items = Effect.runSync(Stream.runCollect(Stream.either(Stream.chunks(stream))))
  const chunks: Array<ReadonlyArray<number>> = []
  let failure: string | undefined
  for (const item of items) {
    if (Either.isRight(item)) chunks.push(Chunk.toReadonlyArray(item.right))
    else failure = item.left
  }
  return { chunks, failure }
}

const source = (
  reads: ReadonlyArray<ReadonlyArray<number>>,
  failure: boolean
): Stream.Stream<number, string> => {
  const stream = Stream.fromChunks(...reads.map((read) => Chunk.fromIterable(read)))
  return failure ? Stream.concat(stream, Stream.fail("the source failed")) : stream
}

const stageSpec: fc.Arbitrary<StageSpec> = fc.record({
  times: fc.integer({ min: 0, max: 2 }),
  endAt: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  failAt: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  last: fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 2 }),
  failAtEnd: fc.boolean()
})

describe("Provider.transduce", () => {
  it("fused stages give the Stream chunks, end and failure of the same stages piped one after the other", () =>
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 4 }), { maxLength: 5 }),
        fc.boolean(),
        fc.array(stageSpec, { minLength: 1, maxLength: 4 }),
        (reads, sourceFails, specs) => {
          const stages = specs.map(makeStage)
          // `Stream.suspend` hides a stream from the next stage: nothing fuses
          const piped = stages.reduce(
            (stream, make) =>
              Provider.transduce(
                Stream.suspend(() => stream),
                make
              ),
            source(reads, sourceFails)
          )
          const fused = stages.reduce(
            (stream, make) => Provider.transduce(stream, make),
            source(reads, sourceFails)
          )
          expect(run(fused)).toEqual(run(piped))
        }
      ),
      { numRuns: 1_000 }
    ))

  it("fuses with the SSE decoder", () => {
    const body = "data: 1\n\ndata: 2\n\nevent: x\ndata: 3\n\ndata: [DONE]\n\ndata: 4\n\n"
    const reads = [body.slice(0, 11), body.slice(11, 30), body.slice(30)].map((text) =>
      new TextEncoder().encode(text)
    )
    const stage = (): Provider.Stage<Provider.SseEvent, string, never> => ({
      step: (input, out) => {
        for (const event of input) {
          if (event.data === "[DONE]") return { _tag: "End" }
          out.push(`${event.event}:${event.data}`)
        }
        return undefined
      },
      done: () => undefined
    })
    const events = Stream.fromChunks(...reads.map((read) => Chunk.of(read))).pipe(Provider.decodeSse())
    const collect = (stream: Stream.Stream<string, unknown>) =>
      Effect.runSync(Stream.runCollect(Stream.chunks(stream))).pipe(Chunk.toReadonlyArray, (chunks) =>
        chunks.map(Chunk.toReadonlyArray)
      )
    const fused = collect(Provider.transduce(events, stage))
    expect(fused).toEqual(
      collect(
        Provider.transduce(
          Stream.suspend(() => events),
          stage
        )
      )
    )
    expect(fused.flat()).toEqual(["message:1", "message:2", "x:3"])
  })
})
