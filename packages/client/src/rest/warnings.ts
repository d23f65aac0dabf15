/** A parsed `Warning` response header (RFC 7234 warn-code, warn-agent, warn-text). */
export interface WarningHeader {
  code: number;
  agent: string;
  text: string;
}

/**
 * Parses the values of Warning headers as client-go's net.ParseWarningHeaders does: each value holds one or
 * more comma-separated `<3-digit code> <agent> "<quoted text>" ["<date>"]` entries. Malformed entries are
 * skipped.
 */
export function parseWarningHeaders(values: readonly string[]): WarningHeader[] {
  const out: WarningHeader[] = [];
  for (const value of values) {
    let s = value;
    while (s.length > 0) {
      s = s.replace(/^[\s,]+/, "");
      const m = /^(\d{3}) (\S+) "/.exec(s);
      if (!m) break;
      let i = m[0].length;
      let text = "";
      let closed = false;
      while (i < s.length) {
        const c = s[i]!;
        if (c === "\\" && i + 1 < s.length) {
          text += s[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        text += c;
        i++;
      }
      if (!closed) break;
      s = s.slice(i);
      const date = /^ "[^"]*"/.exec(s);
      if (date) s = s.slice(date[0].length);
      out.push({ code: Number(m[1]), agent: m[2]!, text });
    }
  }
  return out;
}

/** The default handler: prints each distinct warning once to stderr, like kubectl. */
export function newDeduplicatingWarningWriter(write: (line: string) => void = (l) => process.stderr.write(l)) {
  const seen = new Set<string>();
  return (code: number, _agent: string, text: string): void => {
    if (code !== 299 || text === "" || seen.has(text)) return;
    seen.add(text);
    write(`Warning: ${text}\n`);
  };
}
