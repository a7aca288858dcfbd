/**
 * `Stream.unwrap`, `Stream.unwrapScoped` and `Stream.provideService` at the channel
 * level. The `Stream` versions are built on `Stream.flatMap`: every Stream chunk of the
 * inner stream then passes through a sub-executor (a stage of its own), and setting it
 * up allocates hundreds of kilobytes a stream. These give the same streams as a channel
 * continuation, with nothing per chunk.
 *
 * @internal
 */
import * as Channel from "effect/Channel"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"

/** The stream an effect gives (`Stream.unwrap`). */
export const unwrap = <A, E, R, E2, R2>(
  effect: Effect.Effect<Stream.Stream<A, E, R>, E2, R2>
): Stream.Stream<A, E | E2, R | R2> =>
  Stream.fromChannel(Channel.unwrap(Effect.map(effect, Stream.toChannel)))

/**
 * The stream a scoped effect gives, its scope open until the stream ends
 * (`Stream.unwrapScoped`): closed with the stream's exit when it ends, fails or is
 * interrupted. `onExit` runs first, before the scope's own finalizers.
 */
export const unwrapScoped = <A, E, R, E2, R2>(
  effect: Effect.Effect<Stream.Stream<A, E, R>, E2, R2>,
  onExit?: (exit: Exit.Exit<unknown, E | E2>) => Effect.Effect<void>
): Stream.Stream<A, E | E2, R | Exclude<R2, Scope.Scope>> =>
  Stream.fromChannel(
    Channel.acquireUseRelease(
      Scope.make(),
      (scope) => Channel.unwrap(Effect.map(Scope.extend(effect, scope), Stream.toChannel)),
      (scope, exit: Exit.Exit<unknown, E | E2>) =>
        onExit === undefined
          ? Scope.close(scope, exit)
          : Effect.zipRight(onExit(exit), Scope.close(scope, exit))
    )
  )

/** A stream with a service added to the context its effects run in (`Stream.provideService`). */
export const provideService = <A, E, R, I, S>(
  stream: Stream.Stream<A, E, R>,
  tag: Context.Tag<I, S>,
  service: NoInfer<S>
): Stream.Stream<A, E, Exclude<R, I>> =>
  Stream.fromChannel(Channel.provideService(Stream.toChannel(stream), tag, service))
