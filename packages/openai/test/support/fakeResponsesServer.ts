/**
 * A scripted Responses API server on 127.0.0.1 for the conformance suite: it answers
 * any `POST /responses` in the wire format of OpenAI's API reference, generically:
 *
 * - it plays a small scripted reference model for the conformance prompts: a tool is
 *   called when forced (`tool_choice` `required` or `{ type: "function", name }`), when
 *   the last user text names it or uses a word of its name (`get_weather` for "weather"),
 *   never right after a `function_call_output` (then it answers with text); arguments
 *   are built from the tool's JSON Schema, filled from the prompt (its numbers in order,
 *   quoted strings, places after "in", one call per place when there are several);
 * - otherwise the answer is a deterministic sentence about the last user text (several
 *   words, so stop sequences can be taken from it);
 * - `stream: true` gets the event stream (`response.created`, `response.in_progress`,
 *   the output item and content part events, one `response.output_text.delta` per word,
 *   `response.completed`), otherwise one `Response` JSON;
 * - usage is reported both ways (whitespace-separated words as tokens);
 * - a `json_schema` text format is answered with a JSON value built from the schema,
 *   `json_object` with a value of the JSON Schema the system instructions name (else an
 *   object whose keys are the prompt's quoted words);
 * - every request body is validated against `CreateResponse`: a body that does not
 *   validate gets a 400 whose message lists the problems, so the calling test fails.
 *
 * @example
 * ```ts
 * import * as FakeResponsesServer from "./support/fakeResponsesServer.js"
 *
 * const server = yield* FakeResponsesServer.make({ delay: 1 })
 * // OpenAiResponsesModel.layer({ model: "gpt-4.1-mini", baseUrl: server.url })
 * ```
 */
import * as WireServer from "@effect-chat/testing/internal/wireServer"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { validateRequest } from "./openapi.js"

type Json = Readonly<Record<string, unknown>>

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const words = (text: string): number => text.split(/\s+/).filter((word) => word !== "").length

/** The texts of the input (a string, or the items' text parts), for token counts and the answer. */
const inputTexts = (input: unknown): ReadonlyArray<{ readonly role: string; readonly text: string }> => {
  if (typeof input === "string") return [{ role: "user", text: input }]
  if (!Array.isArray(input)) return []
  return input.flatMap((item) => {
    if (!isRecord(item)) return []
    const role = typeof item.role === "string" ? item.role : String(item.type)
    const content = item.content ?? item.output
    if (typeof content === "string") return [{ role, text: content }]
    if (!Array.isArray(content)) return []
    const text = content
      .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
      .join(" ")
    return [{ role, text }]
  })
}

/** What the answer may take from the prompt: its numbers, quoted strings and places ("in Paris, France"). */
interface Prompt {
  readonly numbers: Array<number>
  readonly quoted: Array<string>
  readonly places: ReadonlyArray<string>
}

const promptOf = (text: string): Prompt => ({
  numbers: (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number),
  quoted: [...text.matchAll(/'([^']+)'|"([^"]+)"/g)].map((match) => match[1] ?? match[2] ?? ""),
  places: text
    .split(/\bin\s+/)
    .slice(1)
    .map((segment) => segment.split(/[?.!]| and /)[0]!.trim())
    .filter((place) => /^\p{Lu}/u.test(place))
})

const isPlaceProperty = (name: string): boolean => /location|city|place/i.test(name)

/**
 * A value of a JSON Schema, filled from the prompt: numbers in order, a place for
 * location-like strings, quoted strings for the others, else placeholders; every
 * property of an object is filled (strict schemas require them all).
 */
export const fill = (schema: unknown, prompt: Prompt, name = "", place?: string): unknown => {
  if (!isRecord(schema)) return null
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]
  if ("const" in schema) return schema.const
  const alternatives = schema.anyOf ?? schema.oneOf
  if (Array.isArray(alternatives) && alternatives.length > 0)
    return fill(alternatives[0], prompt, name, place)
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type
  switch (type) {
    case "string":
      if (isPlaceProperty(name)) return place ?? prompt.places[0] ?? "Paris, France"
      return prompt.quoted.shift() ?? "sample"
    case "number":
    case "integer":
      return prompt.numbers.shift() ?? 1
    case "boolean":
      return true
    case "null":
      return null
    case "array":
      return [fill(schema.items, prompt, name, place)]
    default: {
      const properties = isRecord(schema.properties) ? schema.properties : {}
      const out: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(properties)) out[key] = fill(value, prompt, key, place)
      return out
    }
  }
}

