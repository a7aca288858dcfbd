/**
 * A scripted loopback server speaking the Chat Completions wire format generically
 * (written from `CreateChatCompletionResponse` / `CreateChatCompletionStreamResponse`
 * in OpenAI's OpenAPI reference), for the conformance suite and any test that needs "a
 * model that answers whatever it is asked":
 *
 * - it answers as the conformance suite's reference model does (written against the
 *   suite's prompts): `You said: <last user text>` cut at the first `stop` sequence; after
 *   a tool result, a sentence about it;
 * - with tools it calls the tools the prompt asks for (`magic_function(3)`, `3 + 4`,
 *   `weather in Paris and in London`, …), and when `tool_choice` forces a call
 *   (`"required"` or a named function) and the prompt names none, the forced (or first)
 *   tool with arguments made up from its JSON Schema; `parallel_tool_calls: false` keeps
 *   one call; `tool_choice: "none"` none;
 * - `response_format` `json_schema` answers a JSON value made up from the schema,
 *   `json_object` one from the schema found in a system or developer message;
 * - `n` choices; usage (word counts) on every answer, and at the end of a stream only
 *   when `stream_options.include_usage` is true;
 * - `stream: true` answers SSE: role deltas, one delta per word, tool-call deltas (id and
 *   name, then the arguments in 8-character pieces), the finish chunks, the usage chunk
 *   (no choices), `[DONE]`.
 *
 * The Responses API tests can mirror it for `/responses`.
 *
 * @example
 * ```ts
 * import * as WireServer from "@effect-chat/testing/internal/wireServer"
 * import { chatCompletions } from "./fakeOpenAiServer.js"
 *
 * const server = WireServer.make(chatCompletions())
 * ```
 */

import { exampleOf, phrases, propertiesOf } from "@effect-chat/testing/internal/conformance/answers"
import type * as WireServer from "@effect-chat/testing/internal/wireServer"
import { json, sse, sseReply } from "@effect-chat/testing/internal/wireServer"

type Json = Readonly<Record<string, unknown>>

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Options of the fake server. */
export interface Options {
  /** Milliseconds between the parts of a streamed answer (real timers). */
  readonly delay?: number
}

const textOf = (content: unknown): string => {
  if (typeof content === "string") return content
  if (!Array.isArray(content)) return ""
  return content
    .filter(isRecord)
    .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .join("")
}

const words = (text: string): number => text.split(/\s+/).filter((word) => word !== "").length

interface WireTool {
  readonly name: string
  readonly parameters: Json
}

/** The arguments the prompt gives a tool: one object per call it asks for. */
const argsFromPrompt = (tool: WireTool, prompt: string): ReadonlyArray<Record<string, unknown>> => {
  const names = Object.keys(propertiesOf(tool.parameters))
  const called = prompt.match(new RegExp(`\\b${tool.name}\\(([^)]*)\\)`))
  if (called !== null) {
    const values = called[1]!
      .split(",")
      .map((value) => value.trim())
      .filter((value) => value !== "")
    return [Object.fromEntries(values.map((value, index) => [names[index], Number(value)]))]
  }
  const sum = prompt.match(/(\d+)\s*\+\s*(\d+)/)
  if (sum !== null && names.length === 2)
    return [{ [names[0]!]: Number(sum[1]), [names[1]!]: Number(sum[2]) }]
  const weather = prompt.match(/weather in (.+?)\?/)
  if (weather !== null && names.includes("location")) {
    return weather[1]!.split(/\s+and(?:\s+in)?\s+/).map((location) => ({ location }))
  }
  const named = prompt.match(/named '([^']+)'[^,]*, (a [^.]+)\./)
  if (named !== null && names.includes("customer_name"))
    return [{ customer_name: named[1], description: named[2] }]
  return []
}

interface Call {
  readonly id: string
  readonly name: string
  readonly arguments: string
}

/**
 * The tool calls for the prompt: the calls it asks for among the allowed tools; when
 * `tool_choice` forces a call (`"required"` or a named function) and the prompt asks for
 * none, the forced (or first) tool with arguments filled from its schema.
 */
const toolCallsFor = (body: Json, prompt: string, requestIndex: number): ReadonlyArray<Call> => {
  const tools: ReadonlyArray<WireTool> = (Array.isArray(body.tools) ? body.tools : []).flatMap((tool) =>
    isRecord(tool) && isRecord(tool.function) && typeof tool.function.name === "string"
      ? [
          {
            name: tool.function.name,
            parameters: isRecord(tool.function.parameters) ? tool.function.parameters : {}
          }
        ]
      : []
  )
  const choice = body.tool_choice
  if (tools.length === 0 || choice === "none") return []
  const named = isRecord(choice) && isRecord(choice.function) ? choice.function.name : undefined
  const forced = choice === "required" || named !== undefined
  const allowed = named === undefined ? tools : tools.filter((tool) => tool.name === named)
  let calls = allowed.flatMap((tool) =>
    argsFromPrompt(tool, prompt).map((args) => ({ name: tool.name, args }))
  )
  const first = allowed[0]
  if (calls.length === 0 && forced && first !== undefined) {
    const args = exampleOf(first.parameters, prompt)
    calls = [{ name: first.name, args: isRecord(args) ? { ...args } : {} }]
  }
  if (body.parallel_tool_calls === false) calls = calls.slice(0, 1)
  return calls.map((call, index) => ({
    id: `call_fake${requestIndex}_${index}`,
    name: call.name,
    arguments: JSON.stringify(call.args)
  }))
}

