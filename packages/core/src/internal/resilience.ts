/**
 * `withRetry` and `withFallbacks`: they wrap a model's runner, so they compose with
 * each other and with bindings in any order. Streams are retried or replaced only
 * before their first chunk (see `first.ts`).
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Schedule from "effect/Schedule"
import type { ChatError, StructuredOutputError } from "../ChatError.js"
import { retryAfter } from "../ChatError.js"
import type { Model as StructuredModel } from "../StructuredOutput.js"
import type { Service } from "./calls.js"
import type { FallbackOptions, RetryOptions } from "./combinatorOptions.js"
import { guarded, type Opened, open, openFirst } from "./first.js"
import { hasContent } from "./merge.js"
import type { Binding, Call, Runner } from "./runner.js"
import type { AIMessage } from "./schema.js"
import { isService, modify, stateOf } from "./service.js"
import * as structured from "./structured.js"

const defaultMaxRetries = 2
const maxDelay = Duration.seconds(30)

/** Exponential backoff (0.5 s, 1 s, 2 s, …, at most 30 s) with jitter. */
const defaultBackoff: Schedule.Schedule<Duration.Duration, unknown> = Schedule.exponential(
  "500 millis",
  2
).pipe(
  Schedule.jittered,
  Schedule.modifyDelay((_, delay) => Duration.min(delay, maxDelay))
)

type Retryable = ChatError | StructuredOutputError

/** Waits the `retryAfter` the provider named (zero when it named none). */
const honourRetryAfter: Schedule.Schedule<Retryable, Retryable> = Schedule.identity<Retryable>().pipe(
  Schedule.addDelay(
    (error) => (error._tag === "StructuredOutputError" ? undefined : retryAfter(error)) ?? Duration.zero
  )
)

const retryPolicy = (options: RetryOptions) => {
  const backoff: Schedule.Schedule<unknown, Retryable> = options.schedule ?? defaultBackoff
  const capped =
    options.schedule === undefined || options.maxRetries !== undefined
      ? Schedule.intersect(backoff, Schedule.recurs(options.maxRetries ?? defaultMaxRetries))
      : backoff
  return {
    schedule: Schedule.intersect(capped, honourRetryAfter),
    while: (error: Retryable) =>
      error.retryable && (options.while === undefined ? true : options.while(error))
  }
}

const retryRunner = (runner: Runner, options: RetryOptions): Runner => {
  const policy = retryPolicy(options)
  return {
    generate: (call, bindings) => Effect.retry(runner.generate(call, bindings), policy),
    stream: (call, bindings) =>
      openFirst(runner.stream(call, bindings), (first) => Effect.retry(first, policy), hasContent)
  }
}

const retryStructured = <A>(model: StructuredModel<A>, options: RetryOptions): StructuredModel<A> => {
  const policy = retryPolicy(options)
  return structured.wrapWith(
    model,
    (effect) => Effect.retry(effect, policy),
    (stream) => openFirst(stream, (first) => Effect.retry(first, policy))
  )
}

type Retriable = Service<unknown> | StructuredModel<unknown>

export const withRetry: {
  (options?: RetryOptions): <Self extends Retriable>(self: Self) => Self
  <Self extends Retriable>(self: Self, options?: RetryOptions): Self
} = dual(
  (args) => isService(args[0]) || structured.isModel(args[0]),
  <Self extends Retriable>(self: Self, options: RetryOptions = {}): Self =>
    (structured.isModel(self)
      ? retryStructured(self, options)
      : modify(self as Service, (state) => ({
          ...state,
          runner: retryRunner(state.runner, options)
        }))) as Self
)

interface Candidate {
  readonly runner: Runner
  readonly bindings: ReadonlyArray<Binding>
}

const fallbackRunner = (candidates: ReadonlyArray<Candidate>, options: FallbackOptions): Runner => {
  const shouldFallBack = options.when ?? (() => true)
  const generate = (call: Call, outer: ReadonlyArray<Binding>) => {
    const attempt = (at: number): Effect.Effect<import("./protocol.js").ChatResult, ChatError> => {
      const candidate = candidates[at]!
      const effect = candidate.runner.generate(call, [...candidate.bindings, ...outer])
      return at === candidates.length - 1
        ? effect
        : Effect.catchIf(effect, shouldFallBack, () => attempt(at + 1))
    }
    return attempt(0)
  }
  const stream = (call: Call, outer: ReadonlyArray<Binding>) =>
    guarded((parent) => {
      const attempt = (
        at: number
      ): Effect.Effect<Opened<import("./schema.js").AIMessageChunk, ChatError>, ChatError> => {
        const candidate = candidates[at]!
        const opened = open(
          candidate.runner.stream(call, [...candidate.bindings, ...outer]),
          parent,
          hasContent
        )
        return at === candidates.length - 1
          ? opened
          : Effect.catchIf(opened, shouldFallBack, () => attempt(at + 1))
      }
      return attempt(0)
    })
  return { generate, stream }
}

export const withFallbacks: {
  (
    fallbacks: ReadonlyArray<Service<unknown>>,
    options?: FallbackOptions
  ): <A>(self: Service<A>) => Service<A | AIMessage>
  <A>(
    self: Service<A>,
    fallbacks: ReadonlyArray<Service<unknown>>,
    options?: FallbackOptions
  ): Service<A | AIMessage>
} = dual(
  (args) => isService(args[0]),
  <A>(
    self: Service<A>,
    fallbacks: ReadonlyArray<Service<unknown>>,
    options: FallbackOptions = {}
  ): Service<A | AIMessage> =>
    modify(self, (state) => ({
      ...state,
      bindings: [],
      runner: fallbackRunner(
        [state, ...fallbacks.map(stateOf)].map((candidate) => ({
          runner: candidate.runner,
          bindings: candidate.bindings
        })),
        options
      )
    }))
)
