/**
 * What a good model answers to the suite's structured-output and tool prompts, as JSON:
 * the reference the fake models of the tests (in process and on the wire) answer with.
 *
 * @internal
 */

/** A JSON object (a JSON Schema). */
export type Json = Readonly<Record<string, unknown>>

/** Whether a value is a JSON object. */
export const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The `properties` of an object schema. */
export const propertiesOf = (schema: Json): Json => (isRecord(schema.properties) ? schema.properties : {})

/** Whether the prompt turns a field down ("the setup to a joke, no punchline"). */
const declined = (prompt: string, field: string): boolean => new RegExp(`\\bno ${field}\\b`, "i").test(prompt)

/** What a model writes for the fields of the suite's schemas (the joke, its rating). */
export const phrases: Readonly<Record<string, string>> = {
  setup: "Why was the cat sitting on the computer?",
  punchline: "To keep an eye on the mouse.",
  rating: "7"
}

/**
 * A value matching a JSON Schema, as a model fills it for the prompt: text for strings,
 * 3 for numbers, and an optional (or nullable) field the prompt turns down left out (or
 * null).
 */
export const exampleOf = (schema: Json, prompt: string, field = "value", root: Json = schema): unknown => {
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").at(-1) ?? ""
    const definitions = isRecord(root.$defs) ? root.$defs : isRecord(root.definitions) ? root.definitions : {}
    const target = definitions[name]
    return exampleOf(isRecord(target) ? target : {}, prompt, field, root)
  }
  const options = Array.isArray(schema.anyOf) ? schema.anyOf.filter(isRecord) : []
  if (options.length > 0) {
    const nullable = options.some((option) => option.type === "null")
    if (nullable && declined(prompt, field)) return null
    return exampleOf(options.find((option) => option.type !== "null") ?? {}, prompt, field, root)
  }
  if (Array.isArray(schema.enum)) return schema.enum[0]
  if ("const" in schema) return schema.const
  const types: ReadonlyArray<unknown> = Array.isArray(schema.type) ? schema.type : [schema.type]
  if (types.includes("null") && declined(prompt, field)) return null
  switch (types.find((type) => type !== "null")) {
    case "object": {
      const required = new Set(Array.isArray(schema.required) ? schema.required : [])
      const value: Record<string, unknown> = {}
      for (const [key, property] of Object.entries(propertiesOf(schema))) {
        if (!required.has(key) && declined(prompt, key)) continue
        value[key] = exampleOf(isRecord(property) ? property : {}, prompt, key, root)
      }
      return value
    }
    case "array":
      return [exampleOf(isRecord(schema.items) ? schema.items : {}, prompt, field, root)]
    case "integer":
    case "number":
      return 3
    case "boolean":
      return true
    default:
      return phrases[field] ?? `The ${field}.`
  }
}
