/** intstr (k8s.io/apimachinery/pkg/util/intstr): IntOrString helpers over the JSON shape. */
export {
  IntOrStringError,
  fromInt,
  fromInt32,
  fromString,
  getScaledValueFromIntOrPercent,
  getValueFromIntOrPercent,
  intOrStringToString,
  intValue,
  isInt,
  isIntOrStringError,
  parse,
  valueOrDefault,
} from "./intstr.js";
export type { IntOrString } from "./intstr.js";
