/**
 * A small JSON Schema validator for the subset tools use (`effect` generates JSON Schema
 * but does not validate against it): `type` (a name or a list, `integer` included),
 * `nullable` (OpenAPI), `enum`, `const`, `properties`, `required`,
 * `additionalProperties`, `patternProperties`, `propertyNames`, `minProperties`,
 * `maxProperties`, `items` (a schema or a draft-07 list), `prefixItems`,
 * `additionalItems`, `minItems`, `maxItems`, `uniqueItems`, `minLength`, `maxLength`
 * (counted in code points), `pattern`, `minimum`, `maximum`, `exclusiveMinimum`,
 * `exclusiveMaximum` (number and draft-04 boolean forms), `multipleOf`, `anyOf`,
 * `oneOf`, `allOf`, `not`, `if`/`then`/`else` and local `$ref`s (`#`, `#/$defs/…`,
 * `#/definitions/…`, any JSON pointer into the root). `format` is an annotation, as in
 * draft 2019-09 and later; unknown keywords are ignored.
 *
 * A schema is compiled once into closures; validating collects every issue with its
 * JSON-pointer path.
 *
 * @internal
 */

/** A JSON Schema object. */
export type JsonObject = Record<string, unknown>

/** Validates a value; returns the issues found (empty when the value is valid). */
export type Validator = (value: unknown) => ReadonlyArray<string>

type Check = (value: unknown, path: string, issues: Array<string>) => void

const pass: Check = () => {}

/** Whether a value is a plain JSON object (not an array, not null). */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const typeOf = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number" && Number.isInteger(value)
        ? "integer"
        : typeof value

const matchesType = (type: string, value: unknown): boolean => {
  switch (type) {
    case "null":
      return value === null
    case "array":
      return Array.isArray(value)
    case "object":
      return isObject(value)
    case "integer":
      return typeof value === "number" && Number.isInteger(value)
    case "number":
      return typeof value === "number" && Number.isFinite(value)
    default:
      return typeof value === type
  }
}

/** Structural equality of JSON values (`enum`, `const`, `uniqueItems`). */
export const jsonEquals = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEquals(x, b[i]))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEquals(a[key], b[key]))
    )
  }
  return false
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text
}

const at = (path: string): string => (path === "" ? "(root)" : path)

const child = (path: string, key: string | number): string =>
  `${path}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`

const regex = (pattern: string): RegExp | undefined => {
  try {
    return new RegExp(pattern, "u")
  } catch {
    try {
      return new RegExp(pattern)
    } catch {
      return undefined
    }
  }
}

const codePoints = (text: string): number => {
  let count = 0
  for (const _ of text) count++
  return count
}

const numberOr = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined)

/** Resolves a local `$ref` (a JSON pointer into the root document). */
export const resolvePointer = (root: unknown, ref: string): unknown => {
  if (!ref.startsWith("#")) return undefined
  const pointer = decodeURIComponent(ref.slice(1))
  if (pointer === "") return root
  if (!pointer.startsWith("/")) return undefined
  let node: unknown = root
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~")
    if (Array.isArray(node)) node = node[Number(key)]
    else if (isObject(node)) node = node[key]
    else return undefined
  }
  return node
}

interface Context {
  readonly root: unknown
  readonly refs: Map<string, Check>
}

const compileRef = (ref: string, context: Context): Check => {
  const known = context.refs.get(ref)
  if (known !== undefined) return known
  let compiled: Check | undefined
  const check: Check = (value, path, issues) => {
    if (compiled === undefined) {
      const target = resolvePointer(context.root, ref)
      compiled =
        target === undefined
          ? (_value, where, found) => found.push(`${at(where)}: unresolvable $ref ${ref}`)
          : compileNode(target, context)
    }
    compiled(value, path, issues)
  }
  context.refs.set(ref, check)
  return check
}

const compileType = (type: unknown, nullable: boolean): Check => {
  const names = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === "string")
  if (nullable) names.push("null")
  const expected = names.join(" or ")
  return (value, path, issues) => {
    if (!names.some((name) => matchesType(name, value)))
      issues.push(`${at(path)}: expected ${expected}, got ${typeOf(value)}`)
  }
}

const compileString = (schema: JsonObject): Array<Check> => {
  const checks: Array<Check> = []
  const min = numberOr(schema.minLength)
  const max = numberOr(schema.maxLength)
  if (min !== undefined || max !== undefined) {
    checks.push((value, path, issues) => {
      if (typeof value !== "string") return
      const length = codePoints(value)
      if (min !== undefined && length < min)
        issues.push(`${at(path)}: expected at least ${min} character(s), got ${length}`)
      if (max !== undefined && length > max)
        issues.push(`${at(path)}: expected at most ${max} character(s), got ${length}`)
    })
  }
  if (typeof schema.pattern === "string") {
    const source = schema.pattern
    const compiled = regex(source)
    if (compiled !== undefined) {
      checks.push((value, path, issues) => {
        if (typeof value === "string" && !compiled.test(value))
          issues.push(`${at(path)}: expected a string matching ${source}, got ${show(value)}`)
      })
    }
  }
  return checks
}

