/**
 * Stateful, chunk-wise stream stages: each Stream chunk of input becomes at most one
 * Stream chunk of output (no per-element effects), and a stage can end the stream early
 * (an end marker) or fail it after emitting what came before the failure.
 *
 * Stages fuse: `transduce` over a stream that `transduce` made runs the new stage in
 * the same channel as the ones before it, over their source, and gives exactly what
 * running them one after the other gives (the same Stream chunks, the same end or
 * failure). A fused pipeline is one channel executor instead of one per stage, and it
 * holds nothing between two reads of its source: an executor keeps the last Stream
 * chunk it emitted until it emits the next, so every unfused stage would keep the
 * output of the last read (for SSE: every event of a network read, and the read's text
 * their data slices) alive for as long as the stream waits for the next read.
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

/**
 * One run of a stage that maps every input chunk to one output chunk, empty or not (an
 * unchanged chunk passes on at no cost), and never ends or fails early.
 */
export interface ChunkStage<A, B, E> {
  /** The output chunk of one input chunk. */
  readonly chunk: (input: Chunk.Chunk<A>) => Chunk.Chunk<B>
  /** As `Stage.done`. */
  readonly done: (out: Array<B>) => E | undefined
}

/** Either kind of stage. */
export type AnyStage<A, B, E> = Stage<A, B, E> | ChunkStage<A, B, E>

// the stages of a fused pipeline see each other's elements, whatever their types
// biome-ignore lint/suspicious/noExplicitAny: a pipeline is typed at its ends only
type Untyped = AnyStage<any, any, any>

/** How a stream made by `transduce` is made: its source and its stages, in order. */
interface Pipeline {
  readonly source: Stream.Stream<unknown, unknown, unknown>
  readonly makes: ReadonlyArray<() => Untyped>
}

const pipelines = new WeakMap<object, Pipeline>()

/**
 * One run of a pipeline of stages: feeds what a stage outputs to the next one, exactly
 * as channels piped one into the other would, collecting the last stage's Stream
 * chunks and how the run ends.
 */
class Run {
  /** The Stream chunks to emit, in order. */
  readonly emits: Array<Chunk.Chunk<unknown>> = []
  /** Set once the stream ends or fails (nothing is fed to any stage after that). */
  exit: Step<unknown> = undefined

  constructor(private readonly stages: ReadonlyArray<Untyped>) {}

  /** Stage `index` gets a Stream chunk. */
  input(index: number, chunk: Chunk.Chunk<unknown>): void {
    const stage = this.stages[index]
    if (stage === undefined) {
      this.emits.push(chunk)
      return
    }
    if ("chunk" in stage) {
      this.input(index + 1, stage.chunk(chunk))
      return
    }
    const out: Array<unknown> = []
    const step = stage.step(chunk, out)
    // an unfused stage emits only non-empty chunks
    if (out.length > 0) this.input(index + 1, Chunk.unsafeFromArray(out))
    // a stage after this one may have ended the stream already
    if (step === undefined || this.exit !== undefined) return
    if (step._tag === "End") this.done(index + 1)
    else this.exit = step
  }

  /** The input of stage `index` ends. */
  done(index: number): void {
    const stage = this.stages[index]
    if (stage === undefined) {
      this.exit = end
      return
    }
    const out: Array<unknown> = []
    const error = stage.done(out)
    if (out.length > 0) this.input(index + 1, Chunk.unsafeFromArray(out))
    if (this.exit !== undefined) return
    // a failure passes through the stages after this one untouched
    if (error === undefined) this.done(index + 1)
    else this.exit = fail(error)
  }
}

type Driver = Channel.Channel<Chunk.Chunk<unknown>, Chunk.Chunk<unknown>, unknown, unknown, unknown, unknown>

/** The channel of one run of a pipeline: every input chunk through all the stages at once. */
const drive = (stages: ReadonlyArray<Untyped>): Driver => {
  const run = new Run(stages)
  /** Emits what the last stage output, then goes on, ends or fails. */
  const after = (): Driver => {
    const exit = run.exit
    const next = exit === undefined ? loop : exit._tag === "End" ? Channel.void : Channel.fail(exit.error)
    const emits = run.emits
    if (emits.length === 0) return next
    if (emits.length === 1) {
      const chunk = emits[0]!
      emits.length = 0
      return Channel.zipRight(Channel.write(chunk), next)
    }
    let channel = next
    for (let index = emits.length - 1; index >= 0; index--) {
      channel = Channel.zipRight(Channel.write(emits[index]!), channel)
    }
    emits.length = 0
    return channel
  }
  const loop: Driver = Channel.readWithCause({
    onInput: (input: Chunk.Chunk<unknown>) => {
      run.input(0, input)
      return after()
    },
    onFailure: Channel.failCause,
    onDone: () => {
      run.done(0)
      return after()
    }
  })
  return loop
}

/**
 * Runs a stage over a stream; `make` is called once per run of the stream, so each
 * run gets fresh state. Over a stream made by `transduce`, the stage is fused with the
 * stages that made it (see the module's doc).
 */
export const transduce = <A, E, R, B, E2>(
  self: Stream.Stream<A, E, R>,
  make: () => AnyStage<A, B, E2>
): Stream.Stream<B, E | E2, R> => {
  const inner = pipelines.get(self)
  const pipeline: Pipeline =
    inner === undefined
      ? { source: self as Stream.Stream<unknown, unknown, unknown>, makes: [make] }
      : { source: inner.source, makes: [...inner.makes, make] }
  const { makes } = pipeline
  const stream = Stream.pipeThroughChannel(
    pipeline.source,
    Channel.suspend(() => drive(makes.map((makeStage) => makeStage())))
  ) as Stream.Stream<B, E | E2, R>
  pipelines.set(stream, pipeline)
  return stream
}

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
