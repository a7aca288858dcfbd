/**
 * Parsing the wait a provider asks for before a retry: `retry-after-ms` (milliseconds,
 * OpenAI), `retry-after` in seconds, or `retry-after` as an HTTP date (relative to the
 * given "now", so `TestClock` drives it).
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"

/** Response headers as a plain record (the platform's `Headers` is one). */
export type HeaderRecord = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/** Looks a header up by its lower-case name, falling back to a case-insensitive scan. */
export const header = (headers: HeaderRecord, name: string): string | undefined => {
  let value = headers[name]
  if (value === undefined) {
    for (const key in headers) {
      if (key.toLowerCase() === name) {
        value = headers[key]
        break
      }
    }
  }
  return typeof value === "string" ? value : value?.[0]
}

const numeric = /^\s*\d+(?:\.\d+)?\s*$/

/** Milliseconds from a non-negative decimal number of `unit` milliseconds, if it is one. */
const fromNumber = (value: string, unit: number): Option.Option<Duration.Duration> => {
  if (!numeric.test(value)) return Option.none()
  const millis = Number.parseFloat(value) * unit
  return Number.isFinite(millis) ? Option.some(Duration.millis(Math.ceil(millis))) : Option.none()
}

/**
 * The value of one `retry-after` header: seconds (`"3"`, `"1.5"`) or an HTTP date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`, waiting from `nowMillis`; a date in the past
 * is a zero wait).
 */
export const parseRetryAfterValue = (value: string, nowMillis: number): Option.Option<Duration.Duration> => {
  const seconds = fromNumber(value, 1000)
  if (Option.isSome(seconds)) return seconds
  if (!/[a-z]/i.test(value)) return Option.none()
  const date = Date.parse(value)
  return Number.isNaN(date) ? Option.none() : Option.some(Duration.millis(Math.max(0, date - nowMillis)))
}

/**
 * The wait named by a response's headers: `retry-after-ms` first, then `retry-after`
 * (seconds or an HTTP date).
 */
export const parseRetryAfter = (
  headers: HeaderRecord,
  nowMillis: number
): Option.Option<Duration.Duration> => {
  const millis = header(headers, "retry-after-ms")
  if (millis !== undefined) {
    const parsed = fromNumber(millis, 1)
    if (Option.isSome(parsed)) return parsed
  }
  const value = header(headers, "retry-after")
  return value === undefined ? Option.none() : parseRetryAfterValue(value, nowMillis)
}
