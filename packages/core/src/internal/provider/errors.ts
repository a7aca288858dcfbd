/**
 * Mapping provider failures to `ChatError`: HTTP statuses and error bodies (context
 * length, content filters, exhausted quotas recognised from the body), connection
 * failures, and the scrubbing that keeps API keys out of every message and cause.
 *
 * @internal
 */

import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as Duration from "effect/Duration"
import {
  AuthenticationError,
  BadRequestError,
  type ChatError,
  ContentFilterError,
  ContextLengthExceededError,
  InvalidInputError,
  MalformedResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  TimeoutError,
  TransportError
} from "../../ChatError.js"

/** What is known about a failed exchange or an error event. */
export interface ErrorInfo {
  readonly provider: string
  /** The HTTP status, absent for an error event inside a stream. */
  readonly status?: number | undefined
  /** The error body: parsed JSON, or the raw text when it did not parse. */
  readonly body?: unknown
  /** The wait the provider asked for (429 only). */
  readonly retryAfter?: Duration.Duration | undefined
}

// ---------------------------------------------------------------------------
// secrets
// ---------------------------------------------------------------------------

const redactedText = "<redacted>"

/** Secrets shorter than this are not scrubbed: they would garble ordinary words. */
const minimumSecretLength = 8

/** Replaces every occurrence of a secret in `text`. */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string => {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= minimumSecretLength && out.includes(secret))
      out = out.split(secret).join(redactedText)
  }
  return out
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * A copy of an error chain that carries only names, codes, scrubbed messages and stacks:
 * never the request (with its headers) or the response a platform error holds.
 */
export const sanitizeCause = (
  cause: unknown,
  secrets: ReadonlyArray<string>,
  depth = 0
): Error | undefined => {
  if (!(cause instanceof Error) || depth > 4) return undefined
  const copy: Mutable<Error> & { code?: string } = new Error(scrub(cause.message, secrets))
  copy.name = cause.name
  const code = (cause as { readonly code?: unknown }).code
  if (typeof code === "string") copy.code = code
  if (cause.stack !== undefined) copy.stack = scrub(cause.stack, secrets)
  const inner = sanitizeCause((cause as { readonly cause?: unknown }).cause, secrets, depth + 1)
  if (inner !== undefined) copy.cause = inner
  return copy
}

/** The messages of an error chain, joined: `fetch failed: connect ECONNREFUSED 127.0.0.1:80`. */
const describe = (cause: unknown): string => {
  const parts: Array<string> = []
  let current = cause
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.message !== "" && !parts.includes(current.message)) parts.push(current.message)
    current = (current as { readonly cause?: unknown }).cause
  }
  return parts.join(": ")
}

const timeoutCodes: ReadonlySet<string> = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT"
])

const isTimeout = (cause: unknown): boolean => {
  let current = cause
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (current.name === "TimeoutError" || (typeof code === "string" && timeoutCodes.has(code))) return true
    current = (current as { readonly cause?: unknown }).cause
  }
  return false
}

// ---------------------------------------------------------------------------
// error bodies
// ---------------------------------------------------------------------------

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Error bodies of streaming endpoints sometimes come as a one-element array (Gemini). */
const unwrap = (body: unknown): unknown => (Array.isArray(body) && body.length === 1 ? body[0] : body)

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined

const maxSnippet = 500

const snippet = (text: string): string | undefined => {
  const trimmed = text.trim()
  if (trimmed === "") return undefined
  return trimmed.length > maxSnippet ? `${trimmed.slice(0, maxSnippet)}…` : trimmed
}

/**
 * The provider's own error message: `{ error: { message } }`, `{ error: "..." }`,
 * `{ message }` or `{ detail }`; a body that is not JSON gives its first characters.
 */
export const errorMessage = (body: unknown): string | undefined => {
  const value = unwrap(body)
  if (typeof value === "string") return snippet(value)
  if (!isRecord(value)) return undefined
  const error = value.error
  if (isRecord(error)) {
    const message = nonEmpty(error.message)
    if (message !== undefined) return message
  }
  return nonEmpty(error) ?? nonEmpty(value.message) ?? nonEmpty(value.detail)
}

