/**
 * The Responses API wire format (`POST /responses`), as written in OpenAI's published
 * API reference (`openai-openapi.yaml`: `CreateResponse`, `InputItem`, `Response`,
 * `ResponseStreamEvent`): the request body we send, the response and stream events we
 * read (the structural readers used on them are in ../json.ts).
 *
 * Only what this package sends or reads is typed; everything else on the wire is
 * ignored.
 *
 * @internal
 */

// ---------------------------------------------------------------------------
// request (`CreateResponse`)
// ---------------------------------------------------------------------------

/** `InputTextContent`. */
export interface InputText {
  readonly type: "input_text"
  readonly text: string
}

/** `InputImageContent`: a URL or a data URL; `detail` is required by the reference. */
export interface InputImage {
  readonly type: "input_image"
  readonly image_url: string
  readonly detail: "low" | "high" | "auto" | "original"
}

/** `InputFileContent`: a file by URL, or inline as a data URL with its name. */
export interface InputFile {
  readonly type: "input_file"
  readonly file_url?: string
  readonly file_data?: string
  readonly filename?: string
}

/** `InputContent`. */
export type InputContent = InputText | InputImage | InputFile

/** `EasyInputMessage`: a role and text or input content (assistant: text only). */
export interface EasyInputMessage {
  readonly type: "message"
  readonly role: "user" | "assistant" | "system" | "developer"
  readonly content: string | ReadonlyArray<InputContent>
}

/** `OutputTextContent` (sent back inside an `OutputMessage`). */
export interface OutputText {
  readonly type: "output_text"
  readonly text: string
  readonly annotations: ReadonlyArray<unknown>
  readonly logprobs: ReadonlyArray<unknown>
}

/** `RefusalContent`. */
export interface RefusalContentPart {
  readonly type: "refusal"
  readonly refusal: string
}

/** `OutputMessage`: a previous answer sent back with its item id. */
export interface OutputMessageItem {
  readonly type: "message"
  readonly role: "assistant"
  readonly id: string
  readonly status: "completed" | "incomplete" | "in_progress"
  readonly content: ReadonlyArray<OutputText | RefusalContentPart>
}

/** `SummaryTextContent`. */
export interface SummaryText {
  readonly type: "summary_text"
  readonly text: string
}

/** `ReasoningItem`: `id` and `summary` are required; `encrypted_content` for stateless use. */
export interface ReasoningInputItem {
  readonly type: "reasoning"
  readonly id: string
  readonly summary: ReadonlyArray<SummaryText>
  readonly encrypted_content?: string
}

/** `FunctionToolCall`: `call_id` is the id the output refers to; `id` is the item's own. */
export interface FunctionCallItem {
  readonly type: "function_call"
  readonly call_id: string
  readonly name: string
  readonly arguments: string
  readonly id?: string
}

/** `FunctionCallOutputItemParam`. */
export interface FunctionCallOutputItem {
  readonly type: "function_call_output"
  readonly call_id: string
  readonly output: string | ReadonlyArray<InputContent>
}

/** `InputItem`: the kinds this package sends. */
export type InputItem =
  | EasyInputMessage
  | OutputMessageItem
  | ReasoningInputItem
  | FunctionCallItem
  | FunctionCallOutputItem

/** `FunctionTool`: flat (no `function` wrapper); `strict` and `parameters` are required. */
export interface FunctionTool {
  readonly type: "function"
  readonly name: string
  readonly description?: string
  readonly parameters: Record<string, unknown>
  readonly strict: boolean
}

/** `ToolChoiceParam`: an option, or one function by name. */
export type ToolChoice = "none" | "auto" | "required" | { readonly type: "function"; readonly name: string }

/** `TextResponseFormatConfiguration`. */
export type TextFormat =
  | { readonly type: "text" }
  | { readonly type: "json_object" }
  | {
      readonly type: "json_schema"
      readonly name: string
      readonly schema: Record<string, unknown>
      readonly strict: boolean
      readonly description?: string
    }

/** `Reasoning`. */
export interface ReasoningConfig {
  readonly effort?: string
  readonly summary?: "auto" | "concise" | "detailed"
}

/** `CreateResponse`: the fields this package sets (provider options may add any other). */
export interface CreateResponse {
  model: string
  input: ReadonlyArray<InputItem>
  stream?: boolean
  temperature?: number
  top_p?: number
  max_output_tokens?: number
  top_logprobs?: number
  reasoning?: ReasoningConfig
  service_tier?: string
  store?: boolean
  include?: ReadonlyArray<string>
  tools?: ReadonlyArray<FunctionTool>
  tool_choice?: ToolChoice
  parallel_tool_calls?: boolean
  text?: { readonly format: TextFormat }
  metadata?: Readonly<Record<string, string>>
  user?: string
  [key: string]: unknown
}

/** The `include` value that returns encrypted reasoning (for `store: false`). */
export const includeEncryptedReasoning = "reasoning.encrypted_content"

/** The `include` value that returns the logprobs of output text. */
export const includeLogprobs = "message.output_text.logprobs"

// ---------------------------------------------------------------------------
// response (`Response`) and stream events (`ResponseStreamEvent`)
// ---------------------------------------------------------------------------

/** `Response.status`. */
export type ResponseStatus = "completed" | "failed" | "in_progress" | "cancelled" | "queued" | "incomplete"

/** The stream events this package acts on; every other event type is ignored. */
export const EventType = {
  created: "response.created",
  inProgress: "response.in_progress",
  queued: "response.queued",
  outputItemAdded: "response.output_item.added",
  outputItemDone: "response.output_item.done",
  outputTextDelta: "response.output_text.delta",
  refusalDelta: "response.refusal.delta",
  functionCallArgumentsDelta: "response.function_call_arguments.delta",
  reasoningSummaryTextDelta: "response.reasoning_summary_text.delta",
  completed: "response.completed",
  incomplete: "response.incomplete",
  failed: "response.failed",
  error: "error"
} as const
