// Helpers the docs tests share: the clock moved ahead, `console.log` captured.
import { format } from "node:util"
import { vi } from "@effect/vitest"
import { Effect, Fiber, TestClock } from "effect"

/** Runs an effect in a fiber while TestClock moves an hour ahead. */
export const withClock = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust("1 hour")
    return yield* Fiber.join(fiber)
  })

/** Runs an effect with `console.log` captured; returns the text written. */
export const captureLog = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<readonly [A, string], E> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const written: Array<string> = []
      const spy = vi.spyOn(console, "log").mockImplementation((...args: ReadonlyArray<unknown>) => {
        written.push(`${format(...args)}\n`)
      })
      return { written, spy }
    }),
    ({ written }) => Effect.map(effect, (result) => [result, written.join("")] as const),
    ({ spy }) => Effect.sync(() => spy.mockRestore())
  )
