// The YAML fast path (src/serializer/yaml-fast.ts) against the full path (the `yaml` package's parser and
// composer with our go-yaml v2 conversion): for every document the fast path takes, both give the same
// value, with the same key order, numbers (bigint, -0) and own `__proto__` keys; everything else is left
// to the full path. Documents: handwritten edge cases, kubeconfigs as kubectl and kind write them, toYAML
// output, and generated documents (block YAML and JSON with tricky scalars, and random edits of them).
import { describe, expect, it } from "vitest";
import { parseYAML, parseYAMLStrict, toYAML } from "../src/serializer/index.js";
import { parseYAMLFull } from "../src/serializer/yaml.js";
import { NOT_SIMPLE, parseSimpleYAML } from "../src/serializer/yaml-fast.js";
import { prng as rng } from "./helpers/prng.js";

/** A canonical text of a parsed value: key order, bigint, -0 and `__proto__` keys are all visible. */
function canon(v: unknown): string {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(",")}]`;
  return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(",")}}`;
}

type Outcome = { ok: true; value: string } | { ok: false };

function full(text: string, strict: boolean): Outcome {
  try {
    const r = parseYAMLFull(text, { strict });
    if (r.strictErrors.length > 0) return { ok: false };
    return { ok: true, value: canon(r.value) };
  } catch {
    return { ok: false };
  }
}

/** Checks one document; returns whether the fast path took it. */
function agree(text: string, strict = false): boolean {
  const fast = parseSimpleYAML(text, strict);
  if (fast === NOT_SIMPLE) return false;
  const f = full(text, strict);
  expect({ text, full: f }).toEqual({ text, full: { ok: true, value: canon(fast) } });
  return true;
}


const TRICKY = [
  "", "a", "name", "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "Null", "~", "-", "--", "---", "...",
  "0", "-0", "+0", "01", "08", "0x1F", "0x", "0o17", "017", "0b101", "-0b11", "1_000", "_1", "1__0", "9007199254740993",
  "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999",
  "1.5", ".5", "5.", "1e3", "1E-7", "1e400", "-1e400", ".inf", "-.Inf", ".nan", ".NaN", "Infinity", "NaN", "1.2.3",
  "2024-01-02", "2001-12-14t21:59:43.10-05:00", "12:30:00", "1:20", "+1", "+.5", "-.5", "0.1",
  "a b", "a  b", "a #b", "a#b", "#a", "a: b", "a:b", "a:", ":a", ": a", "- a", "-a", "? a", "?a", "a?", "a,b", "[a]", "a[0]",
  "{a}", "a{b}", "{}", "[]", "&a", "*a", "!a", "!!str", "%a", "@a", "`a", "|", ">", "|-", "'", "\"", "a'b", "a\"b", "''", "<<",
  "=", "a=b", "$HOME", "~/x", "https://1.2.3.4:6443", "/etc/kubernetes/ca.crt", "LS0tLS1CRUdJTiBDRVJU+/=", "kind-kind",
  "system:masters", "__proto__", "constructor", "toString", "é", "日本", "\u2028", "\u0085", "\t", "a\tb", "a\nb", " a", "a ",
  "\\", "a\\nb", "\u0000", "\u001b", "\u007f", "\ud83d\ude00",
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** A tricky string or a short random one of printable ASCII (and now and then a tab or a newline). */
function anyString(r: () => number): string {
  if (r() < 0.6) return pick(r, TRICKY);
  let s = "";
  for (let i = 0, n = Math.floor(r() * 7); i < n; i++) s += r() < 0.02 ? pick(r, ["\t", "\n", "é"]) : String.fromCharCode(0x20 + Math.floor(r() * 95));
  return s;
}

function scalarText(r: () => number, s: string): string {
  switch (Math.floor(r() * 4)) {
    case 0:
    case 1:
      return s; // plain, whatever that means for s
    case 2:
      return `'${s.replaceAll("'", "''")}'`;
    default:
      return JSON.stringify(s);
  }
}

/** A generated block-YAML document (not always valid YAML). */
function blockDoc(r: () => number, depth: number, indent: number, style: { step: number; compact: boolean }): string[] {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  const seq = r() < 0.35;
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (r() < 0.05) lines.push(`${pad}# a comment: with - things`);
    if (r() < 0.05) lines.push("");
    let head: string;
    if (seq) head = `${pad}-`;
    else {
      let k = r() < 0.7 ? pick(r, ["apiVersion", "kind", "name", "server", "user", "cluster", "data", "a", "b"]) : anyString(r);
      if (used.has(k) && r() < 0.9) k = `${k}${i}`;
      used.add(k);
      head = `${pad}${scalarText(r, k)}:`;
    }
    const roll = r();
    if (depth < 4 && roll < 0.35) {
      // a nested collection
      if (seq && r() < 0.6) {
        // "- key: value" with the rest of the mapping below
        const inner = blockDoc(r, depth + 1, indent + 2, style);
        const first = inner[0]!;
        if (!first.trimStart().startsWith("-") && !first.trimStart().startsWith("#") && first.trim() !== "") {
          lines.push(`${head} ${first.trimStart()}`, ...inner.slice(1));
          continue;
        }
        lines.push(head, ...inner);
        continue;
      }
      const childIndent = !seq && style.compact && r() < 0.8 ? indent : indent + style.step;
      const inner = blockDoc(r, depth + 1, childIndent, style);
      lines.push(head, ...inner);
      continue;
    }
    if (roll < 0.42) {
      lines.push(`${head}${r() < 0.5 ? " {}" : " []"}`);
      continue;
    }
    if (roll < 0.46) {
      lines.push(head); // null
      continue;
    }
    const v = r() < 0.5 ? anyString(r) : pick(r, ["v1", "Config", "https://127.0.0.1:6443", "default", "x y", "3", "true"]);
    lines.push(`${head}${r() < 0.1 ? "   " : " "}${scalarText(r, v)}${r() < 0.03 ? " # trailing" : ""}`);
  }
  return lines;
}

