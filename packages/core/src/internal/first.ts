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

/** A stream whose first chunk has been read. */
export interface Opened<A, E> {
  readonly first: Chunk.Chunk<A>
  readonly rest: Stream.Stream<A, E>
}

/** Opens `stream` in a child scope of `parent` and reads up to its first non-empty chunk. */
export const open = <A, E>(
  stream: Stream.Stream<A, E>,
  parent: Scope.Scope
): Effect.Effect<Opened<A, E>, E> =>
  Effect.flatMap(Scope.fork(parent, ExecutionStrategy.sequential), (scope) =>
    Effect.flatMap(Scope.extend(Stream.toPull(stream), scope), (pull) => {
      const next: Effect.Effect<Opened<A, E>, E> = Effect.matchCauseEffect(pull, {
        onFailure: (cause) =>
          Option.match(Cause.flipCauseOption(cause), {
            onNone: () => Effect.succeed({ first: Chunk.empty<A>(), rest: Stream.empty }),
            onSome: Effect.failCause
          }),
        onSuccess: (chunk) =>
          Chunk.isEmpty(chunk)
            ? next
            : Effect.succeed({ first: chunk, rest: Stream.repeatEffectChunkOption(pull) })
      })
      return next
    }).pipe(Effect.onExit((exit) => (Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void)))
  )

/** A stream from the first successfully opened one. */
export const guarded = <A, E, E2>(
  attempt: (parent: Scope.Scope) => Effect.Effect<Opened<A, E>, E2>
): Stream.Stream<A, E | E2> =>
  Stream.unwrapScoped(
    Effect.map(Effect.flatMap(Effect.scope, attempt), (opened) =>
      Chunk.isEmpty(opened.first) ? opened.rest : Stream.concat(Stream.fromChunk(opened.first), opened.rest)
    )
  )

/** Applies `f` (a retry, a timeout) to the part of `stream` before its first chunk. */
export const openFirst = <A, E, E2>(
  stream: Stream.Stream<A, E>,
  f: (first: Effect.Effect<Opened<A, E>, E>) => Effect.Effect<Opened<A, E>, E2>
): Stream.Stream<A, E | E2> => guarded((parent) => f(open(stream, parent)))
