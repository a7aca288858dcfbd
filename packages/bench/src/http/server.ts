/**
 * The loopback SSE server the HTTP benchmarks stream from: `node:http` on 127.0.0.1,
 * a random port. Each stream is rendered to bytes once and cached, so serving one
 * costs the server almost nothing but the socket writes.
 *
 * Routes (the client's base URL is `<origin>/s/<deltas>/<gate>/v1`):
 * - `POST /s/<deltas>/<gate>/v1/chat/completions`: a Chat Completions stream of `<deltas>` text deltas;
 * - `POST /s/<deltas>/<gate>/v1/responses`: the same text as a Responses API stream;
 * - `POST /release/<gate>`: see below.
 *
 * With `<gate>` `-` the whole stream is written at once (the client reads as fast as
 * it can: its own cost per delta is what is measured). With any other gate id the
 * server writes the head and the first half of the deltas, then holds the response
 * until a `POST /release/<gate>`, which writes the rest of every held response of that
 * gate. The concurrency case uses this to have all its streams open at one moment
 * and measure the memory they hold. A gate is released by itself after
 * `GATE_TIMEOUT_MS`, so a broken client can never hang the server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { type Format, type Rendered, render } from "./wire.js"

const GATE_TIMEOUT_MS = 60_000

/** A running server. */
export interface SseServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string
  /** Stops accepting connections and closes the open ones. */
  readonly close: () => Promise<void>
}

interface Parts {
  readonly whole: Buffer
  readonly firstHalf: Buffer
  readonly secondHalf: Buffer
}

const split = (rendered: Rendered): Parts => {
  const half = Math.ceil(rendered.deltas.length / 2)
  const firstHalf = Buffer.concat([rendered.head, ...rendered.deltas.slice(0, half)])
  const secondHalf = Buffer.concat([...rendered.deltas.slice(half), rendered.tail])
  return { whole: Buffer.concat([firstHalf, secondHalf]), firstHalf, secondHalf }
}

const route = /^\/s\/(\d+)\/([\w-]+)\/v1\/(chat\/completions|responses)$/
const releaseRoute = /^\/release\/([\w-]+)$/

const headers = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-request-id": "req_bench"
}

/** Starts the server on 127.0.0.1, on a port the system picks. */
export const startSseServer = async (): Promise<SseServer> => {
  const cache = new Map<string, Parts>()
  const gates = new Map<string, { held: Array<() => void>; timer: NodeJS.Timeout }>()

  const partsOf = (format: Format, deltas: number): Parts => {
    const key = `${format}:${deltas}`
    let parts = cache.get(key)
    if (parts === undefined) {
      parts = split(render(format, deltas))
      cache.set(key, parts)
    }
    return parts
  }

  const release = (gate: string): number => {
    const entry = gates.get(gate)
    if (entry === undefined) return 0
    gates.delete(gate)
    clearTimeout(entry.timer)
    for (const finish of entry.held) finish()
    return entry.held.length
  }

  const hold = (gate: string, finish: () => void): void => {
    let entry = gates.get(gate)
    if (entry === undefined) {
      const timer = setTimeout(() => {
        process.stderr.write(
          `sse server: gate ${gate} released after ${GATE_TIMEOUT_MS} ms without a release\n`
        )
        release(gate)
      }, GATE_TIMEOUT_MS)
      timer.unref()
      entry = { held: [], timer }
      gates.set(gate, entry)
    }
    entry.held.push(finish)
  }

  const respond = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? "").split("?")[0]
    const released = releaseRoute.exec(path)
    if (released !== null) {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ released: release(released[1]) }))
      return
    }
    const match = route.exec(path)
    if (req.method !== "POST" || match === null) {
      res.writeHead(404, { "content-type": "application/json" })
      res.end(
        JSON.stringify({
          error: { message: `no route ${req.method} ${path}`, type: "invalid_request_error" }
        })
      )
      return
    }
    const deltas = Number(match[1])
    const gate = match[2]
    const parts = partsOf(match[3] === "responses" ? "responses" : "chat", deltas)
    res.writeHead(200, headers)
    if (gate === "-") {
      res.end(parts.whole)
      return
    }
    res.write(parts.firstHalf)
    hold(gate, () => res.end(parts.secondHalf))
  }

  const server = createServer((req, res) => {
    // Read the whole request body first, as a real server does.
    req.on("data", () => {})
    req.on("end", () => respond(req, res))
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen({ host: "127.0.0.1", port: 0, backlog: 4096 }, resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const gate of [...gates.keys()]) release(gate)
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

/** The base URL (up to `/v1`) clients are given for a stream of `deltas` deltas behind `gate` (`-`: none). */
export const baseUrlOf = (origin: string, deltas: number, gate = "-"): string =>
  `${origin}/s/${deltas}/${gate}/v1`

/** Releases a gate of the server at `origin`; resolves to how many responses it released. */
export const releaseGate = async (origin: string, gate: string): Promise<number> => {
  const res = await fetch(`${origin}/release/${gate}`, { method: "POST" })
  const body = (await res.json()) as { readonly released: number }
  return body.released
}
