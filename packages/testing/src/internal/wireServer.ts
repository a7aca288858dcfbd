/**
 * A scripted HTTP server on 127.0.0.1 (random port) for provider tests: it answers each
 * request with a scripted reply (status, headers, a body written in parts with optional
 * real-timer delays), records every request, injects faults (socket reset after N
 * parts, a response ended early, slow headers, a response that hangs), and reports when
 * the client closed a connection before the response was finished, so tests can prove
 * that interruption aborts the request.
 *
 * It is a scoped resource: the server and every open connection are closed with the
 * scope. Timing is real (it is a server), but tests should assert on ordering only.
 *
 * @example
 * ```ts
 * import * as WireServer from "@effect-chat/testing/internal/wireServer"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function* () {
 *   const server = yield* WireServer.make(WireServer.sseReply(WireServer.sse([{ a: 1 }, "[DONE]"]), { partSize: 3 }))
 *   // ... point a provider client at server.url ...
 * }).pipe(Effect.scoped)
 * ```
 *
 * @internal
 */
import * as fs from "node:fs"
import * as http from "node:http"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"

/** A piece of a response body, written with one `write`. */
export type Part = string | Uint8Array

/** One scripted response. */
export interface Reply {
  /** Default 200. */
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  /** The body, as one part or a list of parts written one after another. */
  readonly body?: Part | ReadonlyArray<Part>
  /** Milliseconds between parts (real timers). Default: the next event-loop turn. */
  readonly delay?: number
  /** Milliseconds before the status line and headers are written ("slow headers"). */
  readonly headersDelay?: number
  /** Destroys the socket after writing this many parts (a connection reset mid-stream). */
  readonly resetAfter?: number
  /** Ends the response normally after this many parts (a truncated body). */
  readonly endAfter?: number
  /** Writes this many parts, then neither writes nor ends until the client goes away. */
  readonly hangAfter?: number
}

/** A request as the server received it. */
export interface RecordedRequest {
  /** 0 for the first request the server received. */
  readonly index: number
  readonly method: string
  /** The path with its query string. */
  readonly path: string
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /** The body parsed as JSON; `undefined` when it is not JSON. */
  readonly body: unknown
}

/** How a response's connection closed. */
export interface Closed {
  readonly index: number
  /** Whether the whole response had been written when it closed. */
  readonly completed: boolean
  /** Whether the server itself destroyed the socket (`resetAfter`). */
  readonly byServer: boolean
}

/** The replies: one for every request, one per request in order, or chosen per request. */
export type Script = Reply | ReadonlyArray<Reply> | ((request: RecordedRequest) => Reply)

/** A running server. */
export interface WireServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** Every request received so far, in order. */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** How many responses the client closed before the server had finished them. */
  readonly closedConnections: () => number
  /** Waits for the request with this index to arrive. */
  readonly awaitRequest: (index: number) => Effect.Effect<RecordedRequest>
  /** Waits for the connection of the response to this request to close. */
  readonly awaitClose: (index: number) => Effect.Effect<Closed>
  /** Replaces the script for the requests still to come. */
  readonly setScript: (script: Script) => Effect.Effect<void>
}

const isReplyList = (script: Script): script is ReadonlyArray<Reply> => Array.isArray(script)

const noReply = (index: number): Reply =>
  json({ error: { message: `wireServer: no reply scripted for request ${index}` } }, { status: 500 })

const replyFor = (script: Script, request: RecordedRequest, offset: number): Reply => {
  if (typeof script === "function") return script(request)
  if (isReplyList(script)) return script[request.index - offset] ?? noReply(request.index)
  return script
}

const partsOf = (body: Reply["body"]): ReadonlyArray<Part> =>
  body === undefined ? [] : typeof body === "string" || body instanceof Uint8Array ? [body] : body

const headersOf = (request: http.IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return out
}

