/**
 * Conformance checks of the calls themselves (LangChain's `test_invoke`, `test_stream`,
 * `test_batch`, `test_conversation`, `test_double_messages_conversation`,
 * `test_message_with_name`, `test_stop_sequence`, and `agenerate`).
 *
 * @internal
 */

import { Message } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import {
  type Case,
  collect,
  expectId,
  expectTextAnswer,
  expectUsage,
  lastInputText,
  mergeChunks,
  prompts,
  type RunLog,
  runLog
} from "./harness.js"
import { vitest } from "./vitest.js"

/** The run id whose input ended with `text` (the only one: the suite's prompts differ). */
const runIdOf = (log: RunLog, text: string): string | undefined => {
  const runIds = [...log.inputs]
    .filter(([, messages]) => lastInputText(messages) === text)
    .map(([runId]) => runId)
  vitest()
    .expect(runIds, `runs whose input is ${JSON.stringify(text)}`)
    .toHaveLength(1)
  return runIds[0]
}

/** `invoke` answers an `AIMessage` with a non-empty text and an id. */
const invoke: Case = {
  name: "invoke",
  check: (model) =>
    Effect.gen(function* () {
      const result = yield* model.invoke(prompts.hello)
      expectTextAnswer(result, model.profile)
      expectId(result)
      vitest()
        .expect(typeof result.responseMetadata.modelName, "responseMetadata.modelName")
        .toBe("string")
    })
}

/**
 * `stream` emits `AIMessageChunk`s, only the final one marked `last`, which merge
 * (`Message.concat`, then `Message.toMessage`) into an answer shaped like `invoke`'s.
 */
const stream: Case = {
  name: "stream",
  check: (model) =>
    Effect.gen(function* () {
      const chunks = yield* collect(model.stream(prompts.hello))
      vitest().expect(chunks.length, "number of chunks").toBeGreaterThan(0)
      chunks.forEach((chunk, index) => {
        vitest().expect(chunk, `chunk ${index}`).toBeInstanceOf(Message.AIMessageChunk)
      })
      const lastFlags = chunks.map((chunk) => chunk.last === true)
      vitest()
        .expect(lastFlags, "only the final chunk is marked last")
        .toEqual(chunks.map((_, index) => index === chunks.length - 1))
      const merged = mergeChunks(chunks)
      vitest().expect(merged.last, "merged chunk").toBe(true)
      const message = Message.toMessage(merged)
      expectTextAnswer(message, model.profile, "merged stream")
      expectId(message, "merged stream")
    })
}

/** `batch` answers each input with its own `AIMessage`, in input order. */
const batch: Case = {
  name: "batch",
  check: (model) =>
    Effect.gen(function* () {
      const inputs = [prompts.first, prompts.second]
      const log = runLog()
      const results = yield* model.batch(inputs, { callbacks: log.callbacks })
      vitest().expect(results, "answers").toHaveLength(2)
      results.forEach((result, index) => {
        expectTextAnswer(result, model.profile, `answer ${index}`)
        expectId(result, `answer ${index}`)
      })
      vitest().expect(log.inputs.size, "runs").toBe(2)
      inputs.forEach((input, index) => {
        const runId = runIdOf(log, input)
        vitest()
          .expect(results[index], `answer ${index} is the answer of input ${index}`)
          .toEqual(log.outputs.get(runId ?? ""))
      })
    })
}

/**
 * `generate` answers each conversation with its generations (each `text` is its
 * message's text), reports `llmOutput` (summed usage when usage is reported) and one
 * distinct run per conversation, in order.
 */
