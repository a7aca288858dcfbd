/**
 * The Chat Completions wire format, written from OpenAI's OpenAPI reference
 * (`CreateChatCompletionRequest`, `ChatCompletionRequestMessage` and its content parts,
 * `ChatCompletionTool`, `ChatCompletionToolChoiceOption`, `ResponseFormatJsonSchema`,
 * `CreateChatCompletionResponse`, `CreateChatCompletionStreamResponse`,
 * `ChatCompletionMessageToolCall(Chunk)`, `CompletionUsage`). Only the parts this
 * package sends or reads; responses are checked structurally, never trusted by type.
 *
 * @internal
 */

// ---------------------------------------------------------------------------
// request
// ---------------------------------------------------------------------------

/** `ChatCompletionRequestMessageContentPartText` */
export interface TextPart {
  readonly type: "text"
  readonly text: string
}

/** `ChatCompletionRequestMessageContentPartImage` (`url`: an http(s) URL or a data URL) */
export interface ImagePart {
  readonly type: "image_url"
  readonly image_url: { readonly url: string; readonly detail?: "auto" | "low" | "high" }
}

/** `ChatCompletionRequestMessageContentPartAudio` (base64 data, `wav` or `mp3`) */
export interface AudioPart {
  readonly type: "input_audio"
  readonly input_audio: { readonly data: string; readonly format: "wav" | "mp3" }
}

/** `ChatCompletionRequestMessageContentPartFile` (PDF only on Chat Completions) */
export interface FilePart {
  readonly type: "file"
  readonly file: { readonly filename?: string; readonly file_data?: string; readonly file_id?: string }
}

/** A user message's content part. */
export type UserPart = TextPart | ImagePart | AudioPart | FilePart

/** `ChatCompletionMessageToolCall` */
export interface ToolCall {
  readonly id: string
  readonly type: "function"
  readonly function: { readonly name: string; readonly arguments: string }
}

/** `ChatCompletionRequestMessage`: developer, system, user, assistant and tool messages. */
export type RequestMessage =
  | { readonly role: "developer" | "system"; readonly content: string; readonly name?: string }
  | { readonly role: "user"; readonly content: string | ReadonlyArray<UserPart>; readonly name?: string }
  | {
      readonly role: "assistant"
      readonly content: string | null
      readonly name?: string
      readonly refusal?: string
      readonly tool_calls?: ReadonlyArray<ToolCall>
    }
  | { readonly role: "tool"; readonly content: string; readonly tool_call_id: string }

/** `ChatCompletionTool` with its `FunctionObject` */
export interface Tool {
  readonly type: "function"
  readonly function: {
    readonly name: string
    readonly description?: string
    readonly parameters?: Record<string, unknown>
    readonly strict?: boolean
  }
}

/** `ChatCompletionToolChoiceOption` (the modes and `ChatCompletionNamedToolChoice`) */
export type ToolChoice =
  | "none"
  | "auto"
  | "required"
  | { readonly type: "function"; readonly function: { readonly name: string } }

/** `ResponseFormatJsonObject` / `ResponseFormatJsonSchema` */
export type ResponseFormat =
  | { readonly type: "json_object" }
  | {
      readonly type: "json_schema"
      readonly json_schema: {
        readonly name: string
        readonly schema: Record<string, unknown>
        readonly strict?: boolean
        readonly description?: string
      }
    }

/** `CreateChatCompletionRequest` (the fields this package sets; `providerOptions` add any other). */
export interface Request {
  model: string
  messages: ReadonlyArray<RequestMessage>
  temperature?: number
  top_p?: number
  max_tokens?: number
  max_completion_tokens?: number
  seed?: number
  stop?: ReadonlyArray<string>
  n?: number
  logprobs?: boolean
  top_logprobs?: number
  reasoning_effort?: string
  service_tier?: string
  user?: string
  frequency_penalty?: number
  presence_penalty?: number
  tools?: ReadonlyArray<Tool>
  tool_choice?: ToolChoice
  parallel_tool_calls?: boolean
  response_format?: ResponseFormat
  stream?: boolean
  stream_options?: { readonly include_usage: boolean }
  [key: string]: unknown
}

// ---------------------------------------------------------------------------
// stream markers
// ---------------------------------------------------------------------------

/** The end marker of a Chat Completions stream. */
export const doneMarker = "[DONE]"
