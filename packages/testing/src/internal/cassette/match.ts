/**
 * Request matching: requests compared by method, path and query, and JSON body with
 * keys sorted, and where two bodies first differ (for the message of a miss).
 *
 * @internal
 */
import type { RecordedRequest } from "../../Cassette.js"

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical)
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key]
      if (item !== undefined) out[key] = canonical(item)
    }
    return out
  }
  return value
}

const canonicalJson = (value: unknown): string => JSON.stringify(canonical(value)) ?? ""

/**
 * The default matching (re-exported by the `Cassette` module, where it is documented).
 *
 * @since 0.1.0
 */
export const defaultMatch = (recorded: RecordedRequest, request: RecordedRequest): boolean =>
  recorded.method.toUpperCase() === request.method.toUpperCase() &&
  recorded.path === request.path &&
  canonicalJson(recorded.body) === canonicalJson(request.body)

/** Where two JSON values first differ (`messages[0].content`), for the miss message. */
export const firstDifference = (a: unknown, b: unknown, at = ""): string | undefined => {
  if (canonicalJson(a) === canonicalJson(b)) return undefined
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let index = 0; index < Math.max(a.length, b.length); index++) {
      const found = firstDifference(a[index], b[index], `${at}[${index}]`)
      if (found !== undefined) return found
    }
    return at
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null && !Array.isArray(a)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        at === "" ? key : `${at}.${key}`
      )
      if (found !== undefined) return found
    }
  }
  return at === "" ? "(the whole body)" : at
}