const pushCode = (codes: Array<string>, value: unknown): void => {
  if (typeof value === "string" && value !== "") codes.push(value)
  else if (typeof value === "number") codes.push(String(value))
}

/** The codes and types of an error body (`code`, `type`, Google's `status`, Azure's `innererror.code`). */
export const errorCodes = (body: unknown): ReadonlyArray<string> => {
  const value = unwrap(body)
  const codes: Array<string> = []
  if (!isRecord(value)) return codes
  const error = value.error
  if (isRecord(error)) {
    pushCode(codes, error.code)
    pushCode(codes, error.type)
    if (typeof error.status === "string") pushCode(codes, error.status)
    if (isRecord(error.innererror)) pushCode(codes, error.innererror.code)
  }
  pushCode(codes, value.code)
  if (value.type !== "error") pushCode(codes, value.type)
  if (typeof value.status === "string") pushCode(codes, value.status)
  return codes
}

const contextLengthCodes: ReadonlySet<string> = new Set(["context_length_exceeded"])
const contextLengthMessage =
  /maximum context length|context[ _-]length|prompt is too long|context window|context size|exceeds? the (?:maximum|max) (?:number of )?(?:input )?tokens/i

const contentFilterCodes: ReadonlySet<string> = new Set([
  "content_filter",
  "content_policy_violation",
  "ResponsibleAIPolicyViolation"
])
const contentFilterMessage = /content[ _-]filter|content (?:management )?policy|safety system/i

const quotaCodes: ReadonlySet<string> = new Set(["insufficient_quota"])

const hasCode = (codes: ReadonlyArray<string>, set: ReadonlySet<string>): boolean =>
  codes.some((code) => set.has(code))

type Kind =
  | "rateLimit"
  | "authentication"
  | "permission"
  | "notFound"
  | "badRequest"
  | "timeout"
  | "server"
  | "malformed"

/** Error types of bodies and stream events, for when there is no HTTP status. */
const kindByCode: Readonly<Record<string, Kind>> = {
  rate_limit_error: "rateLimit",
  rate_limit_exceeded: "rateLimit",
  RESOURCE_EXHAUSTED: "rateLimit",
  authentication_error: "authentication",
  invalid_api_key: "authentication",
  UNAUTHENTICATED: "authentication",
  permission_error: "permission",
  PERMISSION_DENIED: "permission",
  not_found_error: "notFound",
  model_not_found: "notFound",
  NOT_FOUND: "notFound",
  invalid_request_error: "badRequest",
  INVALID_ARGUMENT: "badRequest",
  FAILED_PRECONDITION: "badRequest",
  timeout_error: "timeout",
  DEADLINE_EXCEEDED: "timeout",
  overloaded_error: "server",
  api_error: "server",
  server_error: "server",
  INTERNAL: "server",
  UNAVAILABLE: "server"
}

const kindOfStatus = (status: number): Kind => {
  switch (status) {
    case 401:
      return "authentication"
    case 403:
      return "permission"
    case 404:
      return "notFound"
    case 408:
      return "timeout"
    case 429:
      return "rateLimit"
  }
  if (status >= 500) return "server"
  if (status >= 400) return "badRequest"
  return "malformed"
}

const kindOfCodes = (codes: ReadonlyArray<string>): Kind => {
  for (const code of codes) {
    const kind = kindByCode[code]
    if (kind !== undefined) return kind
  }
  return "server"
}

/** Statuses whose bodies are not searched for context-length or content-filter wording. */
const plainStatuses: ReadonlySet<number> = new Set([401, 403, 404, 408, 429])