function jsonValue(r: () => number, depth: number): unknown {
  const roll = r();
  if (depth < 4 && roll < 0.25) {
    const o: Record<string, unknown> = {};
    for (let i = 0, n = Math.floor(r() * 4); i < n; i++) o[anyString(r)] = jsonValue(r, depth + 1);
    return o;
  }
  if (depth < 4 && roll < 0.4) return Array.from({ length: Math.floor(r() * 4) }, () => jsonValue(r, depth + 1));
  if (roll < 0.55) return pick(r, [0, 1, -1, 1.5, 1e20, 2 ** 53, -(2 ** 60), 0.1, 1e-7, true, false, null]);
  return anyString(r);
}

function jsonText(r: () => number, v: unknown): string {
  const text = JSON.stringify(v, null, pick(r, [0, 2, 4]));
  // Number spellings JSON.stringify never writes.
  return text.replace(/\b1e\+?20\b/, () => pick(r, ["1e20", "100000000000000000000", "1E20"])).replace(/-?\b0\b/, () => pick(r, ["0", "-0", "0.0"]));
}

function mutate(r: () => number, text: string): string {
  const chars = [" ", "\n", ":", "-", "#", "'", "\"", "{", "}", "[", "]", "&", "*", "!", "|", ">", "\t", ",", "?", "\\", "a", "\r"];
  let t = text;
  for (let i = 0, n = 1 + Math.floor(r() * 3); i < n; i++) {
    const at = Math.floor(r() * (t.length + 1));
    if (r() < 0.3 && t.length > 0) t = t.slice(0, at) + t.slice(at + 1);
    else t = t.slice(0, at) + pick(r, chars) + t.slice(at);
  }
  return t;
}

const KUBECTL_VIEW = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJME1EUXhOakEwTkRneE1Gb1hEVE0wTURReE5EQTBORGd4TUZvd0ZURVRNQkVHQTFVRQpBeE1LYTNWaVpYSnVaWFJsY3pDQ0FTSXdEUVlKS29aSWh2Y05BUUVCQlFBRGdnRVBBRENDQVFvQ2dnRUJBTTFNCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K
    server: https://127.0.0.1:39617
  name: kind-kind
- cluster:
    insecure-skip-tls-verify: true
    proxy-url: socks5://localhost:1080
    server: https://10.0.0.1
    tls-server-name: api.example.com
  name: prod
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind
- context:
    cluster: prod
    namespace: team-a
    user: oidc
  name: prod
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURJVENDQWdtZ0F3SUJBZ0lJYm1KZ2x6ZzNhZ0l3RFFZSktvWklodmNOQVFFTEJRQXdGVEVUTUJFR0ExVUUKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBd2tHbFp5ZzNhZ0l3RFFZSktvWklodmNOQVFFTEJRQXdGVEVUTUJFR0ExVUUKLS0tLS1FTkQgUlNBIFBSSVZBVEUgS0VZLS0tLS0K
- name: oidc
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - oidc-login
      - get-token
      - --oidc-issuer-url=https://issuer.example.com
      - --oidc-client-id=kubernetes
      command: kubectl
      env:
      - name: FOO
        value: "1"
      - name: EMPTY
        value: ""
      interactiveMode: IfAvailable
      provideClusterInfo: false
`;

describe("YAML fast path", () => {
  it("takes kubectl- and kind-style kubeconfigs and agrees with the full path", () => {
    expect(agree(KUBECTL_VIEW)).toBe(true);
    expect(parseYAML(KUBECTL_VIEW)).toMatchObject({ kind: "Config", preferences: {}, "current-context": "kind-kind" });
    // The same kubeconfig with comments, 4-space indentation, indented sequences and quoted keys.
    const variant = `# written by hand
apiVersion: "v1"
kind: 'Config'

clusters:
    -   name: "kind-kind"
        cluster:
            server: 'https://127.0.0.1:39617'
            "insecure-skip-tls-verify": yes
