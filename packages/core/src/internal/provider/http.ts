/**
 * The provider client: base URL and path joining, auth headers from a `Redacted` key,
 * extra headers, the `HttpClient` captured from context, and the exchanges every
 * provider makes (a JSON POST, an SSE stream, an NDJSON stream), with every failure
 * mapped to `ChatError` and the key kept out of errors and span attributes.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { type ChatError, InvalidInputError, MalformedResponseError, TimeoutError } from "../../ChatError.js"
import type { Client, ClientOptions, Request, StreamRequest } from "../../Provider.js"
import * as streams from "../streams.js"
import { errorMessage, fromErrorBody, fromHttpClientError } from "./errors.js"
import { parseJson } from "./json.js"
import * as ndjson from "./ndjson.js"
import { parseRetryAfter } from "./retryAfter.js"
import * as sse from "./sse.js"

export const TypeId: unique symbol = Symbol.for("@effect-chat/core/Provider/Client")

const SecretsId: unique symbol = Symbol.for("@effect-chat/core/Provider/Client/secrets")

interface ClientImpl extends Client {
  readonly [SecretsId]: ReadonlyArray<string>
}

const secretsOf = (client: Client): ReadonlyArray<string> => (client as ClientImpl)[SecretsId] ?? []

const ClientProto = {
  ...Inspectable.BaseProto,
  pipe() {
    // biome-ignore lint/complexity/noArguments: pipeArguments reads the arguments object
    return pipeArguments(this, arguments)
  },
  toJSON(this: Client) {
    return {
      _id: "@effect-chat/core/Provider/Client",
      provider: this.provider,
      baseUrl: this.baseUrl,
      auth: this.auth,
      apiKey: this.apiKey === undefined ? undefined : "<redacted>",
      headers: this.headers
    }
  }
}

/** Lower-cased header names with the `undefined` values left out. */
export const headerRecord = (
  input: Readonly<Record<string, string | undefined>> | undefined
): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {}
  if (input !== undefined) {
    for (const name in input) {
      const value = input[name]
      if (value !== undefined) out[name.toLowerCase()] = value
    }
  }
  return out
}

/** `base` and `path` joined with exactly one slash; an absolute `path` replaces `base`. */
export const joinUrl = (base: string, path: string): string => {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path
  if (path === "") return base
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`
}

const defaultAuth = { header: "authorization", scheme: "Bearer" }

/** What a client holds besides its marker and `pipe`. */
type Fields = Omit<Client, typeof TypeId | "pipe">

const build = (fields: Fields): Client => {
  const client = Object.create(ClientProto) as { -readonly [K in keyof ClientImpl]: ClientImpl[K] }
  client[TypeId] = TypeId
  Object.assign(client, fields)
  const key = fields.apiKey === undefined ? undefined : Redacted.value(fields.apiKey)
  Object.defineProperty(client, SecretsId, { value: key === undefined ? [] : [key], enumerable: false })
  return client
}

export const make = (httpClient: HttpClient.HttpClient, options: ClientOptions): Client =>
  build({
    provider: options.provider,
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    auth:
      options.auth === undefined
        ? defaultAuth
        : { header: options.auth.header.toLowerCase(), scheme: options.auth.scheme },
    headers: headerRecord(options.headers),
    timeout: options.timeout === undefined ? undefined : Duration.decode(options.timeout),
    httpClient
  })

export const withHeaders = (client: Client, headers: Readonly<Record<string, string | undefined>>): Client =>
  build({ ...client, headers: { ...client.headers, ...headerRecord(headers) } })

// ---------------------------------------------------------------------------
// requests
// ---------------------------------------------------------------------------

const urlParamsOf = (input: Request["urlParams"]): ReadonlyArray<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  if (input !== undefined) {
    for (const name in input) {
      const value = input[name]
      if (value !== undefined) out.push([name, value])
    }
  }
  return out
}

const toHttpRequest = (
  client: Client,
  request: Request,
  accept: string
): Either.Either<HttpClientRequest.HttpClientRequest, ChatError> =>
  Either.flatMap(
    Either.try({
      try: () => JSON.stringify(request.body) as string | undefined,
      catch: (cause) =>
        new InvalidInputError({
          message: `the request body for ${client.provider} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
          provider: client.provider
        })
    }),
    (text) => {
      if (text === undefined) {
        return Either.left(
          new InvalidInputError({
            message: `the request body for ${client.provider} is not JSON`,
            provider: client.provider
          })
        )
      }
      const headers: Record<string, string> = { accept, ...client.headers, ...headerRecord(request.headers) }
      if (client.apiKey !== undefined) {
        const key = Redacted.value(client.apiKey)
        headers[client.auth.header] = client.auth.scheme === undefined ? key : `${client.auth.scheme} ${key}`
      }
      return Either.right(
        HttpClientRequest.post(joinUrl(client.baseUrl, request.path), {
          headers,
          urlParams: urlParamsOf(request.urlParams),
          body: HttpBody.text(text, "application/json")
        })
      )
    }
  )

