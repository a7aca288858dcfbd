/**
 * Stateful, chunk-wise stream stages: each Stream chunk of input becomes at most one
 * Stream chunk of output (no per-element effects), and a stage can end the stream early
 * (an end marker) or fail it after emitting what came before the failure.
 *
 * @internal
 */
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

/** What a stage says after a chunk: go on, end the stream here, or fail it. */
export type Step<E> = undefined | { readonly _tag: "End" } | { readonly _tag: "Fail"; readonly error: E }

/** Ends the stream after the elements pushed so far. */
export const end: Step<never> = { _tag: "End" }

/** Fails the stream after the elements pushed so far. */
export const fail = <E>(error: E): Step<E> => ({ _tag: "Fail", error })

/** One run of a stage: its state lives in the closures. */
export interface Stage<A, B, E> {
  /** Pushes the outputs of one input chunk to `out`. */
  readonly step: (input: Chunk.Chunk<A>, out: Array<B>) => Step<E>
  /**
   * Called when the input ends (not after an `end` step): pushes its last outputs to
   * `out` (emitted before its failure, if any) and returns a failure, or nothing.
   */
  readonly done: (out: Array<B>) => E | undefined
}

const emit = <B>(out: Array<B>) => Channel.write(Chunk.unsafeFromArray(out))

/**
 * Runs a stage over a stream; `make` is called once per run of the stream, so each
 * run gets fresh state.
 */
export const transduce = <A, E, R, B, E2>(
  self: Stream.Stream<A, E, R>,
  make: () => Stage<A, B, E2>
): Stream.Stream<B, E | E2, R> =>
  Stream.pipeThroughChannel(
    self,
    Channel.suspend(() => {
      const stage = make()
      const loop: Channel.Channel<
        Chunk.Chunk<B>,
        Chunk.Chunk<A>,
        E | E2,
        E,
        unknown,
        unknown
      > = Channel.readWithCause({
        onInput: (input: Chunk.Chunk<A>) => {
          const out: Array<B> = []
          const step = stage.step(input, out)
          if (step === undefined) return out.length === 0 ? loop : Channel.zipRight(emit(out), loop)
          const after = step._tag === "End" ? Channel.void : Channel.fail(step.error)
          return out.length === 0 ? after : Channel.zipRight(emit(out), after)
        },
        onFailure: Channel.failCause,
        onDone: () => {
          const out: Array<B> = []
          const error = stage.done(out)
          const after = error === undefined ? Channel.void : Channel.fail(error)
          return out.length === 0 ? after : Channel.zipRight(emit(out), after)
        }
      })
      return loop
    })
  )

/** Maps every element with `f`, failing at the first `Left` after emitting the elements before it. */
export const mapOrFail = <A, E, R, B, E2>(
  self: Stream.Stream<A, E, R>,
  f: (a: A) => Either.Either<B, E2>
): Stream.Stream<B, E | E2, R> =>
  transduce(self, () => ({
    step: (input, out) => {
      for (const a of input) {
        const result = f(a)
        if (Either.isLeft(result)) return fail(result.left)
        out.push(result.right)
      }
      return undefined
    },
    done: () => undefined
  }))
