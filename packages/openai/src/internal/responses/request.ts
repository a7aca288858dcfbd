/**
 * A `ChatRequest` to a Responses API `CreateResponse` body (written from OpenAI's API
 * reference): messages to input items, tools (flat `FunctionTool`s), tool choice,
 * structured output (`text.format`), sampling and reasoning options, `store` /
 * `include`, and the provider options passed through last.
 *
 * Input items:
 * - system messages: `{ type: "message", role: "system" }` (`"developer"` when the
 *   message's `additionalKwargs.role` says so), in place;
 * - user messages: `role: "user"` with a string, or `input_text` / `input_image` (URL or
 *   data URL) / `input_file` parts (audio has no Responses input: `UnsupportedFeatureError`);
 * - AI messages, in their content's order: reasoning blocks as `reasoning` items (id,
 *   summary, `encrypted_content`), text as an assistant message (an `OutputMessage`
 *   with its `msg_…` id when known and stored, else plain assistant text), then each
 *   tool call as a `function_call` item (`call_id` = the tool call's id);
 * - tool messages: `function_call_output` items (`call_id` = `toolCallId`).
 *
 * With `store: false` nothing the server kept can be referred to, so item ids are
 * dropped except on reasoning items that carry their encrypted content (their id is
 * required and the content makes them self-contained); reasoning items without it are
 * left out.
 *
 * @internal
 */
import { ChatError, type ChatModel, Message, type ModelProfile } from "@effect-chat/core"
import * as Either from "effect/Either"
import type { Config } from "../../OpenAiResponsesModel.js"
import { isRecord } from "../json.js"
import {
  type CreateResponse,
  type FunctionCallItem,
  type FunctionTool,
  type InputContent,
  type InputItem,
  includeEncryptedReasoning,
  includeLogprobs,
  type ReasoningConfig,
  type TextFormat,
  type ToolChoice
} from "./wire.js"

type Writable<T> = { -readonly [K in keyof T]: T[K] }

/** Thrown-free failure of a conversion: the first unsupported thing found. */
class Unsupported {
  constructor(readonly message: string) {}
}

const unsupported = (message: string): Unsupported => new Unsupported(message)

const unsupportedError = (provider: string, problem: Unsupported): ChatError.ChatError =>
  new ChatError.UnsupportedFeatureError({ message: `${provider} responses: ${problem.message}`, provider })

// ---------------------------------------------------------------------------
// content
// ---------------------------------------------------------------------------

const imageTypes: ReadonlyArray<readonly [string, string]> = [
  ["iVBORw0KGgo", "image/png"],
  ["/9j/", "image/jpeg"],
  ["R0lGOD", "image/gif"],
  ["UklGR", "image/webp"]
]

/** The media type of base64 image data: given, else sniffed from its first bytes, else PNG. */
const imageMimeType = (data: string, mimeType: string | undefined): string => {
  if (mimeType !== undefined) return mimeType
  for (const [prefix, type] of imageTypes) if (data.startsWith(prefix)) return type
  return "image/png"
}

const dataUrl = (data: string, mimeType: string): string =>
  data.startsWith("data:") ? data : `data:${mimeType};base64,${data}`

const extensions: Readonly<Record<string, string>> = {
  "application/pdf": "pdf",
  "text/plain": "txt",
  "text/markdown": "md",
  "text/csv": "csv",
  "application/json": "json"
}

const fileName = (mimeType: string): string => `file.${extensions[mimeType] ?? "bin"}`

/** One content block as an input part; reasoning blocks have no input form (`undefined`). */
const inputPart = (block: Message.ContentBlock): InputContent | undefined | Unsupported => {
  switch (block.type) {
    case "text":
      return { type: "input_text", text: block.text }
    case "image":
      return {
        type: "input_image",
        image_url: block.url ?? dataUrl(block.data ?? "", imageMimeType(block.data ?? "", block.mimeType)),
        detail: "auto"
      }
    case "file": {
      if (block.url !== undefined && block.data === undefined) {
        return block.filename === undefined
          ? { type: "input_file", file_url: block.url }
          : { type: "input_file", file_url: block.url, filename: block.filename }
      }
      return {
        type: "input_file",
        filename: block.filename ?? fileName(block.mimeType),
        file_data: dataUrl(block.data ?? "", block.mimeType)
      }
    }
    case "audio":
      return unsupported("audio input is not supported by the Responses API (use OpenAiChatModel)")
    case "reasoning":
      return undefined
  }
}