current-context: kind-kind
users: []
`;
    expect(agree(variant)).toBe(true);
    expect(parseYAML(variant)).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "kind-kind", cluster: { server: "https://127.0.0.1:39617", "insecure-skip-tls-verify": true } }],
      "current-context": "kind-kind",
      users: [],
    });
  });

  it("takes JSON kubeconfigs (testenv, client-go's JSON) when not strict", () => {
    const json = JSON.stringify(parseYAML(KUBECTL_VIEW), null, 2);
    expect(agree(json)).toBe(true);
    expect(parseSimpleYAML(json, true)).toBe(NOT_SIMPLE); // JSON.parse hides duplicate keys
    expect(agree('{"a": 1, "a": 2}')).toBe(true);
    expect(parseYAMLStrict('{"a": 1, "a": 2}').strictErrors).toEqual(['duplicate field "a"']);
  });

  it("leaves every construct outside the subset to the full path", () => {
    const outside = [
      "a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n", "a: |\n  text\n", "a: >\n  text\n", "a: {b: 1}\n", "a: [1, 2]\n",
      "---\na: 1\n", "a: 1\n---\nb: 2\n", "%YAML 1.1\n---\na: 1\n", "a: 1 # comment\n", "a:\n  multi\n  line\n",
      "a: 'two\n  lines'\n", "a: 1\na: 2\n", "\ta: 1\n", "a: é\n", "a:\r\n  b: 1\r\n", "? a\n: b\n", "- - a\n", "a: .inf\n",
      "~: 1\n", "18446744073709551615: x\n", "a\n", "[1]\n", '{"a": 9007199254740993}', '{"a": -0}', '{"a":\t1}', "\ufeffa: 1\n",
      `a:${"\n  b:".repeat(70)} 1\n`,
    ];
    for (const text of outside) expect({ text, fast: parseSimpleYAML(text, false) }).toEqual({ text, fast: NOT_SIMPLE });
    // ...and the full path still answers for them as before.
    expect(parseYAML("a: &x 1\nb: *x\n")).toEqual({ a: 1, b: 1 });
    expect(parseYAML("a: 1\na: 2\n")).toEqual({ a: 2 });
    expect(() => parseYAML("a: .inf\n")).toThrow(/JSON cannot represent it/);
  });

  it("gives the full path's values for tricky scalars, keys and layouts", () => {
    const docs = [
      "", "# only a comment\n", "a:\n", "a: ~\nb: null\nc:\n", "on: 1\n1: x\n0x10: y\n1e6: z\n'on': q\n", "a: 9007199254740993\nb: 18446744073709551615\n",
      "a: 0x1F\nb: 0o17\nc: 017\nd: 1_000\ne: 08\n", "a: 1.\nb: .5\nc: 2024-01-02\n", "__proto__: 1\nb: 2\n", "a: \"\\u00e9\\x41\\U0001F600\\t\\\"\"\n",
      "a: 'it''s'\n", "a:\n- 1\n-\n- x: 1\n  y: 2\n-\n  z: 3\nb: 2\n", "- a\n- b\n", "  a: 1\n  b: 2\n", "a:   b c  \n", "a: b#c\n",
      "a: -1\nb: -x\nc: x-\n", "a: http://x:8080/p?q=1\n", "key with spaces: value with spaces\n",
    ];
    for (const text of docs) agree(text);
    expect(parseYAML("__proto__: 1\nb: 2\n")).toEqual(JSON.parse('{"__proto__": 1, "b": 2}'));
    expect(parseYAML("a: 9007199254740993\n")).toEqual({ a: 9007199254740993n });
  });

  it("agrees with toYAML output read back", () => {
    const r = rng(7);
    let taken = 0;
    for (let i = 0; i < 300; i++) {
      const v = { apiVersion: "v1", kind: "Config", data: jsonValue(r, 0), list: [jsonValue(r, 1), jsonValue(r, 1)] };
      if (agree(toYAML(v))) taken++;
    }
    expect(taken).toBeGreaterThan(100);
  });

  it("agrees with the full path on generated block documents and edits of them", () => {
    const r = rng(42);
    let taken = 0;
    let mutatedTaken = 0;
    for (let i = 0; i < 2500; i++) {
      const style = { step: pick(r, [2, 4]), compact: r() < 0.7 };
      const text = `${blockDoc(r, 0, r() < 0.1 ? 2 : 0, style).join("\n")}\n`;
      if (agree(text)) taken++;
      if (agree(text, true)) taken++;
      if (agree(mutate(r, text))) mutatedTaken++;
    }
    expect(taken).toBeGreaterThan(1000);
    expect(mutatedTaken).toBeGreaterThan(100);
  });

  it("agrees with the full path on generated JSON documents and edits of them", () => {
    const r = rng(1234);
    let taken = 0;
    for (let i = 0; i < 1500; i++) {
      const text = jsonText(r, { kind: "Config", x: jsonValue(r, 0) });
      if (agree(text)) taken++;
      agree(mutate(r, text));
    }
    expect(taken).toBeGreaterThan(300);
  });
});
