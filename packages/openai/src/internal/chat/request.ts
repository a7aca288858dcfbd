/**
 * Request conversion: messages, content blocks, tools, tool choice, response format and
 * sampling options into a `CreateChatCompletionRequest` body, adjusted by the server's
 * compatibility profile. Everything that cannot be sent fails with a typed error before
 * any request is made.
 *
 * Reasoning blocks in the history are dropped: Chat Completions has no field for them
 * (and DeepSeek rejects `reasoning_content` sent back).
 *
 * @internal
 */
import { ChatError, type ChatModel, Message } from "@effect-chat/core"
import * as Either from "effect/Either"
import type { Config } from "../../OpenAiChatModel.js"
import type { CompatProfile } from "../compat.js"
import type * as Wire from "./wire.js"

/** What the converter needs besides the request. */
export interface Settings {
  readonly config: Config
  readonly compat: CompatProfile
  /** The model is a reasoning model (o-series, GPT-5): system instructions go as `developer`. */
  readonly reasoning: boolean
}

type Failure = ChatError.UnsupportedFeatureError | ChatError.InvalidInputError

const unsupported = (settings: Settings, message: string): ChatError.UnsupportedFeatureError =>
  new ChatError.UnsupportedFeatureError({ message, provider: settings.compat.name })

const invalid = (settings: Settings, message: string): ChatError.InvalidInputError =>
  new ChatError.InvalidInputError({ message, provider: settings.compat.name })

/** Thrown-free early exit: the converters collect into arrays and return the first failure. */
class Stop {
  constructor(readonly error: Failure) {}
}

// ---------------------------------------------------------------------------
// content
// ---------------------------------------------------------------------------

const dataUrl = (data: string, mimeType: string): string =>
  data.startsWith("data:") ? data : `data:${mimeType};base64,${data}`

const audioFormats: Readonly<Record<string, "wav" | "mp3">> = {
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/wave": "wav",
  "audio/vnd.wave": "wav",
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3"
}

const userPart = (block: Message.ContentBlock, settings: Settings): Wire.UserPart | Stop | undefined => {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text }
    case "image": {
      if (block.url !== undefined) return { type: "image_url", image_url: { url: block.url } }
      const data = block.data ?? ""
      if (!data.startsWith("data:") && block.mimeType === undefined) {
        return new Stop(invalid(settings, "an image block with base64 data needs a mimeType"))
      }
      return { type: "image_url", image_url: { url: dataUrl(data, block.mimeType ?? "") } }
    }
    case "audio": {
      const format = audioFormats[block.mimeType.toLowerCase()]
      return format === undefined
        ? new Stop(
            unsupported(
              settings,
              `Chat Completions takes wav or mp3 audio, not ${block.mimeType} (input_audio.format)`
            )
          )
        : { type: "input_audio", input_audio: { data: block.data, format } }
    }
    case "file": {
      if (block.data === undefined) {
        return new Stop(
          unsupported(
            settings,
            "Chat Completions takes files as base64 data only, not URLs; send the data or use the Responses API"
          )
        )
      }
      const file: { filename?: string; file_data: string } = {
        file_data: dataUrl(block.data, block.mimeType)
      }
      if (block.filename !== undefined) file.filename = block.filename
      return { type: "file", file }
    }
    case "reasoning":
      return undefined
  }
}

/** Text of a message whose role takes text only (system, developer, tool, assistant). */
const textOnly = (content: Message.Content, role: string, settings: Settings): string | Stop => {
  if (typeof content === "string") return content
  let text = ""
  for (const block of content) {
    if (block.type === "text") text += block.text
    else if (block.type !== "reasoning") {
      return new Stop(
        unsupported(
          settings,
          `a ${role} message takes text only on Chat Completions, not ${block.type} blocks`
        )
      )
    }
  }
  return text
}

// ---------------------------------------------------------------------------
// messages
// ---------------------------------------------------------------------------

const withName = <A extends object>(message: A, name: string | undefined, settings: Settings): A =>
  name === undefined || !settings.compat.messageNames ? message : { ...message, name }

const systemRole = (message: Message.SystemMessage, settings: Settings): "developer" | "system" =>
  settings.compat.developerRole && (settings.reasoning || message.additionalKwargs?.role === "developer")
    ? "developer"
    : "system"

const assistantMessage = (message: Message.AIMessage, settings: Settings): Wire.RequestMessage | Stop => {
  const text = textOnly(message.content, "assistant", settings)
  if (text instanceof Stop) return text
  const toolCalls: Array<Wire.ToolCall> = message.toolCalls.map((call) => ({
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.args) }
  }))
  for (const call of message.invalidToolCalls) {
    if (call.id !== undefined && call.name !== undefined) {
      toolCalls.push({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: call.args ?? "" }
      })
    }
  }
  const out: {
    role: "assistant"
    content: string | null
    refusal?: string
    tool_calls?: ReadonlyArray<Wire.ToolCall>
  } = { role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text }
  const refusal = message.additionalKwargs?.refusal
  if (typeof refusal === "string" && refusal !== "") out.refusal = refusal
  if (toolCalls.length > 0) out.tool_calls = toolCalls
  return withName(out, message.name, settings)
}

const toWire = (message: Message.Message, settings: Settings): Wire.RequestMessage | Stop => {
  switch (message._tag) {
    case "SystemMessage": {
      const text = textOnly(message.content, "system", settings)
      if (text instanceof Stop) return text
      return withName({ role: systemRole(message, settings), content: text }, message.name, settings)
    }
    case "HumanMessage": {
      if (typeof message.content === "string") {
        return withName({ role: "user", content: message.content }, message.name, settings)
      }
      const parts: Array<Wire.UserPart> = []
      for (const block of message.content) {
        const part = userPart(block, settings)
        if (part instanceof Stop) return part
        if (part !== undefined) parts.push(part)
      }
      return withName({ role: "user", content: parts.length === 0 ? "" : parts }, message.name, settings)
    }
    case "AIMessage":
      return assistantMessage(message, settings)
    case "AIMessageChunk":
      return assistantMessage(Message.toMessage(message), settings)
    case "ToolMessage": {
      const text = textOnly(message.content, "tool", settings)
      if (text instanceof Stop) return text
      return { role: "tool", content: text, tool_call_id: message.toolCallId }
    }
  }
}