const inputParts = (content: ReadonlyArray<Message.ContentBlock>): Array<InputContent> | Unsupported => {
  const parts: Array<InputContent> = []
  for (const block of content) {
    const part = inputPart(block)
    if (part instanceof Unsupported) return part
    if (part !== undefined) parts.push(part)
  }
  return parts
}

const inputContent = (content: Message.Content): string | Array<InputContent> | Unsupported =>
  typeof content === "string" ? content : inputParts(content)

// ---------------------------------------------------------------------------
// messages
// ---------------------------------------------------------------------------

const emptyRecord: Readonly<Record<string, unknown>> = {}

const stringRecord = (value: unknown): Readonly<Record<string, unknown>> =>
  isRecord(value) ? value : emptyRecord

const idIn = (
  record: Readonly<Record<string, unknown>>,
  key: string | number | undefined
): string | undefined => {
  if (key === undefined) return undefined
  const value = record[String(key)]
  return typeof value === "string" && value !== "" ? value : undefined
}

/** An AI message's items: reasoning and text in content order, then its function calls. */
const aiItems = (message: Message.AIMessage, store: boolean, out: Array<InputItem>): void => {
  const kwargs = message.additionalKwargs ?? emptyRecord
  const itemIds = stringRecord(kwargs.itemIds)
  const callItemIds = stringRecord(kwargs.functionCallItemIds)
  let pending: { readonly id: string | undefined; readonly texts: Array<string> } | undefined
  let sentText = false
  const flush = () => {
    if (pending === undefined) return
    const { id, texts } = pending
    pending = undefined
    sentText = true
    out.push(
      id === undefined
        ? { type: "message", role: "assistant", content: texts.join("") }
        : {
            type: "message",
            role: "assistant",
            id,
            status: "completed",
            content: texts.map((text) => ({ type: "output_text", text, annotations: [], logprobs: [] }))
          }
    )
  }
  if (typeof message.content === "string") {
    if (message.content !== "") pending = { id: undefined, texts: [message.content] }
  } else {
    for (const block of message.content) {
      const id = idIn(itemIds, block.index)
      if (block.type === "reasoning") {
        flush()
        // a reasoning item needs its id; unstored, only its encrypted content makes it usable
        if (id === undefined || (!store && block.encrypted === undefined)) continue
        const summary =
          block.reasoning === "" ? [] : [{ type: "summary_text" as const, text: block.reasoning }]
        out.push(
          block.encrypted === undefined
            ? { type: "reasoning", id, summary }
            : { type: "reasoning", id, summary, encrypted_content: block.encrypted }
        )
      } else if (block.type === "text") {
        const messageId = store ? id : undefined
        if (pending !== undefined && pending.id === messageId) pending.texts.push(block.text)
        else {
          flush()
          pending = { id: messageId, texts: [block.text] }
        }
      }
    }
  }
  flush()
  const refusal = kwargs.refusal
  if (!sentText && typeof refusal === "string" && refusal !== "") {
    out.push({ type: "message", role: "assistant", content: refusal })
  }
  const call = (callId: string, name: string, args: string): FunctionCallItem => {
    const itemId = store ? idIn(callItemIds, callId) : undefined
    return itemId === undefined
      ? { type: "function_call", call_id: callId, name, arguments: args }
      : { type: "function_call", call_id: callId, name, arguments: args, id: itemId }
  }
  for (const toolCall of message.toolCalls)
    out.push(call(toolCall.id, toolCall.name, JSON.stringify(toolCall.args)))
  // calls the model made with bad arguments still need their outputs to pair with
  for (const invalid of message.invalidToolCalls) {
    if (invalid.id !== undefined && invalid.name !== undefined)
      out.push(call(invalid.id, invalid.name, invalid.args ?? ""))
  }
}

const toolOutput = (content: Message.Content): string | Array<InputContent> | Unsupported => {
  if (typeof content === "string") return content
  if (content.every((block) => block.type === "text")) return Message.text({ content })
  return inputParts(content)
}

/** The input items of a conversation. */
export const toInput = (
  messages: ReadonlyArray<Message.Message>,
  store: boolean,
  provider: string
): Either.Either<Array<InputItem>, ChatError.ChatError> => {
  const out: Array<InputItem> = []
  for (const message of messages) {
    switch (message._tag) {
      case "SystemMessage":
      case "HumanMessage": {
        const content = inputContent(message.content)
        if (content instanceof Unsupported) return Either.left(unsupportedError(provider, content))
        const role =
          message._tag === "HumanMessage"
            ? "user"
            : message.additionalKwargs?.role === "developer"
              ? "developer"
              : "system"
        out.push({ type: "message", role, content })
        break
      }
      case "AIMessage":
        aiItems(message, store, out)
        break
      case "AIMessageChunk":
        aiItems(Message.toMessage(message), store, out)
        break
      case "ToolMessage": {
        const output = toolOutput(message.content)
        if (output instanceof Unsupported) return Either.left(unsupportedError(provider, output))
        out.push({ type: "function_call_output", call_id: message.toolCallId, output })
        break
      }
    }
  }
  return Either.right(out)
}