const compileNumber = (schema: JsonObject): Array<Check> => {
  const bounds: Array<[(n: number) => boolean, string]> = []
  const minimum = numberOr(schema.minimum)
  const maximum = numberOr(schema.maximum)
  if (minimum !== undefined) {
    bounds.push(
      schema.exclusiveMinimum === true
        ? [(n) => n > minimum, `greater than ${minimum}`]
        : [(n) => n >= minimum, `at least ${minimum}`]
    )
  }
  if (maximum !== undefined) {
    bounds.push(
      schema.exclusiveMaximum === true
        ? [(n) => n < maximum, `less than ${maximum}`]
        : [(n) => n <= maximum, `at most ${maximum}`]
    )
  }
  const exclusiveMinimum = numberOr(schema.exclusiveMinimum)
  if (exclusiveMinimum !== undefined)
    bounds.push([(n) => n > exclusiveMinimum, `greater than ${exclusiveMinimum}`])
  const exclusiveMaximum = numberOr(schema.exclusiveMaximum)
  if (exclusiveMaximum !== undefined)
    bounds.push([(n) => n < exclusiveMaximum, `less than ${exclusiveMaximum}`])
  const multipleOf = numberOr(schema.multipleOf)
  if (multipleOf !== undefined && multipleOf > 0) {
    bounds.push([
      (n) => {
        const ratio = n / multipleOf
        return Math.abs(ratio - Math.round(ratio)) < 1e-9
      },
      `a multiple of ${multipleOf}`
    ])
  }
  if (bounds.length === 0) return []
  return [
    (value, path, issues) => {
      if (typeof value !== "number") return
      for (const [ok, text] of bounds)
        if (!ok(value)) issues.push(`${at(path)}: expected ${text}, got ${value}`)
    }
  ]
}

const compileArray = (schema: JsonObject, context: Context): Array<Check> => {
  const checks: Array<Check> = []
  const tuple = Array.isArray(schema.prefixItems)
    ? schema.prefixItems
    : Array.isArray(schema.items)
      ? schema.items
      : undefined
  const positional = (tuple ?? []).map((item) => compileNode(item, context))
  const restSchema =
    tuple === undefined
      ? schema.items
      : Array.isArray(schema.prefixItems)
        ? schema.items
        : schema.additionalItems
  const rest =
    restSchema === undefined ? undefined : restSchema === false ? false : compileNode(restSchema, context)
  const min = numberOr(schema.minItems)
  const max = numberOr(schema.maxItems)
  const unique = schema.uniqueItems === true
  if (positional.length === 0 && rest === undefined && min === undefined && max === undefined && !unique)
    return []
  checks.push((value, path, issues) => {
    if (!Array.isArray(value)) return
    if (min !== undefined && value.length < min)
      issues.push(`${at(path)}: expected at least ${min} item(s), got ${value.length}`)
    if (max !== undefined && value.length > max)
      issues.push(`${at(path)}: expected at most ${max} item(s), got ${value.length}`)
    value.forEach((item, index) => {
      const check = index < positional.length ? positional[index] : rest
      if (check === false) issues.push(`${at(child(path, index))}: unexpected item`)
      else if (check !== undefined) check(item, child(path, index), issues)
    })
    if (unique) {
      for (let i = 1; i < value.length; i++) {
        if (value.slice(0, i).some((other) => jsonEquals(other, value[i]))) {
          issues.push(`${at(path)}: expected unique items, item ${i} repeats an earlier one`)
          break
        }
      }
    }
  })
  return checks
}

const compileObject = (schema: JsonObject, context: Context): Array<Check> => {
  const properties = isObject(schema.properties) ? schema.properties : {}
  const named = Object.entries(properties).map(([key, sub]) => [key, compileNode(sub, context)] as const)
  const known = new Set(Object.keys(properties))
  const required = Array.isArray(schema.required)
    ? schema.required.filter((key): key is string => typeof key === "string")
    : []
  const patterns = isObject(schema.patternProperties)
    ? Object.entries(schema.patternProperties).flatMap(([source, sub]) => {
        const compiled = regex(source)
        return compiled === undefined ? [] : [[compiled, compileNode(sub, context)] as const]
      })
    : []
  const additional =
    schema.additionalProperties === undefined || schema.additionalProperties === true
      ? undefined
      : schema.additionalProperties === false
        ? false
        : compileNode(schema.additionalProperties, context)
  const names = schema.propertyNames === undefined ? undefined : compileNode(schema.propertyNames, context)
  const minProperties = numberOr(schema.minProperties)
  const maxProperties = numberOr(schema.maxProperties)
  if (
    named.length === 0 &&
    required.length === 0 &&
    patterns.length === 0 &&
    additional === undefined &&
    names === undefined &&
    minProperties === undefined &&
    maxProperties === undefined
  )
    return []
  return [
    (value, path, issues) => {
      if (!isObject(value)) return
      // a property holding `undefined` is absent, as in JSON text
      const present = (key: string) => Object.hasOwn(value, key) && value[key] !== undefined
      for (const key of required) if (!present(key)) issues.push(`${at(child(path, key))}: is missing`)
      for (const [key, check] of named) if (present(key)) check(value[key], child(path, key), issues)
      const keys = Object.keys(value).filter(present)
      if (minProperties !== undefined && keys.length < minProperties)
        issues.push(`${at(path)}: expected at least ${minProperties} propert(ies)`)
      if (maxProperties !== undefined && keys.length > maxProperties)
        issues.push(`${at(path)}: expected at most ${maxProperties} propert(ies)`)
      for (const key of keys) {
        if (names !== undefined) names(key, `${child(path, key)} (key)`, issues)
        if (known.has(key)) continue
        let matched = false
        for (const [pattern, check] of patterns) {
          if (pattern.test(key)) {
            matched = true
            check(value[key], child(path, key), issues)
          }
        }
        if (matched) continue
        if (additional === false) issues.push(`${at(child(path, key))}: is unexpected`)
        else if (additional !== undefined) additional(value[key], child(path, key), issues)
      }
    }
  ]
}

