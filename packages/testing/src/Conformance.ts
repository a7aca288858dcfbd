/**
 * The conformance suite: LangChain's standard integration tests for chat models
 * (`langchain_tests`' `ChatModelIntegrationTests`), adapted to Effect. A provider (or a
 * fake) registers them with one call in a vitest file and must pass them all.
 *
 * @example
 * ```ts
 * // packages/openai/test/Conformance.test.ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Conformance, FakeChatModel } from "@effect-chat/testing"
 *
 * Conformance.run("fake list model", ChatModel.layer(FakeChatModel.fromResponses(["Hello there, friend!"])))
 * ```
 *
 * @since 0.1.0
 */

import { ChatModel } from "@effect-chat/core"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as calls from "./internal/conformance/calls.js"
import * as harness from "./internal/conformance/harness.js"
import * as runs from "./internal/conformance/runs.js"
import * as structured from "./internal/conformance/structured.js"
import * as tools from "./internal/conformance/tools.js"
import { vitestApi } from "./internal/conformance/vitest.js"

/**
 * A capability flag of a model profile (`toolCalling`, `structuredOutput`,
 * `imageInputs`, …): the boolean fields of `ModelProfile`. Tests that need a capability
 * are gated by it (see `run`).
 *
 * @example
 * ```ts
 * import type { Conformance } from "@effect-chat/testing"
 *
 * const needed: Conformance.Capability = "toolCalling"
 * ```
 *
 * @since 0.1.0
 */
export type Capability = harness.Capability

/**
 * Options of `run`.
 *
 * @example
 * ```ts
 * import type { Conformance } from "@effect-chat/testing"
 *
 * const options: Conformance.Options = { returnsUsageMetadata: false, timeout: 30_000 }
 * ```
 *
 * @since 0.1.0
 */
export interface Options {
  /**
   * Whether the model reports token usage (default `true`). When `true`, the usage
   * tests require `usageMetadata` on `invoke` answers and exactly one streamed chunk
   * carrying the input tokens; when `false`, they only check that usage, when present,
   * is consistent (`totalTokens` = `inputTokens` + `outputTokens`).
   */
  readonly returnsUsageMetadata?: boolean
  /**
   * The provider's count of open streams (for example a fake's `activeStreams`). When
   * given, the interruption test asserts it is positive while the consumer holds the
   * first chunk and back to 0 once the stream is interrupted: the provider's finalizer
   * ran (its request was aborted).
   */
  readonly activeStreams?: () => number
  /**
   * Per-test timeout in milliseconds (default: vitest's `testTimeout`); it also bounds
   * building and releasing the layer. Raise it for real providers over HTTP.
   */
  readonly timeout?: number
}

const cases: ReadonlyArray<harness.Case> = [
  ...calls.cases,
  ...runs.cases,
  ...tools.cases,
  ...structured.cases
]

/**
 * Registers the conformance tests of a chat model in a vitest `describe` block named
 * `name`. The layer is built once for the whole block (and released after it), the
 * tests run one after another on the real clock (providers talk HTTP), each taking the
 * model from the layer.
 *
 * The tests of every model: `profile`, `invoke`, `stream`, `batch`, `generate`,
 * `conversation`, `repeated same-role messages`, `message with a name`,
 * `stop sequences`, `usage metadata (invoke)`, `usage metadata (stream)`,
 * `stream events`, `callbacks (invoke)`, `callbacks (stream)` and `interruption`.
 *
 * Tools (LangChain's tool tests, with LangChain's tools `magic_function`,
 * `magic_function_no_args`, `get_weather`, `my_adder_tool`, `unicode_customer`):
 * `tool calling (invoke)` and `tool calling (stream)` (exactly one call, the right name
 * and args, an id; `toolChoice: "any"` when the profile has `toolChoice`),
 * `tool with no arguments`, `tool message history (string content)`,
 * `tool message history (list content)`, `tool message with error status`,
 * `few-shot tool examples`, `unicode tool arguments` and `agent loop` (`runTools`: call,
 * run the tool, answer) need `toolCalling`; `tool choice` (`"any"` and a tool's name,
 * two tools bound) needs `toolChoice`; `parallel tool calls` needs `parallelToolCalls`.
 *
 * Structured output (a `Joke` with `setup` and `punchline`), for each method:
 * `structured output (<method>)` (invoke, and stream: partial objects then the decoded
 * value), `structured output with an optional field (<method>)` and
 * `structured output with includeRaw (<method>)`; `jsonSchema` needs
 * `structuredOutput`, `functionCalling` (a forced tool) needs `toolChoice`, and
 * `jsonMode` (LangChain's `test_json_mode`) needs `jsonMode`.
 *
 * Capability gating: a model's capabilities are in its `profile`, which is only known
 * once the layer is built, after vitest has collected the tests. So every test is always
 * registered; a test that needs a capability (its name ends with `[needs <flag>]`) first
 * reads `model.profile`, and when the flag is `false` it asserts exactly that and
 * passes without calling the model: its green result then documents "not supported"
 * rather than being skipped. A profile that claims a capability the model lacks fails
 * those tests.
 *
 * The prompts are plain instructions a real model follows ("What is the value of
 * magic_function(3)? Use the tool."); `FakeChatModel.fromHandler` can script a model
 * that answers them, for a provider-independent reference run.
 *
 * @example
 * ```ts
 * import { ChatModel } from "@effect-chat/core"
 * import { Conformance, FakeChatModel } from "@effect-chat/testing"
 *
 * const fake = FakeChatModel.fromResponses(["Hello there, friend!"])
 * Conformance.run("FakeChatModel.fromResponses", ChatModel.layer(fake), {
 *   activeStreams: () => fake.activeStreams
 * })
 * ```
 *
 * @since 0.1.0
 */
export const run = <E>(
  name: string,
  layer: Layer.Layer<ChatModel.ChatModel, E>,
  options: Options = {}
): void => {
  const api = vitestApi()
  if (api === undefined) {
    console.error(`Conformance.run("${name}") registers vitest tests: call it from a vitest test file`)
    return
  }
  const settings: harness.Settings = {
    returnsUsageMetadata: options.returnsUsageMetadata ?? harness.defaultSettings.returnsUsageMetadata,
    activeStreams: options.activeStreams
  }
  const timeout = options.timeout
  // One runtime per suite: the layer is built once, on the first test, and released after
  // the last. (`@effect/vitest`'s `layer()` would also do this, but it changes the `it`
  // shared with the rest of the file.)
  api.describe(name, () => {
    const runtime = ManagedRuntime.make(layer)
    api.afterAll(() => runtime.dispose(), timeout)
    for (const testCase of cases) {
      const title =
        testCase.requires === undefined ? testCase.name : `${testCase.name} [needs ${testCase.requires}]`
      api.it(
        title,
        () =>
          runtime.runPromise(
            Effect.flatMap(ChatModel.ChatModel, (model) => harness.runCase(testCase, model, settings))
          ),
        timeout
      )
    }
  })
}
