import { loggerFor, type Logger } from "@kubets/apimachinery/log";

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

/**
 * The default handler (client-go's WarningLogger): each distinct warning (code 299) once, at warn
 * level, to `logger` (default: the shared logger's "rest" component, see `setLogger` in
 * `@kubets/apimachinery/log`, which writes warnings to stderr unless set otherwise).
 */
export function newWarningLogger(logger: Logger = loggerFor("rest"), options: { deduplicate?: boolean } = {}) {
  const seen = new Set<string>();
  const dedup = options.deduplicate ?? true;
  return (code: number, agent: string, text: string): void => {
    if (code !== 299 || text === "" || (dedup && seen.has(text))) return;
    if (dedup) seen.add(text);
    logger.warn(text, { code, agent });
  };
}

/** A handler that prints each distinct warning once as `Warning: <text>` to a writer, like kubectl. */
export function newDeduplicatingWarningWriter(write: (line: string) => void = (l) => process.stderr.write(l)) {
  const seen = new Set<string>();
  return (code: number, _agent: string, text: string): void => {
    if (code !== 299 || text === "" || seen.has(text)) return;
    seen.add(text);
    write(`Warning: ${text}\n`);
  };
}
