/**
 * JSON parsing of provider bytes into `unknown` (providers validate structurally), with
 * `MalformedResponseError` instead of a thrown `SyntaxError`.
 *
 * @internal
 */
import * as Either from "effect/Either"
import { MalformedResponseError } from "../../ChatError.js"
import { sanitizeCause, scrub } from "./errors.js"

const noSecrets: ReadonlyArray<string> = []

/** Parses `text` as JSON; a failure names the provider and never carries a secret. */
export const parseJson = (
  text: string,
  provider: string | undefined,
  secrets: ReadonlyArray<string> = noSecrets
): Either.Either<unknown, MalformedResponseError> =>
  Either.try({
    try: (): unknown => JSON.parse(text),
    catch: (cause) => {
      const detail = cause instanceof Error ? cause.message : String(cause)
      const message = scrub(`${provider ?? "the provider"} sent malformed JSON: ${detail}`, secrets)
      const sanitized = sanitizeCause(cause, secrets)
      const fields = provider === undefined ? { message } : { message, provider }
      return new MalformedResponseError(sanitized === undefined ? fields : { ...fields, cause: sanitized })
    }
  })