interface Call {
  readonly name: string
  readonly arguments: string
}

interface Plan {
  readonly text: string | undefined
  readonly calls: ReadonlyArray<Call>
}

const functionTools = (body: Json): ReadonlyArray<Json> =>
  Array.isArray(body.tools) ? body.tools.filter((tool) => isRecord(tool) && tool.type === "function") : []

/** The tool to call: the forced one, one the prompt names (or whose name's words it uses), the first when required. */
const toolFor = (body: Json, text: string): Json | undefined => {
  const tools = functionTools(body)
  const choice = body.tool_choice
  if (tools.length === 0 || choice === "none") return undefined
  if (isRecord(choice) && choice.type === "function") return tools.find((tool) => tool.name === choice.name)
  const named = tools.find((tool) => new RegExp(`\\b${String(tool.name)}\\b`).test(text))
  if (named !== undefined) return named
  const lower = text.toLowerCase()
  const worded = tools.find((tool) =>
    String(tool.name)
      .split("_")
      .some((word) => word.length > 3 && lower.includes(word))
  )
  return worded ?? (choice === "required" ? tools[0] : undefined)
}

const callsOf = (body: Json, tool: Json, text: string): ReadonlyArray<Call> => {
  const name = String(tool.name)
  const parameters = tool.parameters ?? { type: "object" }
  const properties = isRecord(parameters) && isRecord(parameters.properties) ? parameters.properties : {}
  const places = promptOf(text).places
  const perPlace =
    body.parallel_tool_calls !== false && places.length > 1 && Object.keys(properties).some(isPlaceProperty)
  const targets: ReadonlyArray<string | undefined> = perPlace ? places : [undefined]
  return targets.map((place) => ({
    name,
    arguments: JSON.stringify(fill(parameters, promptOf(text), "", place))
  }))
}

/** A JSON Schema the system or developer instructions ask the answer to match (JSON mode). */
const instructedSchema = (input: unknown): Json | undefined => {
  for (const entry of inputTexts(input)) {
    if (entry.role !== "system" && entry.role !== "developer") continue
    const at = entry.text.indexOf("{")
    if (at === -1) continue
    try {
      const parsed: unknown = JSON.parse(entry.text.slice(at))
      if (isRecord(parsed)) return parsed
    } catch {
      // not a schema
    }
  }
  return undefined
}

const plan = (body: Json): Plan => {
  const items = Array.isArray(body.input) ? body.input.filter(isRecord) : []
  const lastItem = items.at(-1)
  const last = inputTexts(body.input)
    .filter((entry) => entry.role === "user")
    .at(-1)
  const text = last?.text ?? ""
  if (lastItem?.type !== "function_call_output") {
    const tool = toolFor(body, text)
    if (tool !== undefined) return { text: undefined, calls: callsOf(body, tool, text) }
  }
  const format = isRecord(body.text) && isRecord(body.text.format) ? body.text.format : undefined
  if (format?.type === "json_schema")
    return { text: JSON.stringify(fill(format.schema, promptOf(text))), calls: [] }
  if (format?.type === "json_object") {
    const schema = instructedSchema(body.input)
    if (schema !== undefined) return { text: JSON.stringify(fill(schema, promptOf(text))), calls: [] }
    const keys = promptOf(text).quoted
    const object = Object.fromEntries((keys.length > 0 ? keys : ["answer"]).map((key) => [key, "sample"]))
    return { text: JSON.stringify(object), calls: [] }
  }
  if (lastItem?.type === "function_call_output") {
    return { text: `The tool answered ${JSON.stringify(lastItem.output)}, so that is the answer.`, calls: [] }
  }
  const topic = text.trim().split(/\s+/).slice(0, 6).join(" ")
  return { text: `Scripted answer about "${topic}": one two three four five.`, calls: [] }
}

let counter = 0

