/** The Schema of the structured-output case's catalog (see `data.ts`). */
import { Schema } from "effect"

const Item = Schema.Struct({
  id: Schema.Number,
  sku: Schema.String,
  name: Schema.String,
  description: Schema.String,
  price: Schema.Number,
  ratio: Schema.Number,
  inStock: Schema.Boolean,
  tags: Schema.Array(Schema.String),
  dimensions: Schema.Struct({ width: Schema.Number, height: Schema.Number, unit: Schema.String }),
  discontinued: Schema.NullOr(Schema.String)
})

/** The catalog: a title, a version, and its items. */
export const Catalog = Schema.Struct({
  title: Schema.String,
  version: Schema.Number,
  items: Schema.Array(Item)
})
