/**
 * Structural readers for what arrives from the wire as `unknown` (responses, stream
 * events): every field is checked before use, with no Schema decode on the hot path.
 * Shared by the Chat Completions and Responses converters.
 *
 * @internal
 */

/** A JSON object as read from the wire. */
export type Json = Readonly<Record<string, unknown>>

/** Whether a value is a JSON object. */
export const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A string field, or `undefined`. */
export const str = (record: Json, key: string): string | undefined => {
  const value = record[key]
  return typeof value === "string" ? value : undefined
}

/** A finite number field, or `undefined`. */
export const num = (record: Json, key: string): number | undefined => {
  const value = record[key]
  return typeof value === "number" && Number.isFinite(value) ? value : undefined
}

/** An object field, or `undefined`. */
export const rec = (record: Json, key: string): Json | undefined => {
  const value = record[key]
  return isRecord(value) ? value : undefined
}

const noItems: ReadonlyArray<unknown> = []

/** An array field, or the empty array. */
export const arr = (record: Json, key: string): ReadonlyArray<unknown> => {
  const value = record[key]
  return Array.isArray(value) ? value : noItems
}
