/** A small subset of Go's fmt.Sprintf, for event notes written in client-go's style ("%s", "%d", "%v", "%q"). */

function valueText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "<nil>";
  if (v instanceof Error) return v.message;
  if (typeof v === "object") {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

export function sprintf(format: string, args: readonly unknown[]): string {
  let out = "";
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%" || i + 1 >= format.length) {
      out += c;
      continue;
    }
    const verb = format[++i];
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const v = args[next++];
    switch (verb) {
      case "d":
        out += typeof v === "number" || typeof v === "bigint" ? (typeof v === "number" ? Math.trunc(v).toString() : v.toString()) : `%!d(${valueText(v)})`;
        break;
      case "x":
        out += typeof v === "number" ? Math.trunc(v).toString(16) : typeof v === "bigint" ? v.toString(16) : Buffer.from(valueText(v)).toString("hex");
        break;
      case "q":
        out += JSON.stringify(valueText(v));
        break;
      default: // v, s, t, f and anything else: the value's text
        out += valueText(v);
    }
  }
  if (next < args.length) out += `%!(EXTRA ${args.slice(next).map(valueText).join(", ")})`;
  return out;
}