const parseBody = (text: string): unknown => {
  if (text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

interface Waiter<A> {
  readonly index: number
  readonly resume: (value: A) => void
}

/** Starts a server answering with `script`; it stops when the scope closes. */
export const make = (script: Script): Effect.Effect<WireServer, never, Scope.Scope> =>
  Effect.suspend(() => {
    let current = script
    let offset = 0
    let closedEarly = 0
    const requests: Array<RecordedRequest> = []
    const closes = new Map<number, Closed>()
    const requestWaiters: Array<Waiter<RecordedRequest>> = []
    const closeWaiters: Array<Waiter<Closed>> = []
    const cancels = new Set<() => void>()
    let stopped = false

    const schedule = (ms: number | undefined, f: () => void): void => {
      if (stopped) return
      if (ms !== undefined && ms > 0) {
        const timer = setTimeout(() => {
          cancels.delete(cancel)
          f()
        }, ms)
        const cancel = () => clearTimeout(timer)
        cancels.add(cancel)
      } else {
        const immediate = setImmediate(() => {
          cancels.delete(cancel)
          f()
        })
        const cancel = () => clearImmediate(immediate)
        cancels.add(cancel)
      }
    }

    const notify = <A extends { readonly index: number }>(waiters: Array<Waiter<A>>, value: A): void => {
      for (let i = waiters.length - 1; i >= 0; i--) {
        const waiter = waiters[i]!
        if (waiter.index === value.index) {
          waiters.splice(i, 1)
          waiter.resume(value)
        }
      }
    }

    const respond = (record: RecordedRequest, response: http.ServerResponse, reply: Reply): void => {
      const parts = partsOf(reply.body)
      let finished = false
      let byServer = false
      response.on("close", () => {
        finished = true
        const closed: Closed = { index: record.index, completed: response.writableFinished, byServer }
        if (!closed.completed && !byServer) closedEarly++
        closes.set(record.index, closed)
        notify(closeWaiters, closed)
      })
      const write = (index: number): void => {
        if (finished) return
        if (reply.resetAfter === index) {
          byServer = true
          response.socket?.destroy()
          return
        }
        if (reply.hangAfter === index) return
        if (reply.endAfter === index || index >= parts.length) {
          response.end()
          return
        }
        response.write(parts[index]!, () => schedule(reply.delay, () => write(index + 1)))
      }
      schedule(reply.headersDelay, () => {
        if (finished) return
        response.writeHead(reply.status ?? 200, reply.headers)
        response.flushHeaders()
        write(0)
      })
    }

    const server = http.createServer((request, response) => {
      const body: Array<Buffer> = []
      request.on("data", (data: Buffer) => body.push(data))
      request.on("end", () => {
        const text = Buffer.concat(body).toString("utf8")
        const record: RecordedRequest = {
          index: requests.length,
          method: request.method ?? "GET",
          path: request.url ?? "/",
          headers: headersOf(request),
          text,
          body: parseBody(text)
        }
        requests.push(record)
        notify(requestWaiters, record)
        respond(record, response, replyFor(current, record, offset))
      })
    })

    const listen = Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(
          typeof address === "object" && address !== null
            ? Effect.succeed(address.port)
            : Effect.dieMessage("wireServer: no port")
        )
      })
    })

    const close = Effect.async<void>((resume) => {
      stopped = true
      for (const cancel of cancels) cancel()
      cancels.clear()
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })

    return Effect.map(
      Effect.acquireRelease(listen, () => close),
      (port): WireServer => ({
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        closedConnections: () => closedEarly,
        awaitRequest: (index) =>
          Effect.async<RecordedRequest>((resume) => {
            const found = requests[index]
            if (found !== undefined) return resume(Effect.succeed(found))
            requestWaiters.push({ index, resume: (value) => resume(Effect.succeed(value)) })
          }),
        awaitClose: (index) =>
          Effect.async<Closed>((resume) => {
            const found = closes.get(index)
            if (found !== undefined) return resume(Effect.succeed(found))
            closeWaiters.push({ index, resume: (value) => resume(Effect.succeed(value)) })
          }),
        setScript: (script) =>
          Effect.sync(() => {
            current = script
            offset = requests.length
          })
      })
    )
  })

// ---------------------------------------------------------------------------
// bodies
// ---------------------------------------------------------------------------

/** One event for `sse`: a bare value is its `data` (strings as they are, anything else as JSON). */
export type SseInput =
  | string
  | { readonly event?: string; readonly id?: string; readonly data: unknown }
  | object

const isEventInput = (
  input: SseInput
): input is { readonly event?: string; readonly id?: string; readonly data: unknown } =>
  typeof input === "object" &&
  input !== null &&
  "data" in input &&
  Object.keys(input).every((key) => ["event", "id", "data"].includes(key))