const response = (body: Json, answer: Plan, id: string) => {
  counter++
  const output: Array<Json> = []
  if (answer.text !== undefined) {
    output.push({
      id: `msg_${counter}`,
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: answer.text, annotations: [], logprobs: [] }]
    })
  }
  answer.calls.forEach((call, index) => {
    output.push({
      id: `fc_${counter}_${index}`,
      type: "function_call",
      status: "completed",
      call_id: `call_${counter}_${index}`,
      name: call.name,
      arguments: call.arguments
    })
  })
  const inputTokens = Math.max(
    1,
    inputTexts(body.input).reduce((sum, entry) => sum + words(entry.text), 0)
  )
  const outputTokens = Math.max(1, words(answer.text ?? answer.calls.map((call) => call.arguments).join(" ")))
  return {
    id,
    object: "response",
    created_at: 1741476777,
    status: "completed",
    completed_at: 1741476778,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: `${String(body.model)}-2025-04-14`,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: 1,
    truncation: "disabled",
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + outputTokens
    },
    user: null,
    metadata: {}
  }
}

/** Text in streamed pieces: words, long words cut every 6 characters (so JSON streams in parts too). */
const pieces = (text: string): ReadonlyArray<string> =>
  (text.match(/\S+\s*|\s+/g) ?? []).flatMap((word) => word.match(/[\s\S]{1,6}/g) ?? [])

/** The event stream of a finished response (one text delta per word, one arguments delta per 4 characters). */
const events = (done: ReturnType<typeof response>): ReadonlyArray<WireServer.SseInput> => {
  let sequence = 0
  const out: Array<WireServer.SseInput> = []
  const add = (type: string, fields: Json) =>
    out.push({ event: type, data: { type, sequence_number: sequence++, ...fields } })
  const pending = { ...done, status: "in_progress", completed_at: null, output: [], usage: null }
  add("response.created", { response: pending })
  add("response.in_progress", { response: pending })
  done.output.forEach((item, index) => {
    if (item.type === "message") {
      const part = (item.content as ReadonlyArray<Json>)[0]!
      const text = String(part.text)
      add("response.output_item.added", {
        output_index: index,
        item: { ...item, status: "in_progress", content: [] }
      })
      add("response.content_part.added", {
        item_id: item.id,
        output_index: index,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [], logprobs: [] }
      })
      for (const delta of pieces(text)) {
        add("response.output_text.delta", {
          item_id: item.id,
          output_index: index,
          content_index: 0,
          delta,
          logprobs: []
        })
      }
      add("response.output_text.done", {
        item_id: item.id,
        output_index: index,
        content_index: 0,
        text,
        logprobs: []
      })
      add("response.content_part.done", { item_id: item.id, output_index: index, content_index: 0, part })
    } else {
      const args = String(item.arguments)
      add("response.output_item.added", {
        output_index: index,
        item: { ...item, status: "in_progress", arguments: "" }
      })
      for (let at = 0; at < args.length; at += 4) {
        add("response.function_call_arguments.delta", {
          item_id: item.id,
          output_index: index,
          delta: args.slice(at, at + 4)
        })
      }
      add("response.function_call_arguments.done", {
        item_id: item.id,
        output_index: index,
        name: item.name,
        arguments: args
      })
    }
    add("response.output_item.done", { output_index: index, item })
  })
  add("response.completed", { response: done })
  return out
}

/** Options of the fake server. */
export interface Options {
  /** Milliseconds between the events of a streamed answer (real timers). */
  readonly delay?: number
}

/** The script answering every request as a Responses API server would. */
export const responses =
  (options: Options = {}) =>
  (request: WireServer.RecordedRequest): WireServer.Reply => {
    if (request.method !== "POST" || !request.path.startsWith("/responses")) {
      return WireServer.errorReply(404, {
        message: `no route ${request.method} ${request.path}`,
        type: "invalid_request_error"
      })
    }
    const problems = validateRequest("CreateResponse", request.body)
    if (problems.length > 0 || !isRecord(request.body)) {
      return WireServer.errorReply(400, {
        message: `the request body does not validate against CreateResponse: ${problems.join("; ")}`,
        type: "invalid_request_error"
      })
    }
    const body = request.body
    const done = response(body, plan(body), `resp_${request.index}_${Date.now().toString(36)}`)
    if (body.stream !== true) return WireServer.json(done)
    const parts = WireServer.sse(events(done))
      .split(/(?<=\n\n)/)
      .filter((part) => part !== "")
    return {
      ...WireServer.sseReply(""),
      body: parts,
      ...(options.delay === undefined ? {} : { delay: options.delay })
    }
  }

/** Starts the server (stopped with the scope). */
export const make = (options: Options = {}): Effect.Effect<WireServer.WireServer, never, Scope.Scope> =>
  WireServer.make(responses(options))
