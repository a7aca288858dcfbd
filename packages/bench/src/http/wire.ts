/**
 * The streams the loopback server sends: a realistic Chat Completions stream
 * (`chat.completion.chunk` events as OpenAI sends them with
 * `stream_options.include_usage`: a role chunk, one chunk per text delta, a finish
 * chunk, a choice-less usage chunk, then `data: [DONE]`) and the same text as a
 * Responses API stream (`response.created` … `response.output_text.delta` …
 * `response.completed`), both rendered once into bytes.
 *
 * The delta texts cycle through a fixed list of token-like strings, a few of them
 * non-ASCII, so multi-byte characters get split across network reads as they do in
 * real streams.
 */

/** The wire format of a stream. */
export type Format = "chat" | "responses"

/** Token-like delta texts, cycled (mostly 2-7 characters, as a tokenizer gives). */
const TOKENS: ReadonlyArray<string> = [
  "The",
  " quick",
  " brown",
  " fox",
  " jumps",
  " over",
  " the",
  " lazy",
  " dog",
  ",",
  " and",
  " a",
  " naïve",
  " café",
  " in",
  " 東京",
  " says",
  ' "',
  "hello",
  '"',
  ".\n"
]

/** The text of delta `i`. */
export const deltaText = (i: number): string => TOKENS[i % TOKENS.length]

/** What a client must see of a stream of `deltas` deltas: how many text deltas, and their total length. */
export interface Expected {
  readonly deltas: number
  readonly chars: number
}

/** The delta count and text length of a `deltas`-delta stream. */
export const expectedOf = (deltas: number): Expected => {
  let chars = 0
  for (let i = 0; i < deltas; i++) chars += deltaText(i).length
  return { deltas, chars }
}

/** The whole text of a `deltas`-delta stream. */
export const fullText = (deltas: number): string => {
  const parts: Array<string> = []
  for (let i = 0; i < deltas; i++) parts.push(deltaText(i))
  return parts.join("")
}

/** A stream rendered to bytes: the events before the first delta, the deltas, the events after. */
export interface Rendered {
  readonly head: Buffer
  readonly deltas: ReadonlyArray<Buffer>
  readonly tail: Buffer
}

const MODEL = "gpt-4.1-mini-2025-04-14"
const CREATED = 1741570283

const chatEvent = (body: unknown): string => `data: ${JSON.stringify(body)}\n\n`

const chatChunk = (choices: ReadonlyArray<unknown>, usage: unknown = null) => ({
  id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
  object: "chat.completion.chunk",
  created: CREATED,
  model: MODEL,
  service_tier: "default",
  system_fingerprint: "fp_fc9f1d7035",
  choices,
  usage
})

const renderChat = (deltas: number): Rendered => {
  const head = chatEvent(
    chatChunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }])
  )
  const body: Array<Buffer> = []
  for (let i = 0; i < deltas; i++) {
    body.push(
      Buffer.from(
        chatEvent(
          chatChunk([{ index: 0, delta: { content: deltaText(i) }, logprobs: null, finish_reason: null }])
        )
      )
    )
  }
  const tail =
    chatEvent(chatChunk([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }])) +
    chatEvent(
      chatChunk([], {
        prompt_tokens: 19,
        completion_tokens: deltas,
        total_tokens: 19 + deltas,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0
        }
      })
    ) +
    "data: [DONE]\n\n"
  return { head: Buffer.from(head), deltas: body, tail: Buffer.from(tail) }
}

const RESPONSE_ID = "resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41"
const ITEM_ID = "msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41"

const responseObject = (
  status: "in_progress" | "completed",
  output: ReadonlyArray<unknown>,
  usage: unknown
) => ({
  id: RESPONSE_ID,
  object: "response",
  created_at: 1741476777,
  status,
  completed_at: status === "completed" ? 1741476778 : null,
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: MODEL,
  output,
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  service_tier: "default",
  store: true,
  temperature: 1.0,
  text: { format: { type: "text" } },
  tool_choice: "auto",
  tools: [],
  top_p: 1.0,
  truncation: "disabled",
  usage,
  user: null,
  metadata: {}
})

const responsesEvent = (body: { readonly type: string; readonly [field: string]: unknown }): string =>
  `event: ${body.type}\ndata: ${JSON.stringify(body)}\n\n`

const renderResponses = (deltas: number): Rendered => {
  let sequence = 0
  const event = (type: string, fields: Record<string, unknown>): string =>
    responsesEvent({ type, sequence_number: sequence++, ...fields })
  const head =
    event("response.created", { response: responseObject("in_progress", [], null) }) +
    event("response.in_progress", { response: responseObject("in_progress", [], null) }) +
    event("response.output_item.added", {
      output_index: 0,
      item: { id: ITEM_ID, type: "message", status: "in_progress", role: "assistant", content: [] }
    }) +
    event("response.content_part.added", {
      item_id: ITEM_ID,
      output_index: 0,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [], logprobs: [] }
    })
  const body: Array<Buffer> = []
  for (let i = 0; i < deltas; i++) {
    body.push(
      Buffer.from(
        event("response.output_text.delta", {
          item_id: ITEM_ID,
          output_index: 0,
          content_index: 0,
          delta: deltaText(i),
          logprobs: []
        })
      )
    )
  }
  const text = fullText(deltas)
  const part = { type: "output_text", text, annotations: [], logprobs: [] }
  const item = { id: ITEM_ID, type: "message", status: "completed", role: "assistant", content: [part] }
  const tail =
    event("response.output_text.done", {
      item_id: ITEM_ID,
      output_index: 0,
      content_index: 0,
      text,
      logprobs: []
    }) +
    event("response.content_part.done", { item_id: ITEM_ID, output_index: 0, content_index: 0, part }) +
    event("response.output_item.done", { output_index: 0, item }) +
    event("response.completed", {
      response: responseObject("completed", [item], {
        input_tokens: 19,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: deltas,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 19 + deltas
      })
    })
  return { head: Buffer.from(head), deltas: body, tail: Buffer.from(tail) }
}

/** Renders a `deltas`-delta stream in `format`. */
export const render = (format: Format, deltas: number): Rendered =>
  format === "chat" ? renderChat(deltas) : renderResponses(deltas)