const compileCombinators = (schema: JsonObject, context: Context): Array<Check> => {
  const checks: Array<Check> = []
  const compileList = (list: unknown) =>
    Array.isArray(list) ? list.map((sub) => compileNode(sub, context)) : []
  const allOf = compileList(schema.allOf)
  if (allOf.length > 0)
    checks.push((value, path, issues) => {
      for (const check of allOf) check(value, path, issues)
    })
  const anyOf = compileList(schema.anyOf)
  if (anyOf.length > 0) {
    checks.push((value, path, issues) => {
      const found: Array<Array<string>> = []
      for (const check of anyOf) {
        const branch: Array<string> = []
        check(value, path, branch)
        if (branch.length === 0) return
        found.push(branch)
      }
      issues.push(`${at(path)}: matches none of the allowed shapes (${found.map((b) => b[0]).join("; ")})`)
    })
  }
  const oneOf = compileList(schema.oneOf)
  if (oneOf.length > 0) {
    checks.push((value, path, issues) => {
      const matches = oneOf.filter((check) => {
        const branch: Array<string> = []
        check(value, path, branch)
        return branch.length === 0
      }).length
      if (matches !== 1)
        issues.push(`${at(path)}: expected exactly one of the allowed shapes to match, ${matches} did`)
    })
  }
  if (schema.not !== undefined) {
    const not = compileNode(schema.not, context)
    checks.push((value, path, issues) => {
      const branch: Array<string> = []
      not(value, path, branch)
      if (branch.length === 0) issues.push(`${at(path)}: matches a forbidden shape`)
    })
  }
  if (schema.if !== undefined) {
    const condition = compileNode(schema.if, context)
    const then = schema.then === undefined ? pass : compileNode(schema.then, context)
    const otherwise = schema.else === undefined ? pass : compileNode(schema.else, context)
    checks.push((value, path, issues) => {
      const branch: Array<string> = []
      condition(value, path, branch)
      ;(branch.length === 0 ? then : otherwise)(value, path, issues)
    })
  }
  return checks
}

const compileNode = (schema: unknown, context: Context): Check => {
  if (schema === true || schema === undefined) return pass
  if (schema === false) return (_value, path, issues) => issues.push(`${at(path)}: no value is allowed here`)
  if (!isObject(schema)) return pass
  const checks: Array<Check> = []
  const nullable = schema.nullable === true
  if (typeof schema.$ref === "string") checks.push(compileRef(schema.$ref, context))
  if (schema.type !== undefined) checks.push(compileType(schema.type, nullable))
  if (Array.isArray(schema.enum)) {
    const allowed: ReadonlyArray<unknown> = schema.enum
    checks.push((value, path, issues) => {
      if (!allowed.some((option) => jsonEquals(option, value)) && !(nullable && value === null))
        issues.push(`${at(path)}: expected one of ${allowed.map(show).join(", ")}, got ${show(value)}`)
    })
  }
  if (Object.hasOwn(schema, "const")) {
    const expected = schema.const
    checks.push((value, path, issues) => {
      if (!jsonEquals(expected, value))
        issues.push(`${at(path)}: expected ${show(expected)}, got ${show(value)}`)
    })
  }
  checks.push(
    ...compileString(schema),
    ...compileNumber(schema),
    ...compileArray(schema, context),
    ...compileObject(schema, context),
    ...compileCombinators(schema, context)
  )
  if (checks.length === 0) return pass
  if (checks.length === 1 && !nullable) return checks[0]!
  return (value, path, issues) => {
    if (nullable && value === null) return
    for (const check of checks) check(value, path, issues)
  }
}

/**
 * Compiles a JSON Schema into a validator. `root` is the document `$ref`s resolve
 * against (the schema itself by default).
 */
export const compile = (schema: unknown, root: unknown = schema): Validator => {
  const check = compileNode(schema, { root, refs: new Map() })
  return (value) => {
    const issues: Array<string> = []
    check(value, "", issues)
    return issues
  }
}