/** Keeps the auth header out of the platform's span attributes, whatever its name. */
const redactingAuth = <A, E, R>(client: Client, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  client.apiKey === undefined
    ? effect
    : Effect.withFiberRuntime((fiber) => {
        // usually already redacted (`authorization` is by default): no `locally` needed then
        const names = fiber.getFiberRef(Headers.currentRedactedNames)
        return names.includes(client.auth.header)
          ? effect
          : Effect.locally(effect, Headers.currentRedactedNames, [...names, client.auth.header])
      })

const withTimeout = <A, R>(
  client: Client,
  effect: Effect.Effect<A, ChatError, R>,
  what: string
): Effect.Effect<A, ChatError, R> => {
  const timeout = client.timeout
  return timeout === undefined
    ? effect
    : Effect.timeoutFail(effect, {
        duration: timeout,
        onTimeout: () =>
          new TimeoutError({
            message: `${client.provider} ${what} within ${Duration.format(timeout)}`,
            provider: client.provider
          })
      })
}

const mapHttpError =
  (client: Client) =>
  (error: HttpClientError.HttpClientError): ChatError =>
    fromHttpClientError(error, client.provider, secretsOf(client))

const isSuccess = (status: number): boolean => status >= 200 && status < 300

/** Reads an error response's body and maps it (with `retry-after`) to a `ChatError`. */
const errorOf = (client: Client, response: HttpClientResponse.HttpClientResponse): Effect.Effect<ChatError> =>
  Effect.map(
    Effect.zip(
      Effect.orElseSucceed(response.text, () => ""),
      Clock.currentTimeMillis
    ),
    ([text, now]) =>
      fromErrorBody(
        {
          provider: client.provider,
          status: response.status,
          body: Either.getOrElse(parseJson(text, client.provider), () => text),
          retryAfter: Option.getOrUndefined(parseRetryAfter(response.headers, now))
        },
        secretsOf(client)
      )
  )

const checked = (
  client: Client,
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<HttpClientResponse.HttpClientResponse, ChatError> =>
  isSuccess(response.status)
    ? Effect.succeed(response)
    : Effect.flatMap(errorOf(client, response), Effect.fail)

/** Sends a request and checks its status (an error status is read and mapped). */
const send = <R>(
  httpClient: HttpClient.HttpClient.With<HttpClientError.HttpClientError, R>,
  client: Client,
  request: Request,
  accept: string
): Effect.Effect<HttpClientResponse.HttpClientResponse, ChatError, R> =>
  Effect.flatMap(toHttpRequest(client, request, accept), (httpRequest) =>
    Effect.flatMap(Effect.mapError(httpClient.execute(httpRequest), mapHttpError(client)), (response) =>
      checked(client, response)
    )
  )

export const postJson = (client: Client, request: Request): Effect.Effect<unknown, ChatError> =>
  redactingAuth(
    client,
    withTimeout(
      client,
      Effect.flatMap(send(client.httpClient, client, request, "application/json"), (response) =>
        Effect.flatMap(Effect.mapError(response.text, mapHttpError(client)), (text) =>
          text.trim() === ""
            ? Effect.fail(
                new MalformedResponseError({
                  message: `${client.provider} answered with an empty body`,
                  provider: client.provider,
                  status: response.status
                })
              )
            : parseJson(text, client.provider, secretsOf(client))
        )
      ),
      "did not answer"
    )
  )

/** An event stream answered with JSON: an error in the body, or not a stream at all. */
const notAStream = (
  client: Client,
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<never, ChatError> =>
  Effect.flatMap(Effect.mapError(response.text, mapHttpError(client)), (text) => {
    const body = Either.getOrElse(parseJson(text, client.provider), () => text)
    return Effect.fail(
      errorMessage(body) !== undefined && typeof body !== "string"
        ? fromErrorBody({ provider: client.provider, body }, secretsOf(client))
        : new MalformedResponseError({
            message: `${client.provider} answered with JSON where an event stream was expected`,
            provider: client.provider,
            status: response.status
          })
    )
  })

/** The body of a streaming request; interrupting or ending the stream aborts the request. */
const body = (
  client: Client,
  request: Request,
  accept: string,
  expectStream: boolean
): Stream.Stream<Uint8Array, ChatError> =>
  streams.unwrapScoped(
    redactingAuth(
      client,
      Effect.map(
        withTimeout(
          client,
          Effect.flatMap(
            send(HttpClient.withScope(client.httpClient), client, request, accept),
            (response) =>
              expectStream && (response.headers["content-type"] ?? "").includes("application/json")
                ? notAStream(client, response)
                : Effect.succeed(response)
          ),
          "sent no response headers"
        ),
        (response) => Stream.mapError(response.stream, mapHttpError(client))
      )
    )
  )

export const streamSse = (
  client: Client,
  request: StreamRequest<sse.SseEvent>
): Stream.Stream<sse.SseEvent, ChatError> =>
  sse.events(body(client, request, "text/event-stream", true), {
    provider: client.provider,
    isEnd: request.isEnd,
    maxEventSize: request.maxEventSize
  })

export const streamNdjson = (
  client: Client,
  request: StreamRequest<unknown>
): Stream.Stream<unknown, ChatError> =>
  ndjson.values(
    body(client, request, "application/x-ndjson", false),
    { provider: client.provider, isEnd: request.isEnd },
    secretsOf(client)
  )