// ---------------------------------------------------------------------------
// tools and formats
// ---------------------------------------------------------------------------

const toolOf = (tool: ChatModel.ToolDefinition): FunctionTool => ({
  type: "function",
  name: tool.name,
  description: tool.description,
  parameters: tool.parameters,
  // the Responses API makes functions strict unless told otherwise: only strict schemas are strict
  strict: tool.strict === true
})

/** `"any"` is `required`; a tool's name forces that function. */
export const toolChoiceOf = (choice: ChatModel.ToolChoice): ToolChoice =>
  choice === "auto"
    ? "auto"
    : choice === "none"
      ? "none"
      : choice === "any"
        ? "required"
        : { type: "function", name: choice }

export const formatOf = (format: ChatModel.ResponseFormat): TextFormat =>
  format.type === "json"
    ? { type: "json_object" }
    : format.description === undefined
      ? { type: "json_schema", name: format.name, schema: format.schema, strict: format.strict }
      : {
          type: "json_schema",
          name: format.name,
          schema: format.schema,
          strict: format.strict,
          description: format.description
        }

// ---------------------------------------------------------------------------
// the body
// ---------------------------------------------------------------------------

/** Whether responses are stored: the provider option first, then the config (the API's default is `true`). */
export const storeOf = (config: Config, request: ChatModel.ChatRequest): boolean => {
  const option = request.providerOptions.store
  return typeof option === "boolean" ? option : config.store !== false
}

/**
 * The `include` list: the configured values, message logprobs when `logprobs` is on, and
 * encrypted reasoning when responses are not stored and the model reasons (its profile
 * says so, or reasoning is configured).
 */
const includeOf = (config: Config, profile: ModelProfile.ModelProfile, store: boolean): Array<string> => {
  const include = [...(config.include ?? [])]
  const add = (value: string) => {
    if (!include.includes(value)) include.push(value)
  }
  if (config.logprobs === true) add(includeLogprobs)
  const reasons =
    profile.reasoningOutput || config.reasoningEffort !== undefined || config.reasoningSummary !== undefined
  if (!store && reasons) add(includeEncryptedReasoning)
  return include
}

/** The `CreateResponse` body of a request (`stream` set by the caller). */
export const toBody = (
  config: Config,
  profile: ModelProfile.ModelProfile,
  request: ChatModel.ChatRequest,
  provider: string
): Either.Either<CreateResponse, ChatError.ChatError> => {
  const store = storeOf(config, request)
  return Either.map(toInput(request.messages, store, provider), (input) => {
    const body: CreateResponse = { model: config.model, input }
    if (config.temperature !== undefined) body.temperature = config.temperature
    if (config.topP !== undefined) body.top_p = config.topP
    if (config.maxTokens !== undefined) body.max_output_tokens = config.maxTokens
    if (config.topLogprobs !== undefined) body.top_logprobs = config.topLogprobs
    if (config.reasoningEffort !== undefined || config.reasoningSummary !== undefined) {
      const reasoning: Writable<ReasoningConfig> = {}
      if (config.reasoningEffort !== undefined) reasoning.effort = config.reasoningEffort
      if (config.reasoningSummary !== undefined) reasoning.summary = config.reasoningSummary
      body.reasoning = reasoning
    }
    if (config.serviceTier !== undefined) body.service_tier = config.serviceTier
    if (config.store !== undefined) body.store = config.store
    const include = includeOf(config, profile, store)
    if (include.length > 0) body.include = include
    if (config.metadata !== undefined) body.metadata = config.metadata
    if (config.user !== undefined) body.user = config.user
    if (request.tools.length > 0) {
      body.tools = request.tools.map(toolOf)
      if (request.toolChoice !== undefined) body.tool_choice = toolChoiceOf(request.toolChoice)
    }
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls
    if (request.responseFormat !== undefined) body.text = { format: formatOf(request.responseFormat) }
    // `stream` is the model's to set (`invoke` reads one JSON body, `stream` events)
    for (const [key, value] of Object.entries(request.providerOptions)) {
      if (key === "stream") continue
      if (value === undefined) delete body[key]
      else body[key] = value
    }
    return body
  })
}