/** The `ChatError` for an error response or an error event. */
export const fromErrorBody = (info: ErrorInfo, secrets: ReadonlyArray<string> = []): ChatError => {
  const { provider, status } = info
  const codes = errorCodes(info.body)
  const own = errorMessage(info.body)
  const message = scrub(
    own ??
      (status === undefined
        ? `${provider} reported an error`
        : `${provider} answered with HTTP status ${status}`),
    secrets
  )
  const fields = status === undefined ? { message, provider } : { message, provider, status }
  if (status === undefined || !plainStatuses.has(status)) {
    const text = own ?? ""
    if (hasCode(codes, contextLengthCodes) || contextLengthMessage.test(text)) {
      return new ContextLengthExceededError(fields)
    }
    if (hasCode(codes, contentFilterCodes) || contentFilterMessage.test(text)) {
      return new ContentFilterError(fields)
    }
  }
  if (hasCode(codes, quotaCodes)) return new RateLimitError({ ...fields, retryable: false })
  switch (status === undefined ? kindOfCodes(codes) : kindOfStatus(status)) {
    case "rateLimit":
      return info.retryAfter === undefined
        ? new RateLimitError(fields)
        : new RateLimitError({ ...fields, retryAfter: info.retryAfter })
    case "authentication":
      return new AuthenticationError(fields)
    case "permission":
      return new PermissionDeniedError(fields)
    case "notFound":
      return new NotFoundError(fields)
    case "badRequest":
      return new BadRequestError(fields)
    case "timeout":
      return new TimeoutError(fields)
    case "server":
      return new ServerError(fields)
    case "malformed":
      return new MalformedResponseError({
        ...fields,
        message: `${provider} answered with unexpected status ${status}`
      })
  }
}

// ---------------------------------------------------------------------------
// connection failures
// ---------------------------------------------------------------------------

/** `https://host/path` of a request URL, without its query (which may carry a key). */
const location = (url: string): string => {
  const query = url.search(/[?#]/)
  return query === -1 ? url : url.slice(0, query)
}

const withCause = <A extends object>(fields: A, cause: Error | undefined): A | (A & { cause: Error }) =>
  cause === undefined ? fields : { ...fields, cause }

/** The `ChatError` for a failure of the HTTP client (never carrying the request or response). */
export const fromHttpClientError = (
  error: HttpClientError.HttpClientError,
  provider: string,
  secrets: ReadonlyArray<string>
): ChatError => {
  const cause = sanitizeCause(error.cause, secrets)
  const detail = scrub(describe(error.cause), secrets)
  const where = scrub(`${error.request.method} ${location(error.request.url)}`, secrets)
  const suffix = detail === "" ? "" : `: ${detail}`
  if (error._tag === "RequestError") {
    switch (error.reason) {
      case "Transport":
        // fetch rejects a request it cannot even build (an invalid header value, such as a
        // key with a newline) with a TypeError of its own; network failures are "fetch failed"
        if (error.cause instanceof TypeError && error.cause.message !== "fetch failed") {
          return new InvalidInputError(
            withCause({ message: `invalid request to ${provider} (${where})${suffix}`, provider }, cause)
          )
        }
        return isTimeout(error.cause)
          ? new TimeoutError(
              withCause({ message: `${provider} timed out (${where})${suffix}`, provider }, cause)
            )
          : new TransportError(
              withCause({ message: `could not reach ${provider} (${where})${suffix}`, provider }, cause)
            )
      case "InvalidUrl":
      case "Encode":
        return new InvalidInputError(
          withCause({ message: `invalid request to ${provider} (${where})${suffix}`, provider }, cause)
        )
    }
  }
  const status = error.response.status
  switch (error.reason) {
    case "EmptyBody":
      return new MalformedResponseError({
        message: `${provider} answered with an empty body`,
        provider,
        status
      })
    case "StatusCode":
      return fromErrorBody({ provider, status }, secrets)
    case "Decode":
      return isTimeout(error.cause)
        ? new TimeoutError(
            withCause({ message: `${provider} stopped sending (${where})${suffix}`, provider, status }, cause)
          )
        : new TransportError(
            withCause(
              {
                message: `the connection to ${provider} failed while reading (${where})${suffix}`,
                provider,
                status
              },
              cause
            )
          )
  }
}
