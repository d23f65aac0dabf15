/**
 * resource (k8s.io/apimachinery/pkg/api/resource): Quantity parsing, printing, comparison
 * and arithmetic with Go's exact semantics.
 */
export {
  BinarySI,
  DecimalExponent,
  DecimalSI,
  MaxMilliValue,
  Quantity,
  QuantityParseError,
  Scale,
  addQuantities,
  canonicalQuantity,
  compareQuantities,
  isQuantityParseError,
  mustParseQuantity,
  newMilliQuantity,
  newQuantity,
  newScaledQuantity,
  parseQuantity,
  quantityFromJSON,
  quantitiesEqual,
  quantityAsApproximateFloat64,
  quantityMilliValue,
  quantityToString,
  quantityValue,
  subQuantities,
  tryParseQuantity,
} from "./quantity.js";
export type { QuantityFormat, QuantityLike, QuantityParseErrorKind } from "./quantity.js";
