/**
 * The limit: `fetch` plus a hand-written SSE reader (text decoded as it arrives, split
 * into lines, `JSON.parse` of each `data:` line), no library at all.
 */
import { API_KEY, Counter, type Counts, MODEL, PROMPT, type StreamClient } from "../client.js"
import { manualSseReader } from "../manualSse.js"
import type { Format } from "../wire.js"

const request = (format: Format): { readonly path: string; readonly body: string } =>
  format === "chat"
    ? {
        path: "/chat/completions",
        body: JSON.stringify({
          model: MODEL,
          messages: [{ role: "user", content: PROMPT }],
          stream: true,
          stream_options: { include_usage: true }
        })
      }
    : { path: "/responses", body: JSON.stringify({ model: MODEL, input: PROMPT, stream: true }) }

/** Streams one response with `fetch` and a manual SSE reader. */
const consume = async (baseUrl: string, format: Format, onFirst?: () => void): Promise<Counts> => {
  const { path, body } = request(format)
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
    body
  })
  if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`)
  const counter = new Counter(onFirst)
  const reader = manualSseReader(format, counter)
  for await (const bytes of response.body) reader.read(bytes)
  if (format === "chat" && !reader.done()) throw new Error("the stream ended without [DONE]")
  return counter.counts()
}

const client = (format: Format): StreamClient => ({
  library: "baseline: raw `fetch`",
  variant: `manual SSE parsing (line split, \`JSON.parse\`), ${format === "chat" ? "Chat Completions" : "Responses"} stream`,
  format,
  baseline: true,
  connect: async (baseUrl) => ({ one: (onFirst) => consume(baseUrl, format, onFirst) })
})

/** Raw fetch over the Chat Completions stream and over the Responses stream. */
export const clients: ReadonlyArray<StreamClient> = [client("chat"), client("responses")]
