import { describe, expect, it } from "@effect/vitest"
import { Tool } from "@effect-chat/core"
import { compile } from "@effect-chat/core/internal/tool/validate"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"

type Json = Record<string, unknown>

const isJson = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Keywords OpenAI's strict mode rejects, or that the default rewrite drops. */
const forbidden = [
  "allOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "prefixItems",
  "additionalItems",
  "patternProperties",
  "propertyNames",
  "const",
  "title",
  "default",
  "examples",
  "$comment",
  "$id",
  "$schema",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "uniqueItems"
]

/** Checks the strict-mode rules on every node of a rewritten schema; returns the problems. */
const strictProblems = (root: Json, allowed: ReadonlyArray<string> = []): Array<string> => {
  const problems: Array<string> = []
  if (root.type !== "object") problems.push("root: not an object")
  if (root.$ref !== undefined) problems.push("root: top-level $ref")
  if (root.anyOf !== undefined) problems.push("root: anyOf")
  const visit = (node: unknown, path: string): void => {
    if (!isJson(node)) {
      problems.push(`${path}: not a schema object`)
      return
    }
    for (const key of forbidden) if (key in node && !allowed.includes(key)) problems.push(`${path}: ${key}`)
    if (node.$ref !== undefined && Object.keys(node).length > 1) problems.push(`${path}: $ref with siblings`)
    const types = Array.isArray(node.type) ? node.type : [node.type]
    if (types.includes("object")) {
      if (!isJson(node.properties)) problems.push(`${path}: object without properties`)
      else {
        if (JSON.stringify(node.required) !== JSON.stringify(Object.keys(node.properties)))
          problems.push(`${path}: not every property is required`)
        for (const [key, sub] of Object.entries(node.properties)) visit(sub, `${path}/properties/${key}`)
      }
      if (node.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`)
    }
    if (types.includes("array")) {
      if (!isJson(node.items)) problems.push(`${path}: array without one items schema`)
      else visit(node.items, `${path}/items`)
    }
    if (Array.isArray(node.anyOf))
      for (const [i, sub] of node.anyOf.entries()) visit(sub, `${path}/anyOf/${i}`)
    if (isJson(node.$defs))
      for (const [key, sub] of Object.entries(node.$defs)) visit(sub, `${path}/$defs/${key}`)
  }
  visit(root, "")
  return problems
}

/** Encodes a value to the wire, through JSON text, checks it against the strict schema, decodes it back. */
const roundTrip = <A>(codec: Tool.StrictCodec<A>, value: A): A => {
  const wire: unknown = JSON.parse(JSON.stringify(Either.getOrThrow(codec.encode(value))))
  expect(compile(codec.jsonSchema)(wire)).toEqual([])
  return Either.getOrThrow(codec.decode(wire))
}

class Address extends Schema.Class<Address>("Address")(
  {
    street: Schema.String.annotations({ description: "Street and number" }),
    zip: Schema.optional(Schema.String)
  },
  { description: "A postal address" }
) {}

class Person extends Schema.Class<Person>("Person")({
  name: Schema.String,
  address: Address,
  previous: Schema.optional(Schema.Array(Address)),
  nickname: Schema.optional(Schema.String).annotations({ description: "What friends call them" })
}) {}

describe("Tool.openAiStrict: nested classes and optional fields", () => {
  const codec = Tool.openAiStrict(Person)

  it("follows the strict-mode rules at every level, with no top-level $ref", () => {
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect(codec.jsonSchema.$ref).toBeUndefined()
    expect(codec.jsonSchema.$defs).toBeUndefined()
  })

  it("makes optional fields required and nullable, keeping descriptions", () => {
    const properties = codec.jsonSchema.properties as Json
    expect(properties.nickname).toEqual({ type: ["string", "null"], description: "What friends call them" })
    expect(properties.previous).toEqual({
      anyOf: [{ type: "array", items: properties.address as Json }, { type: "null" }]
    })
    expect(properties.address).toMatchObject({
      description: "A postal address",
      required: ["street", "zip"],
      properties: {
        street: { type: "string", description: "Street and number" },
        zip: { type: ["string", "null"] }
      }
    })
  })

  it("decodes the model's nulls as absent fields, into the classes", () => {
    const decoded = codec.decode({
      name: "Ada",
      address: { street: "1 Main St", zip: null },
      previous: null,
      nickname: null
    })
    expect(Either.isRight(decoded)).toBe(true)
    const person = Either.getOrThrow(decoded)
    expect(person).toBeInstanceOf(Person)
    expect(person.address).toBeInstanceOf(Address)
    expect("zip" in person.address).toBe(false)
    expect("nickname" in person).toBe(false)
    expect(person).toEqual(new Person({ name: "Ada", address: new Address({ street: "1 Main St" }) }))
  })

  it("encodes absent fields as null and round-trips", () => {
    const person = new Person({
      name: "Ada",
      address: new Address({ street: "1 Main St", zip: "12345" }),
      previous: [new Address({ street: "2 Side St" })]
    })
    expect(Either.getOrThrow(codec.encode(person))).toEqual({
      name: "Ada",
      address: { street: "1 Main St", zip: "12345" },
      previous: [{ street: "2 Side St", zip: null }],
      nickname: null
    })
    expect(roundTrip(codec, person)).toEqual(person)
  })

  it("keeps null for optional fields that accept null themselves", () => {
    const Patch = Schema.Struct({ note: Schema.optional(Schema.NullOr(Schema.String)) })
    const patch = Tool.openAiStrict(Patch)
    expect((patch.jsonSchema.properties as Json).note).toEqual({
      anyOf: [{ type: "string" }, { type: "null" }]
    })
    expect(patch.decode({ note: null })).toEqual(Either.right({ note: null }))
  })

  it("reports a missing required field", () => {
    const decoded = codec.decode({ address: { street: "x", zip: null }, previous: null, nickname: null })
    expect(Either.isLeft(decoded)).toBe(true)
    expect(Either.getLeft(decoded).pipe((o) => (o._tag === "Some" ? o.value : ""))).toContain("/name")
  })
})

describe("Tool.openAiStrict: unions", () => {
  const Shape = Schema.Union(
    Schema.TaggedStruct("Circle", { radius: Schema.Number, label: Schema.optional(Schema.String) }),
    Schema.TaggedStruct("Polygon", { points: Schema.Array(Schema.Tuple(Schema.Number, Schema.Number)) }),
    Schema.TaggedStruct("Tagged", { tags: Schema.Record({ key: Schema.String, value: Schema.String }) })
  )
  const codec = Tool.openAiStrict(
    Schema.Struct({ shape: Shape, alt: Schema.Union(Schema.String, Schema.Number) })
  )

  it("becomes anyOf, each member strict", () => {
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    const shape = (codec.jsonSchema.properties as Json).shape as Json
    expect(Array.isArray(shape.anyOf) && shape.anyOf.length).toBe(3)
    expect((codec.jsonSchema.properties as Json).alt).toEqual({
      anyOf: [{ type: "string" }, { type: "number" }]
    })
  })

  it("undoes the rewrite of the member the value matches", () => {
    expect(codec.decode({ shape: { _tag: "Circle", radius: 2, label: null }, alt: 1 })).toEqual(
      Either.right({ shape: { _tag: "Circle", radius: 2 }, alt: 1 })
    )
    expect(codec.decode({ shape: { _tag: "Tagged", tags: [{ key: "k", value: "v" }] }, alt: "x" })).toEqual(
      Either.right({ shape: { _tag: "Tagged", tags: { k: "v" } }, alt: "x" })
    )
    const polygon = { _tag: "Polygon" as const, points: [[0, 0] as const, [1, 1] as const] }
    expect(roundTrip(codec, { shape: polygon, alt: "y" })).toEqual({ shape: polygon, alt: "y" })
  })

  it("wraps a union at the root as { value } (the root may not be anyOf)", () => {
    const root = Tool.openAiStrict(Shape)
    expect(strictProblems(root.jsonSchema)).toEqual([])
    expect(root.jsonSchema.required).toEqual(["value"])
    expect(root.decode({ value: { _tag: "Circle", radius: 1, label: "c" } })).toEqual(
      Either.right({ _tag: "Circle", radius: 1, label: "c" })
    )
  })
})

describe("Tool.openAiStrict: tuples", () => {
  it("rewrites a mixed tuple as an object with positional keys (prefixItems is rejected)", () => {
    const codec = Tool.openAiStrict(Schema.Struct({ pair: Schema.Tuple(Schema.String, Schema.Number) }))
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect((codec.jsonSchema.properties as Json).pair).toEqual({
      type: "object",
      properties: { "0": { type: "string" }, "1": { type: "number" } },
      required: ["0", "1"],
      additionalProperties: false
    })
    expect(codec.decode({ pair: { "0": "a", "1": 1 } })).toEqual(Either.right({ pair: ["a", 1] }))
    expect(roundTrip(codec, { pair: ["b", 2] as const })).toEqual({ pair: ["b", 2] })
  })

  it("makes optional elements nullable and carries a rest element under rest", () => {
    const codec = Tool.openAiStrict(
      Schema.Struct({
        optional: Schema.Tuple(Schema.String, Schema.optionalElement(Schema.Number)),
        rest: Schema.Tuple([Schema.String], Schema.Boolean)
      })
    )
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect(
      codec.decode({ optional: { "0": "a", "1": null }, rest: { "0": "b", rest: [true, false] } })
    ).toEqual(Either.right({ optional: ["a"], rest: ["b", true, false] }))
    expect(roundTrip(codec, { optional: ["a", 3] as const, rest: ["b"] as const })).toEqual({
      optional: ["a", 3],
      rest: ["b"]
    })
  })

  it("sends a tuple of one element schema as an array and checks its length on decode", () => {
    const codec = Tool.openAiStrict(Schema.Struct({ point: Schema.Tuple(Schema.Number, Schema.Number) }))
    const point = (codec.jsonSchema.properties as Json).point as Json
    expect(point.type).toBe("array")
    expect(point.items).toEqual({ type: "number" })
    expect(point.description).toContain("minItems: 2")
    expect(codec.decode({ point: [1, 2] })).toEqual(Either.right({ point: [1, 2] }))
    expect(Either.isLeft(codec.decode({ point: [1] }))).toBe(true)
  })
})

describe("Tool.openAiStrict: records", () => {
  it("rewrites a record as an array of { key, value } entries", () => {
    const codec = Tool.openAiStrict(
      Schema.Struct({ scores: Schema.Record({ key: Schema.String, value: Schema.Int }) })
    )
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect((codec.jsonSchema.properties as Json).scores).toEqual({
      type: "array",
      items: {
        type: "object",
        properties: { key: { type: "string" }, value: { type: "integer", description: "an integer" } },
        required: ["key", "value"],
        additionalProperties: false
      }
    })
    expect(
      codec.decode({
        scores: [
          { key: "ada", value: 3 },
          { key: "bob", value: 4 }
        ]
      })
    ).toEqual(Either.right({ scores: { ada: 3, bob: 4 } }))
    expect(Either.getOrThrow(codec.encode({ scores: { x: 1 } }))).toEqual({
      scores: [{ key: "x", value: 1 }]
    })
    expect(Either.isLeft(codec.decode({ scores: [{ key: "ada", value: 1.5 }] }))).toBe(true)
  })

  it("decodes keys as the original Schema does (keys outside the template are dropped)", () => {
    const codec = Tool.openAiStrict(
      Schema.Struct({
        env: Schema.Record({ key: Schema.TemplateLiteral("APP_", Schema.String), value: Schema.String })
      })
    )
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect(codec.decode({ env: [{ key: "APP_MODE", value: "dev" }] })).toEqual(
      Either.right({ env: { APP_MODE: "dev" } })
    )
    expect(
      codec.decode({
        env: [
          { key: "HOME", value: "/root" },
          { key: "APP_X", value: "1" }
        ]
      })
    ).toEqual(Either.right({ env: { APP_X: "1" } }))
  })

  it("keeps named properties beside a record part, the rest as additionalEntries", () => {
    const codec = Tool.openAiStrict(
      Schema.Struct(
        { id: Schema.String },
        Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) })
      )
    )
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect(codec.jsonSchema.required).toEqual(["id", "additionalEntries"])
    expect(codec.decode({ id: "a", additionalEntries: [{ key: "n", value: 1 }] })).toEqual(
      Either.right({ id: "a", n: 1 })
    )
  })
})

describe("Tool.openAiStrict: refinements", () => {
  const Params = Schema.Struct({
    code: Schema.String.pipe(Schema.minLength(3), Schema.maxLength(5)),
    slug: Schema.String.pipe(Schema.pattern(/^[a-z]+$/)),
    count: Schema.Int.pipe(Schema.between(1, 10)),
    tags: Schema.Array(Schema.String).pipe(Schema.maxItems(2))
  })

  it("drops constraints from the JSON Schema, noting them in descriptions", () => {
    const codec = Tool.openAiStrict(Params)
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    const properties = codec.jsonSchema.properties as Json
    expect(properties.code).toEqual({
      type: "string",
      description: "a string at most 5 character(s) long (minLength: 3, maxLength: 5)"
    })
    expect((properties.count as Json).description).toContain("minimum: 1, maximum: 10")
  })

  it("still enforces them when decoding", () => {
    const codec = Tool.openAiStrict(Params)
    const valid = { code: "abcd", slug: "abc", count: 3, tags: ["a"] }
    expect(codec.decode(valid)).toEqual(Either.right(valid))
    const short = codec.decode({ ...valid, code: "ab" })
    expect(Either.isLeft(short) && short.left).toContain("/code")
    expect(Either.isLeft(codec.decode({ ...valid, slug: "ABC" }))).toBe(true)
    expect(Either.isLeft(codec.decode({ ...valid, count: 11 }))).toBe(true)
    expect(Either.isLeft(codec.decode({ ...valid, tags: ["a", "b", "c"] }))).toBe(true)
  })

  it("keeps the documented constraints with keepConstraints, never minLength/maxLength", () => {
    const codec = Tool.openAiStrict(Params, { keepConstraints: true })
    expect(strictProblems(codec.jsonSchema, ["pattern", "minimum", "maximum", "maxItems"])).toEqual([])
    const properties = codec.jsonSchema.properties as Json
    expect(properties.slug).toMatchObject({ pattern: "^[a-z]+$" })
    expect(properties.count).toMatchObject({ minimum: 1, maximum: 10 })
    expect(properties.tags).toMatchObject({ maxItems: 2 })
    expect(properties.code).not.toHaveProperty("minLength")
  })

  it("drops patterns with lookaround even with keepConstraints", () => {
    const codec = Tool.openAiStrict(Schema.Struct({ a: Schema.String.pipe(Schema.pattern(/^(?!x).*/)) }), {
      keepConstraints: true
    })
    expect((codec.jsonSchema.properties as Json).a).not.toHaveProperty("pattern")
    expect(Either.isLeft(codec.decode({ a: "xyz" }))).toBe(true)
  })
})

interface Category {
  readonly name: string
  readonly children?: ReadonlyArray<Category> | undefined
}
const Category = Schema.Struct({
  name: Schema.String,
  children: Schema.optional(Schema.Array(Schema.suspend((): Schema.Schema<Category> => Category)))
}).annotations({ identifier: "Category", description: "A category and its subcategories" })

class LinkedList extends Schema.Class<LinkedList>("LinkedList")({
  value: Schema.Number,
  next: Schema.optional(Schema.suspend((): Schema.Schema<LinkedList, LinkedListEncoded> => LinkedList))
}) {}
interface LinkedListEncoded {
  readonly value: number
  readonly next?: LinkedListEncoded | undefined
}

describe("Tool.openAiStrict: recursive schemas", () => {
  it("uses $defs and $ref, never a top-level $ref", () => {
    const codec = Tool.openAiStrict(Category)
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect(codec.jsonSchema.$ref).toBeUndefined()
    expect(codec.jsonSchema.type).toBe("object")
    expect(Object.keys(codec.jsonSchema.$defs as Json)).toEqual(["Category"])
    expect(JSON.stringify(codec.jsonSchema)).toContain('"$ref":"#/$defs/Category"')
  })

  it("undoes the rewrite at every depth", () => {
    const codec = Tool.openAiStrict(Category)
    const wire = {
      name: "root",
      children: [
        { name: "a", children: [{ name: "a1", children: null }] },
        { name: "b", children: null }
      ]
    }
    expect(codec.decode(wire)).toEqual(
      Either.right({ name: "root", children: [{ name: "a", children: [{ name: "a1" }] }, { name: "b" }] })
    )
    const value: Category = { name: "r", children: [{ name: "c", children: [] }] }
    expect(roundTrip(codec, value)).toEqual(value)
  })

  it("handles a recursive class with an optional self reference", () => {
    const codec = Tool.openAiStrict(LinkedList)
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    const list = Either.getOrThrow(codec.decode({ value: 1, next: { value: 2, next: null } }))
    expect(list).toBeInstanceOf(LinkedList)
    expect(list.next).toBeInstanceOf(LinkedList)
    expect(list.next?.next).toBeUndefined()
  })
})

describe("Tool.openAiStrict: other shapes", () => {
  it("sends values without a JSON type as JSON text and parses them back", () => {
    const codec = Tool.openAiStrict(Schema.Struct({ payload: Schema.Unknown }))
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect((codec.jsonSchema.properties as Json).payload).toMatchObject({ type: "string" })
    expect(codec.decode({ payload: '{"a":[1,2]}' })).toEqual(Either.right({ payload: { a: [1, 2] } }))
    expect(Either.getOrThrow(codec.encode({ payload: { a: 1 } }))).toEqual({ payload: '{"a":1}' })
  })

  it("wraps a root that is not an object", () => {
    const codec = Tool.openAiStrict(Schema.Array(Schema.String))
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect(codec.decode({ value: ["a"] })).toEqual(Either.right(["a"]))
    expect(Either.getOrThrow(codec.encode(["b"]))).toEqual({ value: ["b"] })
  })

  it("decodes transformations (a Date travels as a string)", () => {
    const codec = Tool.openAiStrict(Schema.Struct({ at: Schema.Date, note: Schema.optional(Schema.String) }))
    const decoded = Either.getOrThrow(codec.decode({ at: "2024-01-02T03:04:05.000Z", note: null }))
    expect(decoded.at).toBeInstanceOf(Date)
    expect(decoded.at.toISOString()).toBe("2024-01-02T03:04:05.000Z")
  })

  it("turns const into enum, keeps enums and literals", () => {
    const codec = Tool.openAiStrict(
      Schema.Struct({ mode: Schema.Literal("fast", "slow"), kind: Schema.Enums({ A: "a", B: "b" }) })
    )
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    expect((codec.jsonSchema.properties as Json).mode).toEqual({ type: "string", enum: ["fast", "slow"] })
    expect(codec.decode({ mode: "fast", kind: "b" })).toEqual(Either.right({ mode: "fast", kind: "b" }))
  })

  it("round-trips arbitrary values through the wire (property)", () => {
    const Complex = Schema.Struct({
      id: Schema.String.pipe(Schema.minLength(1)),
      count: Schema.optional(Schema.Int),
      pair: Schema.Tuple(Schema.String, Schema.optionalElement(Schema.Boolean)),
      counts: Schema.Record({ key: Schema.String, value: Schema.Int }),
      // (not `optional(NullOr(X))`: absent and null are one wire value there, decoded as null)
      nested: Schema.optional(Schema.Struct({ flag: Schema.Boolean, note: Schema.NullOr(Schema.String) })),
      choice: Schema.Union(
        Schema.Struct({ a: Schema.Int }),
        Schema.Struct({ b: Schema.optional(Schema.String) })
      ),
      tree: Category
    })
    const codec = Tool.openAiStrict(Complex)
    expect(strictProblems(codec.jsonSchema)).toEqual([])
    // the oracle is the Schema's own round trip (it drops a "__proto__" record key, for one)
    const plainRoundTrip = (value: typeof Complex.Type) =>
      Schema.decodeSync(Complex)(Schema.encodeSync(Complex)(value))
    fc.assert(
      fc.property(Arbitrary.make(Complex), (value) => {
        expect(roundTrip(codec, value)).toEqual(plainRoundTrip(value))
      }),
      { numRuns: 200 }
    )
  })
})
