/**
 * `@effect/vitest`, loaded only inside vitest's runner: importing vitest anywhere else
 * throws, and `@effect-chat/testing` is also imported by programs that only want the
 * fakes (examples, quickstarts, dev servers).
 *
 * @internal
 */
type EffectVitest = typeof import("@effect/vitest")

const insideVitest = "__vitest_worker__" in globalThis

const loaded: EffectVitest | undefined = insideVitest ? await import("@effect/vitest") : undefined

/** The vitest API, when running inside vitest. */
export const vitestApi = (): EffectVitest | undefined => loaded

/** The vitest API; only called while vitest collects or runs tests. */
export const vitest = (): EffectVitest => loaded as EffectVitest
