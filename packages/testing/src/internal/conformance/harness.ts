/**
 * What every conformance check shares: the resolved options, the prompts, the
 * capability gate, and the assertions on answers, streams and usage.
 *
 * Checks are plain effects over a `ChatModel.Service` (no vitest registration here), so
 * the suite's own tests can run one check against a deliberately broken model and see
 * it fail.
 *
 * @internal
 */

import type { ChatError, ChatModel, ModelProfile, Tool } from "@effect-chat/core"
import { Message } from "@effect-chat/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { vitest } from "./vitest.js"

/**
 * A capability flag of a model profile (the boolean fields of `ModelProfile`).
 */
export type Capability = {
  readonly [K in keyof ModelProfile.ModelProfile]-?: ModelProfile.ModelProfile[K] extends boolean ? K : never
}[keyof ModelProfile.ModelProfile]

/** The suite's options with their defaults applied. */
export interface Settings {
  /** Whether usage must be reported (else it is only checked for consistency when present). */
  readonly returnsUsageMetadata: boolean
  /** The provider's count of open streams, when it exposes one. */
  readonly activeStreams: (() => number) | undefined
}

/** The defaults of the suite's options. */
export const defaultSettings: Settings = { returnsUsageMetadata: true, activeStreams: undefined }

/** How a check fails besides its assertions: the model's errors, a tool's, a structured output's. */
export type CaseError = ChatError.ChatError | ChatError.StructuredOutputError | Tool.ToolError

/** One conformance check. */
export interface Case {
  /** The test's name. */
  readonly name: string
  /** The capability the check needs; without it the check only asserts the profile says so. */
  readonly requires?: Capability
  readonly check: (model: ChatModel.Service, settings: Settings) => Effect.Effect<void, CaseError>
}

/**
 * The capability gate. When the model's profile has `capability`, `body` runs; when it
 * lacks it, the check passes after asserting that the profile indeed says "not
 * supported" (the test then documents the absence instead of being skipped).
 */
export const whenSupported = <E>(
  model: ChatModel.Service,
  capability: Capability,
  body: Effect.Effect<void, E>
): Effect.Effect<void, E> =>
  Effect.suspend(() => {
    if (model.profile[capability]) return body
    vitest().expect(model.profile[capability], `profile.${capability}`).toBe(false)
    return Effect.void
  })

/** Runs a case against a model, gated by its required capability. */
export const runCase = (
  testCase: Case,
  model: ChatModel.Service,
  settings: Settings
): Effect.Effect<void, CaseError> =>
  testCase.requires === undefined
    ? testCase.check(model, settings)
    : whenSupported(model, testCase.requires, testCase.check(model, settings))

/** The prompts of the suite: short, non-empty, answerable by any chat model. */
export const prompts = {
  hello: "Hello! Please reply with a short greeting.",
  count: "Count from one to ten, in words, separated by spaces.",
  first: "What is the capital of France? Answer in one word.",
  second: "What is the largest planet of the solar system? Answer in one word."
} as const

/** Collects a stream into an array. */
export const collect = <A, E>(stream: Stream.Stream<A, E>): Effect.Effect<ReadonlyArray<A>, E> =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

/** Merges streamed chunks into one (the empty chunk is the identity of `concat`). */
export const mergeChunks = (chunks: ReadonlyArray<Message.AIMessageChunk>): Message.AIMessageChunk =>
  chunks.reduce(Message.concat, Message.chunk({ content: "" }))

/**
 * Asserts that a message is a plain text answer: an `AIMessage` with a non-empty text,
 * no tool calls, and content that is a string or only text blocks (plus reasoning
 * blocks when the profile says the model returns reasoning).
 */