const generate: Case = {
  name: "generate",
  check: (model, settings) =>
    Effect.gen(function* () {
      const conversations = [[Message.human(prompts.first)], [Message.human(prompts.second)]]
      const log = runLog()
      const result = yield* model.generate(conversations, { callbacks: log.callbacks })
      vitest().expect(result.generations, "generations").toHaveLength(2)
      result.generations.forEach((generations, index) => {
        vitest().expect(generations.length, `generations of conversation ${index}`).toBeGreaterThan(0)
        for (const generation of generations) {
          expectTextAnswer(generation.message, model.profile, `generation of conversation ${index}`)
          vitest()
            .expect(generation.text, `text of conversation ${index}`)
            .toBe(Message.text(generation.message))
        }
      })
      vitest().expect(result.llmOutput, "llmOutput").toBeDefined()
      vitest().expect(result.run, "runs").toHaveLength(2)
      const runIds = result.run.map((run) => run.runId)
      vitest().expect(new Set(runIds).size, "distinct run ids").toBe(2)
      conversations.forEach((conversation, index) => {
        const runId = runIds[index]!
        vitest()
          .expect(lastInputText(log.inputs.get(runId)), `input of run ${index}`)
          .toBe(Message.text(conversation[0]!))
        vitest()
          .expect(log.outputs.get(runId), `output of run ${index}`)
          .toEqual(result.generations[index]![0]!.message)
      })
      const usages = result.generations.flatMap((generations) =>
        generations.map((g) => g.message.usageMetadata)
      )
      const tokenUsage = result.llmOutput?.tokenUsage
      if (settings.returnsUsageMetadata) {
        expectUsage(tokenUsage, true, "llmOutput.tokenUsage")
        const sum = (pick: (usage: Message.UsageMetadata) => number) =>
          usages.reduce((total, usage) => total + (usage === undefined ? 0 : pick(usage)), 0)
        vitest()
          .expect(
            {
              inputTokens: tokenUsage?.inputTokens,
              outputTokens: tokenUsage?.outputTokens,
              totalTokens: tokenUsage?.totalTokens
            },
            "llmOutput.tokenUsage is the sum of the generations' usage"
          )
          .toEqual({
            inputTokens: sum((usage) => usage.inputTokens),
            outputTokens: sum((usage) => usage.outputTokens),
            totalTokens: sum((usage) => usage.totalTokens)
          })
      } else {
        expectUsage(tokenUsage, false, "llmOutput.tokenUsage")
      }
    })
}

/** A human, AI, human history is answered. */
const conversation: Case = {
  name: "conversation",
  check: (model) =>
    Effect.gen(function* () {
      const result = yield* model.invoke([
        Message.human("Hello, my name is Ada."),
        Message.ai("Hello Ada! How can I help you today?"),
        Message.human("What is my name? Answer in one word.")
      ])
      expectTextAnswer(result, model.profile)
    })
}

/** Two human messages in a row and two AI messages in a row are accepted. */
const repeatedRoles: Case = {
  name: "repeated same-role messages",
  check: (model) =>
    Effect.gen(function* () {
      const result = yield* model.invoke([
        Message.human("Hello."),
        Message.human("Hello again."),
        Message.ai("Hello!"),
        Message.ai("How can I help you?"),
        Message.human("How are you today?")
      ])
      expectTextAnswer(result, model.profile)
    })
}

/** A message with a `name` is accepted. */
const messageWithName: Case = {
  name: "message with a name",
  check: (model) =>
    Effect.gen(function* () {
      const result = yield* model.invoke([Message.human({ content: prompts.hello, name: "example_user" })])
      expectTextAnswer(result, model.profile)
    })
}

/**
 * A stop sequence taken from the model's own unstopped answer (its middle word), so it
 * would appear if the stop were ignored.
 */
export const stopSequenceFrom = (text: string): string => {
  const words = text.trim().split(/\s+/)
  if (words.length >= 2) return words[Math.floor(words.length / 2)]!
  const tail = text.trim().slice(Math.floor(text.trim().length / 2))
  return tail === "" ? "." : tail
}

/** With `stop`, neither `invoke` nor `stream` answers contain the stop sequence. */
const stop: Case = {
  name: "stop sequences",
  check: (model) =>
    Effect.gen(function* () {
      const probe = yield* model.invoke(prompts.count)
      expectTextAnswer(probe, model.profile, "unstopped answer")
      const sequence = stopSequenceFrom(Message.text(probe))
      const stopped = yield* model.invoke(prompts.count, { stop: [sequence] })
      vitest().expect(stopped, "stopped answer").toBeInstanceOf(Message.AIMessage)
      vitest()
        .expect(Message.text(stopped), `invoke with stop ${JSON.stringify(sequence)}`)
        .not.toContain(sequence)
      const chunks = yield* collect(model.stream(prompts.count, { stop: [sequence] }))
      vitest().expect(chunks.at(-1)?.last, "final chunk of the stopped stream").toBe(true)
      vitest()
        .expect(Message.text(mergeChunks(chunks)), `stream with stop ${JSON.stringify(sequence)}`)
        .not.toContain(sequence)
    })
}

/** The checks of the calls, in registration order. */
export const cases: ReadonlyArray<Case> = [
  invoke,
  stream,
  batch,
  generate,
  conversation,
  repeatedRoles,
  messageWithName,
  stop
]
