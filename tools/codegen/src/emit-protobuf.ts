/**
 * Protobuf codecs per message: decode straight into the JSON-shaped object, encode from it.
 *
 * Wire facts (field numbers, types, maps, repeated) come from `generated.proto`; JSON facts (names,
 * omitempty, pointers, inline embedding) from typeinfo. The presence rules follow Go: a field that
 * Go's JSON would omit when zero vanishes on decode, one it would always write stays with its zero
 * value; a non-pointer field is always written on encode, as gogo-protobuf does.
 */
import type { ApiModel, GoField, GoTypeRef, PackageModel, StructModel } from "./model.js";
import type { ProtoField, ProtoMessage } from "./proto.js";
import { PROTO_SCALARS } from "./proto.js";

const CUSTOM: Record<string, { read: string; write: string; zero: string }> = {
  "io.k8s.apimachinery.pkg.apis.meta.v1.Time": { read: "readTime", write: "writeTime", zero: "null" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": { read: "readMicroTime", write: "writeMicroTime", zero: "null" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.Duration": { read: "readDuration", write: "writeDuration", zero: '"0s"' },
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { read: "readQuantity", write: "writeQuantity", zero: '"0"' },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { read: "readIntOrString", write: "writeIntOrString", zero: "0" },
  "io.k8s.apimachinery.pkg.runtime.RawExtension": { read: "readRawJSON", write: "writeRawJSON", zero: "null" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": { read: "readRawJSON", write: "writeRawJSON", zero: "null" },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": { read: "readRawJSON", write: "writeRawJSON", zero: "null" },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.JSON": { read: "readRawJSON", write: "writeRawJSON", zero: "null" },
};

/** The OpenAPI name for a proto message name (`k8s.io.api.core.v1.Pod` -> `io.k8s.api.core.v1.Pod`). */
export function openAPIOfProto(model: ApiModel, protoName: string): string | undefined {
  const dot = protoName.lastIndexOf(".");
  const pkg = protoName.slice(0, dot);
  const p = model.packages.find((x) => x.protoPackage === pkg);
  if (p !== undefined) return `${p.openAPIPrefix}.${protoName.slice(dot + 1)}`;
  // Custom types' packages have no struct of their own in the model besides themselves.
  for (const name of Object.keys(CUSTOM)) if (model.structs[name]?.protoName === protoName) return name;
  return undefined;
}

const INTERNED_FIELDS = new Set([
  "namespace", "kind", "apiVersion", "image", "imageID", "manager", "operation", "fieldsType", "nodeName",
  "serviceAccountName", "serviceAccount", "schedulerName", "mountPath", "subPath", "key", "operator", "effect",
  "protocol", "type", "status", "reason", "restartPolicy", "dnsPolicy", "terminationMessagePath",
  "terminationMessagePolicy", "imagePullPolicy", "priorityClassName", "preemptionPolicy", "qosClass", "phase",
  "path", "fieldPath", "resource", "hostIP", "storageClassName", "volumeMode", "fsType", "generateName",
  "command", "args", "value", "scheme", "ip", "podIP", "hostname", "subresource", "time", "driver", "port",
]);

/** Structs whose `name` is an object's own name: never interned (unique per object). */
const UNIQUE_NAME_STRUCTS = new Set(["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);

function interned(f: GoField, owner?: StructModel): boolean {
  if (f.json === "uid" || f.json === "resourceVersion" || f.json === "continue") return false;
  if (f.json === "name") return owner !== undefined && !UNIQUE_NAME_STRUCTS.has(owner.name);
  if (INTERNED_FIELDS.has(f.json)) return true;
  const n = f.type.named;
  return f.type.kind === "string" && n !== undefined && n !== "io.k8s.apimachinery.pkg.types.UID";
}

type Presence = "always" | "omitempty" | "pointer";

function presence(f: GoField): Presence {
  if (f.type.pointer) return f.omitempty || f.omitzero ? "omitempty" : "pointer";
  if (f.omitzero) return "omitempty";
  if (f.omitempty && f.type.kind !== "struct") return "omitempty";
  return "always";
}

/** The JSON zero value Go writes for a field that is always present. */
function zeroExpr(ctx: Ctx, f: GoField): string | undefined {
  const p = presence(f);
  if (p === "omitempty") return undefined;
  const t = f.type;
  if (t.pointer || t.kind === "slice" || t.kind === "map" || t.kind === "interface") return "null";
  switch (t.kind) {
    case "string":
      return '""';
    case "bool":
      return "false";
    case "struct": {
      const n = t.named ?? "";
      const c = CUSTOM[n];
      if (c !== undefined) return c.zero;
      if (n.endsWith(".JSONSchemaPropsOrBool")) return "false";
      if (n.endsWith(".JSONSchemaPropsOrArray") || n.endsWith(".JSONSchemaPropsOrStringArray")) return "null";
      const fn = ctx.fn(n, "read");
      return fn === undefined ? "{}" : `${fn}(emptyReader())`;
    }
    default:
      return "0";
  }
}

interface Ctx {
  model: ApiModel;
  pkg: PackageModel;
  protos: Map<string, ProtoMessage>;
  /** Adds an import if needed and returns how to call a codec function of a struct (by OpenAPI name). */
  fn(openAPIName: string, kind: "read" | "readInto" | "fill" | "write"): string | undefined;
  helpers: Set<string>;
  locals: string[];
  localNames: Set<string>;
}

function helper(ctx: Ctx, name: string): string {
  ctx.helpers.add(name);
  return name;
}

function scalarRead(ctx: Ctx, protoType: string, f: GoField | undefined, internHint: boolean): string {
  switch (protoType) {
    case "string":
      return internHint ? `${helper(ctx, "readInterned")}(r)` : "r.string()";
    case "bytes":
      return `${helper(ctx, "readBytesBase64")}(r)`;
    case "int32":
      return "r.int32()";
    case "int64":
      return "r.int64()";
    case "uint32":
      return "r.uint32()";
    case "uint64":
      return "r.uint64()";
    case "sint32":
      return "r.sint32()";
    case "sint64":
      return "r.sint64()";
    case "bool":
      return "r.bool()";
    case "double":
      return "r.double()";
    case "float":
      return "r.float()";
    case "fixed32":
      return "r.fixed32()";
    case "fixed64":
      return "r.fixed64()";
    default:
      throw new Error(`kubets-codegen: unsupported proto scalar ${protoType} (${f?.json ?? "?"})`);
  }
}

function scalarWrite(protoType: string, v: string): string {
  switch (protoType) {
    case "string":
      return `.string(${v})`;
    case "bytes":
      return `.bytes(base64Decode(${v}))`;
    case "int32":
      return `.int32(${v})`;
    case "int64":
      return `.int64(${v})`;
    case "uint32":
      return `.uint32(${v})`;
    case "uint64":
      return `.uint64(${v})`;
    case "sint32":
      return `.sint32(${v})`;
    case "sint64":
      return `.sint64(${v})`;
    case "bool":
      return `.bool(${v})`;
    case "double":
      return `.double(${v})`;
    case "float":
      return `.float(${v})`;
    case "fixed32":
      return `.fixed32(${v})`;
    case "fixed64":
      return `.fixed64(${v})`;
    default:
      throw new Error(`kubets-codegen: unsupported proto scalar ${protoType}`);
  }
}

function wireType(protoType: string): number {
  switch (protoType) {
    case "double":
    case "fixed64":
    case "sfixed64":
      return 1;
    case "float":
    case "fixed32":
    case "sfixed32":
      return 5;
    case "string":
    case "bytes":
      return 2;
    default:
      return PROTO_SCALARS.has(protoType) ? 0 : 2;
  }
}

function zeroScalar(protoType: string): string {
  return protoType === "string" || protoType === "bytes" ? '""' : protoType === "bool" ? "false" : "0";
}

/** A reader function name for a message body producing the JSON value of Go type `t` (not repeated). */
function messageReader(ctx: Ctx, protoType: string, t: GoTypeRef): string {
  const name = openAPIOfProto(ctx.model, protoType) ?? "";
  const c = CUSTOM[name] ?? (t.named !== undefined ? CUSTOM[t.named] : undefined);
  if (c !== undefined) return helper(ctx, c.read);
  if ((t.kind === "slice" || t.kind === "array") && ctx.model.structs[name] === undefined) return wrapperReader(ctx, protoType);
  if (name.endsWith(".JSONSchemaPropsOrBool") || name.endsWith(".JSONSchemaPropsOrArray") || name.endsWith(".JSONSchemaPropsOrStringArray")) {
    return schemaOrReader(ctx, name);
  }
  const fn = ctx.fn(name, "read");
  if (fn === undefined) throw new Error(`kubets-codegen: no codec for message ${protoType}`);
  return fn;
}

function messageWriter(ctx: Ctx, protoType: string, t: GoTypeRef): { fn: string; prefixed: boolean } {
  const name = openAPIOfProto(ctx.model, protoType) ?? "";
  const c = CUSTOM[name] ?? (t.named !== undefined ? CUSTOM[t.named] : undefined);
  if (c !== undefined) return { fn: helper(ctx, c.write), prefixed: true };
  if ((t.kind === "slice" || t.kind === "array") && ctx.model.structs[name] === undefined) return { fn: wrapperWriter(ctx, protoType), prefixed: false };
  if (name.endsWith(".JSONSchemaPropsOrBool") || name.endsWith(".JSONSchemaPropsOrArray") || name.endsWith(".JSONSchemaPropsOrStringArray")) {
    schemaOrReader(ctx, name);
    return { fn: `write${name.slice(name.lastIndexOf(".") + 1)}`, prefixed: false };
  }
  const fn = ctx.fn(name, "write");
  if (fn === undefined) throw new Error(`kubets-codegen: no codec for message ${protoType}`);
  return { fn, prefixed: false };
}

/** A wrapper message (`message ExtraValue { repeated string items = 1; }`) for a Go named slice. */
function wrapperReader(ctx: Ctx, protoType: string): string {
  const m = ctx.protos.get(protoType);
  const item = m?.fields[0];
  if (m === undefined || m.fields.length !== 1 || item === undefined || !item.repeated || item.type !== "string") {
    throw new Error(`kubets-codegen: ${protoType} is not a wrapper of repeated strings`);
  }
  const fn = `read${m.name}Items`;
  if (!ctx.localNames.has(fn)) {
    ctx.localNames.add(fn);
    ctx.locals.push(
      `function ${fn}(r: ProtoReader): string[] {\n  const out: string[] = [];\n  const end = r.end;\n  while (r.pos < end) {\n    const t = r.tag();\n    if (t === ${(item.id << 3) | 2}) out.push(${helper(ctx, "readInterned")}(r));\n    else r.skip(t & 7);\n  }\n  return out;\n}\n`,
      `function write${m.name}Items(w: ProtoWriter, v: readonly string[] | null | undefined): void {\n  if (v === null || v === undefined) return;\n  for (let i = 0; i < v.length; i++) w.uint32(${(item.id << 3) | 2}).string(v[i]!);\n}\n`,
    );
  }
  return fn;
}

function wrapperWriter(ctx: Ctx, protoType: string): string {
  wrapperReader(ctx, protoType);
  return `write${protoType.slice(protoType.lastIndexOf(".") + 1)}Items`;
}

/** apiextensions' JSONSchemaPropsOrBool / OrArray / OrStringArray: custom JSON over a plain message. */
function schemaOrReader(ctx: Ctx, name: string): string {
  const short = name.slice(name.lastIndexOf(".") + 1);
  const fn = `read${short}`;
  if (ctx.localNames.has(fn)) return fn;
  ctx.localNames.add(fn);
  const props = name.replace(/Or(Bool|Array|StringArray)$/, "");
  const rp = ctx.fn(props, "read")!;
  const wp = ctx.fn(props, "write")!;
  const rm = helper(ctx, "readMessage");
  if (short === "JSONSchemaPropsOrBool") {
    ctx.locals.push(
      `function ${fn}(r: ProtoReader): unknown {\n  const end = r.end;\n  let allows = false;\n  let schema: unknown;\n  while (r.pos < end) {\n    const t = r.tag();\n    if (t === 8) allows = r.bool();\n    else if (t === 18) schema = ${rm}(r, ${rp});\n    else r.skip(t & 7);\n  }\n  return schema !== undefined ? schema : allows;\n}\n`,
      `function write${short}(w: ProtoWriter, v: unknown): void {\n  if (typeof v === "boolean" || v === null || v === undefined) {\n    w.uint32(8).bool(v === true);\n    return;\n  }\n  w.uint32(8).bool(true);\n  w.uint32(18).fork();\n  ${wp}(w, v as never);\n  w.ldelim();\n}\n`,
    );
  } else if (short === "JSONSchemaPropsOrArray") {
    ctx.locals.push(
      `function ${fn}(r: ProtoReader): unknown {\n  const end = r.end;\n  let schema: unknown = null;\n  const list: unknown[] = [];\n  while (r.pos < end) {\n    const t = r.tag();\n    if (t === 10) schema = ${rm}(r, ${rp});\n    else if (t === 18) list.push(${rm}(r, ${rp}));\n    else r.skip(t & 7);\n  }\n  return list.length > 0 ? list : schema;\n}\n`,
      `function write${short}(w: ProtoWriter, v: unknown): void {\n  if (Array.isArray(v)) {\n    for (const s of v) {\n      w.uint32(18).fork();\n      ${wp}(w, s as never);\n      w.ldelim();\n    }\n  } else if (v !== null && v !== undefined) {\n    w.uint32(10).fork();\n    ${wp}(w, v as never);\n    w.ldelim();\n  }\n}\n`,
    );
  } else {
    ctx.locals.push(
      `function ${fn}(r: ProtoReader): unknown {\n  const end = r.end;\n  let schema: unknown = null;\n  const list: string[] = [];\n  while (r.pos < end) {\n    const t = r.tag();\n    if (t === 10) schema = ${rm}(r, ${rp});\n    else if (t === 18) list.push(r.string());\n    else r.skip(t & 7);\n  }\n  return list.length > 0 ? list : schema;\n}\n`,
      `function write${short}(w: ProtoWriter, v: unknown): void {\n  if (Array.isArray(v)) {\n    for (const s of v) w.uint32(18).string(s as string);\n  } else if (v !== null && v !== undefined) {\n    w.uint32(10).fork();\n    ${wp}(w, v as never);\n    w.ldelim();\n  }\n}\n`,
    );
  }
  return fn;
}

function acc(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `o.${name}` : `o[${JSON.stringify(name)}]`;
}

interface Joined {
  pf: ProtoField;
  gf: GoField;
}

function join(sm: StructModel, msg: ProtoMessage): Joined[] {
  // Go's protobuf tag is `wiretype,number,opt|req|rep[,name=...]`; the number is always there.
  const byNumber = new Map<number, GoField>();
  for (const f of sm.go.fields) {
    if (f.protobuf === undefined || f.protobuf === "" || f.protobuf === "-") continue;
    const n = Number(f.protobuf.split(",")[1]);
    if (Number.isInteger(n)) byNumber.set(n, f);
  }
  const out: Joined[] = [];
  for (const pf of msg.fields) {
    const gf = byNumber.get(pf.id);
    if (gf !== undefined) out.push({ pf, gf });
  }
  return out;
}

/**
 * FieldsV1 (managedFields' JSON tree) is read as its JSON text and parsed on first access
 * (`defineLazyJSON`): most readers never look at it. Only where the object is built by a Shape.
 */
const LAZY_JSON = new Set(["io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"]);

/**
 * Repeated message fields kept as their wire bytes when decoded and read on first access
 * (`readLazyRun` + `defineLazy`): ObjectMeta.managedFields is most of an object's metadata and few
 * readers look at it; encoders write the bytes back as they came while it is unread.
 */
const LAZY_RUNS = new Set(["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.managedFields"]);

function lazyRunField(sm: StructModel, gf: GoField): boolean {
  return LAZY_RUNS.has(`${sm.name}.${gf.json}`);
}

function lazyJSONField(gf: GoField): boolean {
  return gf.type.named !== undefined && LAZY_JSON.has(gf.type.named) && gf.type.kind === "struct" && !gf.inline;
}

function emitRead(
  ctx: Ctx,
  sm: StructModel,
  msg: ProtoMessage,
  target: (gf: GoField) => string = (gf) => acc(gf.json),
  lazy: ReadonlySet<GoField> = new Set(),
): string {
  const cases: string[] = [];
  for (const { pf, gf } of join(sm, msg)) {
    const key = target(gf);
    const tagLD = (pf.id << 3) | 2;
    const isMsg = !PROTO_SCALARS.has(pf.type);
    if (gf.inline) {
      const into = ctx.fn(gf.type.named ?? "", "readInto");
      if (into === undefined) continue;
      cases.push(`      case ${tagLD}: {\n        const n = r.length();\n        const outer = r.end;\n        r.end = r.pos + n;\n        ${into}(r, o);\n        r.end = outer;\n        break;\n      }`);
      continue;
    }
    if (pf.keyType !== undefined) {
      // map<K, V>: entries { key = 1; value = 2 }.
      const vt = gf.type.elem!;
      const keyRead = pf.keyType === "string" ? `${helper(ctx, "readInterned")}(r)` : scalarRead(ctx, pf.keyType, undefined, false);
      let valRead: string;
      let valZero: string;
      const vtag = (2 << 3) | wireType(pf.type);
      if (PROTO_SCALARS.has(pf.type)) {
        valRead = scalarRead(ctx, pf.type, undefined, pf.type === "string");
        valZero = pf.type === "bytes" ? "null" : zeroScalar(pf.type);
      } else {
        valRead = `${helper(ctx, "readMessage")}(r, ${messageReader(ctx, pf.type, vt)})`;
        const name = openAPIOfProto(ctx.model, pf.type) ?? "";
        const c = CUSTOM[name];
        valZero = c !== undefined ? c.zero : vt.kind === "slice" ? "null" : `${messageReader(ctx, pf.type, vt)}(emptyReader())`;
        if (valZero.includes("emptyReader")) helper(ctx, "emptyReader");
      }
      const omit = gf.omitempty ? "" : "";
      cases.push(
        `      case ${tagLD}: {\n        const n = r.length();\n        const outer = r.end;\n        const e = r.pos + n;\n        r.end = e;\n        let k: ${pf.keyType === "string" ? "string" : "any"} = ${zeroScalar(pf.keyType)};\n        let v: any;\n        while (r.pos < e) {\n          const t2 = r.tag();\n          if (t2 === ${(1 << 3) | wireType(pf.keyType)}) k = ${keyRead};\n          else if (t2 === ${vtag}) v = ${valRead};\n          else r.skip(t2 & 7);\n        }\n        r.end = outer;\n        const m = ${key} ?? (${key} = {});\n        ${helper(ctx, "setEntry")}(m, k, v === undefined ? ${valZero} : v);${omit}\n        break;\n      }`,
      );
      continue;
    }
    if (pf.repeated) {
      if (isMsg && lazy.has(gf) && lazyRunField(sm, gf)) {
        // The run's bytes, parsed when first read (the Shape's parser for this property).
        cases.push(`      case ${tagLD}: {\n        const s = ${helper(ctx, "readLazyRun")}(r, at, ${tagLD});\n        ${key} = ${key} === undefined ? s : ${key} + s;\n        break;\n      }`);
      } else if (isMsg) {
        const rd = messageReader(ctx, pf.type, gf.type.elem ?? gf.type);
        // Inline loop: direct (monomorphic) calls of the element reader, array at final size.
        cases.push(
          `      case ${tagLD}: {\n        const n = ${helper(ctx, "countRun")}(r, ${tagLD});\n        const a = new Array(n);\n        for (let i = 0; i < n; i++) {\n          if (i > 0) r.uint32();\n          const len = r.length();\n          const outer = r.end;\n          const stop = r.pos + len;\n          r.end = stop;\n          a[i] = ${rd}(r);\n          r.pos = stop;\n          r.end = outer;\n        }\n        const p = ${key};\n        ${key} = p === undefined ? a : p.concat(a);\n        break;\n      }`,
        );
      } else if (pf.type === "string") {
        cases.push(`      case ${tagLD}: {\n        const a = ${helper(ctx, "readRepeatedString")}(r, ${tagLD}, ${interned(gf, sm)});\n        const p = ${key};\n        ${key} = p === undefined ? a : p.concat(a);\n        break;\n      }`);
      } else if (pf.type === "bytes") {
        cases.push(`      case ${tagLD}:\n        (${key} ??= []).push(${scalarRead(ctx, "bytes", gf, false)});\n        break;`);
      } else {
        const wt = wireType(pf.type);
        const rd = scalarRead(ctx, pf.type, gf, false);
        cases.push(`      case ${(pf.id << 3) | wt}:\n        (${key} ??= []).push(${rd});\n        break;`);
        if (wt !== 2) cases.push(`      case ${tagLD}:\n        ${key} = ${helper(ctx, "appendTo")}(${key}, ${helper(ctx, "readPacked")}(r, (x) => x.${rd.slice(2)}));\n        break;`);
      }
      continue;
    }
    const pres = presence(gf);
    const wt = wireType(pf.type);
    const tag = (pf.id << 3) | wt;
    if (isMsg) {
      const rd = lazy.has(gf) ? helper(ctx, "readRawJSONText") : messageReader(ctx, pf.type, gf.type);
      const open = `        const len = r.length();\n        const outer = r.end;\n        const stop = r.pos + len;\n        r.end = stop;\n`;
      const close = `        r.pos = stop;\n        r.end = outer;\n`;
      if (pres === "omitempty" && (gf.type.kind === "slice" || gf.omitzero)) {
        cases.push(`      case ${tag}: {\n${open}        const v = ${rd}(r);\n${close}        if (v !== null${gf.type.kind === "slice" ? " && v.length !== 0" : ""}) ${key} = v;\n        break;\n      }`);
      } else {
        cases.push(`      case ${tag}: {\n${open}        ${key} = ${rd}(r);\n${close}        break;\n      }`);
      }
      continue;
    }
    const expr = scalarRead(ctx, pf.type, gf, pf.type === "string" && interned(gf, sm));
    if (pres === "omitempty" && !gf.type.pointer) {
      const zero = pf.type === "bytes" ? '""' : zeroScalar(pf.type);
      cases.push(`      case ${tag}: {\n        const v = ${expr};\n        if (v !== ${zero}) ${key} = v;\n        break;\n      }`);
    } else {
      cases.push(`      case ${tag}:\n        ${key} = ${expr};\n        break;`);
    }
  }
  // Fields this version does not know (a newer server's) are kept as their wire bytes, to be
  // written back after the known ones (see keepUnknownFields).
  const collect = `unk = ${helper(ctx, "collectUnknownField")}(unk, r, at);`;
  const body = cases.length
    ? `  let unk: Uint8Array | undefined;\n  const end = r.end;\n  const buf = r.buf;\n  while (r.pos < end) {\n    // One-byte keys (fields 1-15) inline; longer or invalid keys through r.tag().\n    const at = r.pos;\n    let t = buf[at]!;\n    if (t < 0x80 && t >= 8) r.pos = at + 1;\n    else t = r.tag();\n    switch (t) {\n${cases.join("\n")}\n      default:\n        r.skip(t & 7);\n        ${collect}\n    }\n  }\n`
    : `  let unk: Uint8Array | undefined;\n  const end = r.end;\n  while (r.pos < end) {\n    const at = r.pos;\n    r.skip(r.tag() & 7);\n    ${collect}\n  }\n`;
  return body;
}

/** The module-local constant holding the key of a message type's unknown fields (declared once). */
function unknownKey(ctx: Ctx, n: string, msg: ProtoMessage): string {
  const name = `${n}$unknown`;
  if (!ctx.localNames.has(name)) {
    ctx.localNames.add(name);
    ctx.locals.push(`const ${name} = ${helper(ctx, "unknownFieldsKey")}(${JSON.stringify(msg.fullName)});\n`);
  }
  return name;
}

function emitFill(ctx: Ctx, sm: StructModel, target: (gf: GoField) => string = (gf) => acc(gf.json)): string {
  const lines: string[] = [];
  for (const f of sm.go.fields) {
    if (f.skip) continue;
    if (f.inline && f.type.named !== undefined && CUSTOM[f.type.named] === undefined) {
      const fill = ctx.fn(f.type.named, "fill");
      if (fill !== undefined) lines.push(`  ${fill}(o);`);
      continue;
    }
    const z = zeroExpr(ctx, f);
    if (z === undefined) continue;
    if (z.includes("emptyReader")) helper(ctx, "emptyReader");
    lines.push(`  if (${target(f)} === undefined) ${target(f)} = ${z};`);
  }
  return lines.join("\n");
}

function emitWrite(ctx: Ctx, sm: StructModel, msg: ProtoMessage): string {
  const lines: string[] = [];
  for (const { pf, gf } of join(sm, msg)) {
    const key = acc(gf.json);
    const tagLD = (pf.id << 3) | 2;
    const isMsg = !PROTO_SCALARS.has(pf.type);
    if (gf.inline) {
      const wr = ctx.fn(gf.type.named ?? "", "write");
      if (wr === undefined) continue;
      lines.push(`  w.uint32(${tagLD}).fork();\n  ${wr}(w, o as never);\n  w.ldelim();`);
      continue;
    }
    if (pf.keyType !== undefined) {
      const vt = gf.type.elem!;
      const ktag = (1 << 3) | wireType(pf.keyType);
      const vtag = (2 << 3) | wireType(pf.type);
      let val: string;
      if (PROTO_SCALARS.has(pf.type)) {
        if (pf.type === "bytes") {
          helper(ctx, "base64Decode");
          val = `    if (v !== null && v !== undefined) w.uint32(${vtag}).bytes(base64Decode(v));`;
        } else val = `    w.uint32(${vtag})${scalarWrite(pf.type, `v ?? ${zeroScalar(pf.type)}`)};`;
      } else {
        const mw = messageWriter(ctx, pf.type, vt);
        val = mw.prefixed ? `    w.uint32(${vtag});\n    ${mw.fn}(w, v);` : `    w.uint32(${vtag}).fork();\n    ${mw.fn}(w, v ?? EMPTY);\n    w.ldelim();`;
      }
      const keyConv = pf.keyType === "string" ? "k" : "Number(k)";
      lines.push(
        `  {\n    const m = ${key};\n    if (m !== null && m !== undefined) {\n      const keys = Object.keys(m).sort(${pf.keyType === "string" ? "" : "(a, b) => Number(a) - Number(b)"});\n      for (let i = 0; i < keys.length; i++) {\n        const k = keys[i]!;\n        const v = m[k];\n        w.uint32(${tagLD}).fork();\n        w.uint32(${ktag})${scalarWrite(pf.keyType, keyConv)};\n    ${val.replace(/\n/g, "\n    ")}\n        w.ldelim();\n      }\n    }\n  }`,
      );
      continue;
    }
    if (pf.repeated) {
      let item: string;
      if (isMsg) {
        const mw = messageWriter(ctx, pf.type, gf.type.elem ?? gf.type);
        item = mw.prefixed ? `w.uint32(${tagLD});\n      ${mw.fn}(w, a[i]);` : `w.uint32(${tagLD}).fork();\n      ${mw.fn}(w, a[i]);\n      w.ldelim();`;
      } else {
        if (pf.type === "bytes") helper(ctx, "base64Decode");
        item = `w.uint32(${(pf.id << 3) | wireType(pf.type)})${scalarWrite(pf.type, "a[i]")};`;
      }
      if (isMsg && lazyRunField(sm, gf)) {
        // Not read since decoding: the bytes as they came, without decoding them (reading would).
        lines.push(
          `  {\n    const text = ${helper(ctx, "lazyJSONText")}(o, ${JSON.stringify(gf.json)});\n    if (text !== undefined) ${helper(ctx, "writeLazyRun")}(w, text);\n    else {\n      const a = ${key};\n      if (a !== null && a !== undefined) {\n        for (let i = 0; i < a.length; i++) {\n        ${item}\n        }\n      }\n    }\n  }`,
        );
        continue;
      }
      lines.push(`  {\n    const a = ${key};\n    if (a !== null && a !== undefined) {\n      for (let i = 0; i < a.length; i++) {\n      ${item}\n      }\n    }\n  }`);
      continue;
    }
    const wt = wireType(pf.type);
    const tag = (pf.id << 3) | wt;
    const ptr = gf.type.pointer === true;
    if (isMsg) {
      const mw = messageWriter(ctx, pf.type, gf.type);
      const isWrapper = (gf.type.kind === "slice" || gf.type.kind === "array") && !mw.prefixed && mw.fn.endsWith("Items");
      const write = mw.prefixed
        ? `w.uint32(${tag});\n    ${mw.fn}(w, ${key});`
        : `w.uint32(${tag}).fork();\n    ${mw.fn}(w, ${key}${isWrapper ? "" : " ?? EMPTY"});\n    w.ldelim();`;
      if (ptr && mw.prefixed && lazyJSONField(gf)) {
        // Not read since decoding: the text as it came, without parsing it (reading it would).
        const text = `${helper(ctx, "lazyJSONText")}(o, ${JSON.stringify(gf.json)})`;
        lines.push(
          `  {\n    const text = ${text};\n    if (text !== undefined) {\n      w.uint32(${tag});\n      ${helper(ctx, "writeRawJSONText")}(w, text);\n    } else if (${key} !== null && ${key} !== undefined) {\n      ${write.replace(/\n/g, "\n  ")}\n    }\n  }`,
        );
      } else if (ptr || isWrapper) lines.push(`  if (${key} !== null && ${key} !== undefined) {\n    ${write}\n  }`);
      else lines.push(`  {\n    ${write}\n  }`);
      continue;
    }
    if (pf.type === "bytes") {
      helper(ctx, "base64Decode");
      lines.push(`  if (${key} !== null && ${key} !== undefined) w.uint32(${tag}).bytes(base64Decode(${key}));`);
      continue;
    }
    if (ptr) lines.push(`  if (${key} !== null && ${key} !== undefined) w.uint32(${tag})${scalarWrite(pf.type, key)};`);
    else lines.push(`  w.uint32(${tag})${scalarWrite(pf.type, `${key} ?? ${zeroScalar(pf.type)}`)};`);
  }
  return lines.join("\n");
}

let inlineTargetCache: { model: ApiModel; set: Set<string> } | undefined;

/** Structs embedded inline (with a protobuf field) somewhere: they need readXInto/fillX. */
function inlineTargets(model: ApiModel): Set<string> {
  if (inlineTargetCache?.model === model) return inlineTargetCache.set;
  const set = new Set<string>();
  for (const sm of Object.values(model.structs)) {
    for (const f of sm.go.fields) if (f.inline && f.type.named !== undefined) set.add(f.type.named);
  }
  inlineTargetCache = { model, set };
  return set;
}

/**
 * The JSON properties of a struct whose protobuf fields all map to its own properties (no inline
 * struct on the wire), in Go's order; undefined when it has inline wire fields or too many fields.
 */
function flatProps(sm: StructModel, msg: ProtoMessage): GoField[] | undefined {
  for (const { gf } of join(sm, msg)) if (gf.inline) return undefined;
  const out: GoField[] = [];
  for (const f of sm.go.fields) {
    if (f.skip) continue;
    if (f.inline) {
      // An inline struct without a wire field (TypeMeta): its properties are never decoded.
      continue;
    }
    out.push(f);
  }
  return out.length <= 52 ? out : undefined;
}

/** Which structs of a package get a codec: those with a proto message and no custom wire form. */
export function codecStructs(model: ApiModel, pkg: PackageModel, protos: Map<string, ProtoMessage>): StructModel[] {
  return pkg.structs
    .map((n) => model.structs[n]!)
    .filter((sm) => protos.has(sm.protoName) && CUSTOM[sm.name] === undefined && !/\.JSONSchemaPropsOr(Bool|Array|StringArray)$/.test(sm.name));
}

/** Does a struct need a fill function (any always-present field, directly or through inline structs)? */
export function needsFill(model: ApiModel, name: string, seen = new Set<string>()): boolean {
  const sm = model.structs[name];
  if (sm === undefined || seen.has(name)) return false;
  seen.add(name);
  for (const f of sm.go.fields) {
    if (f.skip) continue;
    if (f.inline && f.type.named !== undefined && CUSTOM[f.type.named] === undefined) {
      if (needsFill(model, f.type.named, seen)) return true;
      continue;
    }
    if (presence(f) !== "omitempty") return true;
  }
  return false;
}

export function emitProtobuf(
  model: ApiModel,
  pkg: PackageModel,
  protos: Map<string, ProtoMessage>,
  header: string,
  resolve: (fromPkg: PackageModel, openAPIName: string, kind: "read" | "readInto" | "fill" | "write", imports: Map<string, string>) => string | undefined,
): string {
  const imports = new Map<string, string>();
  const ctx: Ctx = {
    model,
    pkg,
    protos,
    fn: (n, k) => resolve(pkg, n, k, imports),
    helpers: new Set(),
    locals: [],
    localNames: new Set(),
  };
  const out: string[] = [];
  const typed = pkg.target === "api";
  for (const sm of codecStructs(model, pkg, protos)) {
    const msg = protos.get(sm.protoName)!;
    const n = sm.shortName;
    const T = typed ? `T.${n}` : "Obj";
    const flat = flatProps(sm, msg);
    const usedInline = inlineTargets(model).has(sm.name);
    const fill = needsFill(model, sm.name) ? emitFill(ctx, sm) : "";
    if (flat === undefined || usedInline) {
      const readBody = emitRead(ctx, sm, msg);
      out.push(
        `/** Reads the fields of a ${n} message into \`o\` (inline embedding shares the object). */\n` +
          `export function read${n}Into(r: ProtoReader, o: Obj): void {\n${readBody}  if (unk !== undefined) ${helper(ctx, "keepUnknownFields")}(o, ${unknownKey(ctx, n, msg)}, unk);\n}\n`,
      );
      if (fill !== "") out.push(`/** Sets the fields Go always writes in JSON that the wire did not carry. */\nexport function fill${n}(o: Obj): void {\n${fill}\n}\n`);
    }
    if (flat === undefined) {
      out.push(
        `/** Decodes a ${n} message body (up to \`r.end\`) into its JSON shape. */\n` +
          `export function read${n}(r: ProtoReader): ${T} {\n  const o: Obj = {};\n  read${n}Into(r, o);\n${fill !== "" ? `  fill${n}(o);\n` : ""}  return o${typed ? ` as ${T}` : ""};\n}\n`,
      );
    } else {
      // Fields go to locals; the object is made at the end by a literal of exactly the present
      // properties, in Go's order: exact-size objects with one hidden class per field set.
      const index = new Map(flat.map((f, i) => [f, i] as const));
      const local = (gf: GoField): string => `f${index.get(gf)!}`;
      const lazy = new Set(
        flat.filter(
          (f) =>
            (lazyJSONField(f) && join(sm, msg).some((j) => j.gf === f && !j.pf.repeated && j.pf.keyType === undefined)) ||
            (lazyRunField(sm, f) && join(sm, msg).some((j) => j.gf === f && j.pf.repeated && !PROTO_SCALARS.has(j.pf.type))),
        ),
      );
      const readBody = emitRead(ctx, sm, msg, local, lazy);
      const fillLocals = needsFill(model, sm.name) ? emitFill(ctx, sm, local) : "";
      const shape = `${n}$shape`;
      helper(ctx, "shapeOf");
      const lazyKeys = flat.filter((f) => lazy.has(f)).map((f) => f.json);
      const parsers: string[] = [];
      for (const { pf, gf } of join(sm, msg)) {
        if (!lazy.has(gf) || !lazyRunField(sm, gf)) continue;
        parsers.push(`${JSON.stringify(gf.json)}: ${helper(ctx, "lazyRunParser")}(${(pf.id << 3) | 2}, ${messageReader(ctx, pf.type, gf.type.elem ?? gf.type)})`);
      }
      ctx.locals.push(
        `const ${shape} = shapeOf(${JSON.stringify(flat.map((f) => f.json))}${lazyKeys.length ? `, ${JSON.stringify(lazyKeys)}` : ""}${parsers.length ? `, { ${parsers.join(", ")} }` : ""});\n`,
      );
      const decl = flat.length ? `  let ${flat.map((_, i) => `f${i}: any`).join(", ")};\n` : "";
      const lo = flat.slice(0, 31).map((_, i) => `(f${i} !== undefined ? ${2 ** i} : 0)`);
      const hi = flat.slice(31).map((_, i) => `(f${i + 31} !== undefined ? ${2 ** i} : 0)`);
      const mask = flat.length === 0 ? "0" : hi.length === 0 ? lo.join(" | ") : `(${lo.join(" | ")}) + (${hi.join(" | ")}) * 2147483648`;
      out.push(
        `/** Decodes a ${n} message body (up to \`r.end\`) into its JSON shape. */\n` +
          `export function read${n}(r: ProtoReader): ${T} {\n${decl}${readBody}${fillLocals ? fillLocals + "\n" : ""}` +
          `  const o = ${shape}.get(${mask})(${flat.map((_, i) => `f${i}`).join(", ")});\n` +
          `  if (unk !== undefined) ${helper(ctx, "keepUnknownFields")}(o, ${unknownKey(ctx, n, msg)}, unk);\n` +
          `  return o${typed ? ` as ${T}` : ""};\n}\n`,
      );
    }
    const writeBody = emitWrite(ctx, sm, msg);
    out.push(
      `/** Encodes a ${n} in its JSON shape as a message body, as Go's generated Marshal writes it. */\n` +
        `export function write${n}(w: ProtoWriter, v: ${T}): void {\n  const o = v as Obj;\n${writeBody}${writeBody ? "\n" : ""}  ${helper(ctx, "writeUnknownFields")}(w, o, ${unknownKey(ctx, n, msg)});\n}\n`,
    );
  }
  const helpers = [...ctx.helpers].sort();
  const lines: string[] = [header];
  if (pkg.target === "api") {
    lines.push(`import { ProtoReader, ProtoWriter } from "@kubets/apimachinery/protobuf";`);
    if (helpers.length) lines.push(`import { ${helpers.join(", ")} } from "@kubets/apimachinery/protobuf";`);
  } else {
    const base = "../".repeat(pkg.dir.split("/").length + 1) + "protobuf/";
    lines.push(`import { ProtoReader } from "${base}reader.js";`);
    lines.push(`import { ProtoWriter } from "${base}writer.js";`);
    if (helpers.length) lines.push(`import { ${helpers.join(", ")} } from "${base}codec.js";`);
  }
  if (typed) lines.push(`import type * as T from "./types.js";`);
  for (const [, stmt] of [...imports.entries()].sort()) lines.push(stmt);
  lines.push("");
  lines.push("// eslint-disable-next-line @typescript-eslint/no-explicit-any");
  lines.push("type Obj = Record<string, any>;");
  lines.push("const EMPTY: Obj = Object.freeze({});");
  if (ctx.helpers.has("shapeOf")) lines.push("/* eslint-disable @typescript-eslint/no-explicit-any */");
  lines.push("void EMPTY;");
  lines.push("");
  return lines.join("\n") + "\n" + ctx.locals.join("\n") + (ctx.locals.length ? "\n" : "") + out.join("\n");
}