const dataText = (data: unknown): string => (typeof data === "string" ? data : JSON.stringify(data))

/**
 * SSE wire text: each input becomes `event:`/`id:` lines when given, one `data:` line
 * per line of data, and a blank line. `{ data }` objects (with only `event`, `id`,
 * `data` keys) are events; other objects are JSON data.
 */
export const sse = (events: ReadonlyArray<SseInput>): string =>
  events
    .map((input) => {
      const event = isEventInput(input) ? input : { data: input }
      let out = ""
      if (event.id !== undefined) out += `id: ${event.id}\n`
      if (event.event !== undefined) out += `event: ${event.event}\n`
      for (const line of dataText(event.data).split("\n")) out += `data: ${line}\n`
      return `${out}\n`
    })
    .join("")

/** NDJSON wire text: one JSON value per line. */
export const ndjson = (values: ReadonlyArray<unknown>): string =>
  values.map((value) => `${JSON.stringify(value)}\n`).join("")

/** An SSE event whose data is not JSON. */
export const malformedEvent = "data: {not json\n\n"

/**
 * Splits a body into parts of `size` bytes, so line and event boundaries (and multi-byte
 * UTF-8 characters) fall across reads.
 */
export const splitBytes = (body: string | Uint8Array, size: number): ReadonlyArray<Uint8Array> => {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body
  const parts: Array<Uint8Array> = []
  const step = Math.max(1, Math.floor(size))
  for (let start = 0; start < bytes.length; start += step) parts.push(bytes.subarray(start, start + step))
  return parts
}

// ---------------------------------------------------------------------------
// replies
// ---------------------------------------------------------------------------

/** Options of the reply builders. */
export interface ReplyOptions extends Omit<Reply, "body"> {
  /** Split the body into parts of this many bytes. */
  readonly partSize?: number
}

const withBody = (body: string, contentType: string, options: ReplyOptions = {}): Reply => {
  const { partSize, headers, ...rest } = options
  return {
    ...rest,
    headers: { "content-type": contentType, ...headers },
    body: partSize === undefined ? body : splitBytes(body, partSize)
  }
}

/** A JSON response (status 200 unless given). */
export const json = (body: unknown, options?: ReplyOptions): Reply =>
  withBody(JSON.stringify(body), "application/json", options)

/** An event-stream response of SSE wire text (see `sse`). */
export const sseReply = (body: string, options?: ReplyOptions): Reply =>
  withBody(body, "text/event-stream", options)

/** An NDJSON response of wire text (see `ndjson`). */
export const ndjsonReply = (body: string, options?: ReplyOptions): Reply =>
  withBody(body, "application/x-ndjson", options)

/** A fixture file served as it is (an SSE recording, a JSON body), read when called. */
export const fixture = (
  path: string,
  options: ReplyOptions & { readonly contentType?: string } = {}
): Reply => {
  const { contentType, ...rest } = options
  const type =
    contentType ??
    (path.endsWith(".json")
      ? "application/json"
      : path.endsWith(".ndjson")
        ? "application/x-ndjson"
        : "text/event-stream")
  return withBody(fs.readFileSync(path, "utf8"), type, rest)
}

/** An OpenAI-style error response. */
export const errorReply = (
  status: number,
  error: { readonly message: string; readonly type?: string; readonly code?: string },
  options?: ReplyOptions
): Reply => json({ error }, { ...options, status })

/** A 429 with `retry-after` (seconds or an HTTP date) and/or `retry-after-ms`. */
export const rateLimited = (
  options: { readonly retryAfter?: string; readonly retryAfterMs?: string; readonly code?: string } = {}
): Reply => {
  const headers: Record<string, string> = {}
  if (options.retryAfter !== undefined) headers["retry-after"] = options.retryAfter
  if (options.retryAfterMs !== undefined) headers["retry-after-ms"] = options.retryAfterMs
  return errorReply(
    429,
    { message: "Rate limit reached", type: "requests", code: options.code ?? "rate_limit_exceeded" },
    { headers }
  )
}

/** A 500 (or another 5xx) with an error body. */
export const serverError = (status = 500, message = "The server had an error"): Reply =>
  errorReply(status, { message, type: "server_error" })