/** JSON mode: the schema given in a system or developer message, or else the keys the prompt names. */
const jsonModeAnswer = (messages: ReadonlyArray<Json>, prompt: string): unknown => {
  for (const message of messages) {
    if (message.role !== "system" && message.role !== "developer") continue
    const text = textOf(message.content)
    const start = text.indexOf("{")
    const end = text.lastIndexOf("}")
    if (start < 0 || end < start) continue
    try {
      const schema: unknown = JSON.parse(text.slice(start, end + 1))
      if (isRecord(schema)) return exampleOf(schema, prompt)
    } catch {}
  }
  const keys = [...prompt.matchAll(/'(\w+)'/g)].map((match) => match[1]!)
  return Object.fromEntries(keys.map((key) => [key, phrases[key] ?? `The ${key}.`]))
}

interface Answer {
  readonly text: string | null
  readonly calls: ReadonlyArray<Call>
  readonly finishReason: "stop" | "tool_calls"
}

const cut = (text: string, body: Json): string => {
  const stops = typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? body.stop : []
  let out = text
  for (const stop of stops) {
    if (typeof stop !== "string" || stop === "") continue
    const at = out.indexOf(stop)
    if (at !== -1) out = out.slice(0, at)
  }
  return out
}

const answerOf = (body: Json, messages: ReadonlyArray<Json>, requestIndex: number): Answer => {
  const last = messages.at(-1)!
  if (last.role === "tool") {
    return {
      text: cut(`The tool answered ${textOf(last.content)}, so that is my answer.`, body),
      calls: [],
      finishReason: "stop"
    }
  }
  const prompt = textOf(last.content)
  const format = isRecord(body.response_format) ? body.response_format : undefined
  if (format?.type === "json_schema" && isRecord(format.json_schema) && isRecord(format.json_schema.schema)) {
    return {
      text: JSON.stringify(exampleOf(format.json_schema.schema, prompt)),
      calls: [],
      finishReason: "stop"
    }
  }
  if (format?.type === "json_object") {
    return { text: JSON.stringify(jsonModeAnswer(messages, prompt)), calls: [], finishReason: "stop" }
  }
  const calls = toolCallsFor(body, prompt, requestIndex)
  if (calls.length > 0) return { text: null, calls, finishReason: "tool_calls" }
  return { text: cut(`You said: ${prompt}`, body), calls: [], finishReason: "stop" }
}

const created = 1741570283

/** The script answering every request as a Chat Completions server would. */
export const chatCompletions =
  (options: Options = {}) =>
  (request: WireServer.RecordedRequest): WireServer.Reply => {
    const body = isRecord(request.body) ? request.body : {}
    const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : []
    if (messages.length === 0) {
      return json(
        {
          error: {
            message: "'messages' must contain at least one message",
            type: "invalid_request_error",
            param: "messages",
            code: null
          }
        },
        { status: 400 }
      )
    }
    const model = typeof body.model === "string" ? body.model : "fake-model"
    const n = typeof body.n === "number" && body.n > 1 ? body.n : 1
    const answers = Array.from({ length: n }, () => answerOf(body, messages, request.index))
    const promptTokens = Math.max(
      1,
      messages.reduce((sum, message) => sum + words(textOf(message.content)), 0)
    )
    const completionTokens = answers.reduce(
      (sum, answer) =>
        sum + Math.max(1, words(answer.text ?? answer.calls.map((call) => call.arguments).join(" "))),
      0
    )
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 }
    }
    const id = `chatcmpl-fake${request.index}`
    const head = { id, created, model, system_fingerprint: "fp_fake" }
    if (body.stream !== true) {
      return json({
        ...head,
        object: "chat.completion",
        choices: answers.map((answer, index) => ({
          index,
          message: {
            role: "assistant",
            content: answer.text,
            refusal: null,
            ...(answer.calls.length === 0
              ? {}
              : {
                  tool_calls: answer.calls.map((call) => ({
                    id: call.id,
                    type: "function",
                    function: { name: call.name, arguments: call.arguments }
                  }))
                })
          },
          logprobs: null,
          finish_reason: answer.finishReason
        })),
        usage
      })
    }
    const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true
    const chunk = (choices: ReadonlyArray<unknown>, extra: Json = {}) => ({
      ...head,
      object: "chat.completion.chunk",
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra
    })
    const delta = (index: number, value: Json, finish: string | null = null) => ({
      index,
      delta: value,
      logprobs: null,
      finish_reason: finish
    })
    const events: Array<WireServer.SseInput> = []
    answers.forEach((_, index) => {
      events.push(chunk([delta(index, { role: "assistant", content: "", refusal: null })]))
    })
    answers.forEach((answer, index) => {
      answer.calls.forEach((call, at) => {
        events.push(
          chunk([
            delta(index, {
              tool_calls: [
                { index: at, id: call.id, type: "function", function: { name: call.name, arguments: "" } }
              ]
            })
          ])
        )
        for (let from = 0; from < call.arguments.length; from += 8) {
          events.push(
            chunk([
              delta(index, {
                tool_calls: [{ index: at, function: { arguments: call.arguments.slice(from, from + 8) } }]
              })
            ])
          )
        }
      })
      for (const piece of (answer.text ?? "").match(/\S+\s*|\s+/g) ?? []) {
        events.push(chunk([delta(index, { content: piece })]))
      }
      events.push(chunk([delta(index, {}, answer.finishReason)]))
    })
    if (includeUsage) events.push(chunk([], { usage }))
    events.push("[DONE]")
    const parts = sse(events)
      .split(/(?<=\n\n)/)
      .filter((part) => part !== "")
    return { ...sseReply(""), body: parts, ...(options.delay === undefined ? {} : { delay: options.delay }) }
  }
