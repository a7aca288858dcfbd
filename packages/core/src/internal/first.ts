/**
 * Streams that can be retried, timed out or replaced only before their first chunk.
 *
 * `open` runs a stream in its own child scope until its first non-empty chunk (or its
 * end); if that fails the child scope is closed at once (the provider's request is
 * aborted), so the attempt can be retried or another stream opened. Once a chunk has
 * been seen, the stream's later errors pass through untouched: a caller never sees a
 * token twice. (`Stream.retry` re-runs whole streams, which is why it is not used.)
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as streams from "./streams.js"

/** A stream whose first chunk has been read. */
export interface Opened<A, E> {
  readonly first: Chunk.Chunk<A>
  readonly rest: Stream.Stream<A, E>
}

/**
 * Opens `stream` in a child scope of `parent` and reads it until an element that
 * `isSubstantial` accepts (by default any element): leading elements that carry nothing
 * a caller could see (an empty role-only chunk) are held back with it, so a failure
 * before any content can still be retried or handed to a fallback.
 */
export const open = <A, E>(
  stream: Stream.Stream<A, E>,
  parent: Scope.Scope,
  isSubstantial: (item: A) => boolean = () => true
): Effect.Effect<Opened<A, E>, E> =>
  Effect.flatMap(Scope.fork(parent, ExecutionStrategy.sequential), (scope) =>
    Effect.flatMap(Scope.extend(Stream.toPull(stream), scope), (pull) => {
      const next = (held: Chunk.Chunk<A>): Effect.Effect<Opened<A, E>, E> =>
        Effect.matchCauseEffect(pull, {
          onFailure: (cause) =>
            Option.match(Cause.flipCauseOption(cause), {
              onNone: () => Effect.succeed({ first: held, rest: Stream.empty }),
              onSome: Effect.failCause
            }),
          onSuccess: (chunk) => {
            const all = Chunk.appendAll(held, chunk)
            return Chunk.some(chunk, isSubstantial)
              ? Effect.succeed({ first: all, rest: Stream.repeatEffectChunkOption(pull) })
              : next(all)
          }
        })
      return next(Chunk.empty())
    }).pipe(Effect.onExit((exit) => (Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void)))
  )

/** A stream from the first successfully opened one. */
export const guarded = <A, E, E2>(
  attempt: (parent: Scope.Scope) => Effect.Effect<Opened<A, E>, E2>
): Stream.Stream<A, E | E2> =>
  streams.unwrapScoped(
    Effect.map(Effect.flatMap(Effect.scope, attempt), (opened) =>
      Chunk.isEmpty(opened.first) ? opened.rest : Stream.concat(Stream.fromChunk(opened.first), opened.rest)
    )
  )

/** Applies `f` (a retry, a timeout) to the part of `stream` before its first chunk. */
export const openFirst = <A, E, E2>(
  stream: Stream.Stream<A, E>,
  f: (first: Effect.Effect<Opened<A, E>, E>) => Effect.Effect<Opened<A, E>, E2>,
  isSubstantial?: (item: A) => boolean
): Stream.Stream<A, E | E2> => guarded((parent) => f(open(stream, parent, isSubstantial)))