export const expectTextAnswer = (
  message: Message.AIMessage,
  profile: ModelProfile.ModelProfile,
  what = "answer"
): void => {
  vitest().expect(message, what).toBeInstanceOf(Message.AIMessage)
  vitest().expect(Message.text(message).length, `${what}: text`).toBeGreaterThan(0)
  if (typeof message.content !== "string") {
    const allowed = profile.reasoningOutput ? ["text", "reasoning"] : ["text"]
    for (const block of message.content)
      vitest().expect(allowed, `${what}: content block type`).toContain(block.type)
  }
  vitest().expect(message.toolCalls, `${what}: tool calls`).toEqual([])
  vitest().expect(message.invalidToolCalls, `${what}: invalid tool calls`).toEqual([])
}

/**
 * Asserts the shape of a stream: at least one chunk, every element an `AIMessageChunk`,
 * only the final one marked `last`.
 */
export const expectChunks = (chunks: ReadonlyArray<Message.AIMessageChunk>, what = "stream"): void => {
  vitest().expect(chunks.length, `${what}: number of chunks`).toBeGreaterThan(0)
  chunks.forEach((chunk, index) => {
    vitest().expect(chunk, `${what}: chunk ${index}`).toBeInstanceOf(Message.AIMessageChunk)
  })
  vitest()
    .expect(
      chunks.map((chunk) => chunk.last === true),
      `${what}: only the final chunk is marked last`
    )
    .toEqual(chunks.map((_, index) => index === chunks.length - 1))
}

/** Asserts that a message carries an id. */
export const expectId = (message: { readonly id?: string | undefined }, what = "answer"): void => {
  vitest()
    .expect(typeof message.id, `${what}: id`)
    .toBe("string")
  vitest().expect(message.id!.length, `${what}: id`).toBeGreaterThan(0)
}

const expectCount = (value: number, what: string): void => {
  vitest().expect(Number.isInteger(value), `${what} is an integer`).toBe(true)
  vitest().expect(value, what).toBeGreaterThanOrEqual(0)
}

/**
 * Asserts that reported usage is consistent: counts are non-negative integers and
 * `totalTokens` = `inputTokens` + `outputTokens` (LangChain's semantics). With
 * `required`, usage must be present with positive input and output counts.
 */
export const expectUsage = (
  usage: Message.UsageMetadata | undefined,
  required: boolean,
  what = "usage"
): void => {
  if (required) vitest().expect(usage, what).toBeDefined()
  if (usage === undefined) return
  expectCount(usage.inputTokens, `${what}.inputTokens`)
  expectCount(usage.outputTokens, `${what}.outputTokens`)
  expectCount(usage.totalTokens, `${what}.totalTokens`)
  vitest()
    .expect(usage.totalTokens, `${what}.totalTokens = inputTokens + outputTokens`)
    .toBe(usage.inputTokens + usage.outputTokens)
  if (required) {
    vitest().expect(usage.inputTokens, `${what}.inputTokens`).toBeGreaterThan(0)
    vitest().expect(usage.outputTokens, `${what}.outputTokens`).toBeGreaterThan(0)
  }
}

/** What each run of a call saw through its callbacks, keyed by run id. */
export interface RunLog {
  readonly inputs: Map<string, ReadonlyArray<Message.Message>>
  readonly outputs: Map<string, Message.AIMessage>
  readonly errors: Map<string, ChatError.ChatError>
  readonly callbacks: ChatModel.Callbacks
}

/** Callbacks that record the input and output of every run by its run id. */
export const runLog = (): RunLog => {
  const inputs = new Map<string, ReadonlyArray<Message.Message>>()
  const outputs = new Map<string, Message.AIMessage>()
  const errors = new Map<string, ChatError.ChatError>()
  return {
    inputs,
    outputs,
    errors,
    callbacks: {
      onStart: ({ messages, runId }) => Effect.sync(() => void inputs.set(runId, messages)),
      onEnd: ({ result, runId }) => Effect.sync(() => void outputs.set(runId, result.generations[0].message)),
      onError: ({ error, runId }) => Effect.sync(() => void errors.set(runId, error))
    }
  }
}

/** The text of the last message of a run's input. */
export const lastInputText = (messages: ReadonlyArray<Message.Message> | undefined): string | undefined => {
  const last = messages?.at(-1)
  return last === undefined ? undefined : Message.text(last)
}