/** The wire messages of a history. */
export const toMessages = (
  messages: ReadonlyArray<Message.Message>,
  settings: Settings
): Either.Either<ReadonlyArray<Wire.RequestMessage>, Failure> => {
  const out: Array<Wire.RequestMessage> = []
  for (const message of messages) {
    const converted = toWire(message, settings)
    if (converted instanceof Stop) return Either.left(converted.error)
    out.push(converted)
  }
  return Either.right(out)
}

// ---------------------------------------------------------------------------
// tools and formats
// ---------------------------------------------------------------------------

const toTool = (tool: ChatModel.ToolDefinition, settings: Settings): Wire.Tool => {
  const fn: { name: string; description?: string; parameters: Record<string, unknown>; strict?: boolean } = {
    name: tool.name,
    parameters: tool.parameters
  }
  if (tool.description !== "") fn.description = tool.description
  if (tool.strict !== undefined && settings.compat.strictTools) fn.strict = tool.strict
  return { type: "function", function: fn }
}

/** `auto`/`none` as they are, `any` as `required`, a tool's name as a named choice. */
export const toToolChoice = (choice: ChatModel.ToolChoice): Wire.ToolChoice => {
  if (choice === "auto") return "auto"
  if (choice === "none") return "none"
  if (choice === "any") return "required"
  return { type: "function", function: { name: choice } }
}

const toResponseFormat = (
  format: ChatModel.ResponseFormat,
  settings: Settings
): Either.Either<Wire.ResponseFormat, Failure> => {
  if (format.type === "json") return Either.right({ type: "json_object" })
  if (!settings.compat.jsonSchema) {
    return Either.left(
      unsupported(
        settings,
        `${settings.compat.name} does not take a JSON Schema response format; use JSON mode`
      )
    )
  }
  const jsonSchema: { name: string; schema: Record<string, unknown>; strict: boolean; description?: string } =
    {
      name: format.name,
      schema: format.schema,
      strict: format.strict
    }
  if (format.description !== undefined) jsonSchema.description = format.description
  return Either.right({ type: "json_schema", json_schema: jsonSchema })
}

// ---------------------------------------------------------------------------
// the body
// ---------------------------------------------------------------------------

type Writable<T> = { -readonly [K in keyof T]: T[K] }

const setDefined = <K extends keyof Wire.Request>(
  body: Wire.Request,
  key: K,
  value: Wire.Request[K] | undefined
) => {
  if (value !== undefined) body[key] = value
}

/**
 * The request body: model, messages, the configured sampling options, tools, tool
 * choice, response format, stop sequences, streaming options, then the call's
 * `providerOptions` (snake_case keys, as they are) over everything.
 */
export const toBody = (
  request: ChatModel.ChatRequest,
  settings: Settings,
  stream: boolean
): Either.Either<Wire.Request, Failure> => {
  const { config, compat } = settings
  const n = config.n
  if (n !== undefined && n > 1 && !compat.multipleChoices) {
    return Either.left(unsupported(settings, `${compat.name} answers one choice per request (n = ${n})`))
  }
  if ((config.logprobs === true || config.topLogprobs !== undefined) && !compat.logprobs) {
    return Either.left(unsupported(settings, `${compat.name} does not return logprobs`))
  }
  return Either.flatMap(toMessages(request.messages, settings), (messages) => {
    const body: Writable<Wire.Request> = { model: config.model, messages }
    setDefined(body, "temperature", config.temperature)
    setDefined(body, "top_p", config.topP)
    setDefined(body, compat.maxTokensField, config.maxTokens)
    setDefined(body, "seed", config.seed)
    setDefined(body, "n", n)
    setDefined(body, "logprobs", config.logprobs)
    setDefined(body, "top_logprobs", config.topLogprobs)
    setDefined(body, "reasoning_effort", config.reasoningEffort)
    setDefined(body, "service_tier", config.serviceTier)
    setDefined(body, "user", config.user)
    setDefined(body, "frequency_penalty", config.frequencyPenalty)
    setDefined(body, "presence_penalty", config.presencePenalty)
    const stop = request.stop ?? config.stop
    if (stop !== undefined && stop.length > 0) body.stop = stop
    if (request.tools.length > 0) {
      body.tools = request.tools.map((tool) => toTool(tool, settings))
      if (request.toolChoice !== undefined) body.tool_choice = toToolChoice(request.toolChoice)
      if (request.parallelToolCalls !== undefined && compat.parallelToolCalls) {
        body.parallel_tool_calls = request.parallelToolCalls
      }
    }
    if (stream) {
      body.stream = true
      if (compat.streamOptions && config.streamUsage !== false) body.stream_options = { include_usage: true }
    }
    const withFormat =
      request.responseFormat === undefined
        ? Either.right(body)
        : Either.map(toResponseFormat(request.responseFormat, settings), (format) => {
            body.response_format = format
            return body
          })
    return Either.map(withFormat, (ready) => {
      for (const [key, value] of Object.entries(request.providerOptions)) {
        // `stream` is the model's to set (`invoke` reads one JSON body, `stream` events)
        if (key === "stream") continue
        if (value === undefined) delete ready[key]
        else ready[key] = value
      }
      return ready
    })
  })
}
