/**
 * Reads Kubernetes' `generated.proto` files with protobufjs's parser into a flat table of messages.
 */
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";

export const PROTO_SCALARS = new Set([
  "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
  "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
]);

export interface ProtoField {
  name: string;
  id: number;
  /** A scalar type name, or the fully qualified name of a message (no leading dot). */
  type: string;
  repeated: boolean;
  /** For `map<K, V>` fields: the key type; `type` is then the value type. */
  keyType?: string;
  comment?: string;
}

export interface ProtoMessage {
  /** Fully qualified name, e.g. `k8s.io.api.core.v1.Pod`. */
  fullName: string;
  package: string;
  name: string;
  fields: ProtoField[];
  comment?: string;
  file: string;
}

function qualify(pkg: string, type: string): string {
  if (PROTO_SCALARS.has(type)) return type;
  if (type.startsWith(".")) return type.slice(1);
  if (type.includes(".")) return type;
  return `${pkg}.${type}`;
}

/** Parses the files and returns every message by its fully qualified name. */
export function loadProtos(files: readonly string[]): Map<string, ProtoMessage> {
  const out = new Map<string, ProtoMessage>();
  for (const file of files) {
    const parsed = protobuf.parse(readFileSync(file, "utf8"), { keepCase: true, alternateCommentMode: true });
    const pkg = parsed.package ?? "";
    const visit = (ns: protobuf.NamespaceBase, prefix: string): void => {
      for (const child of ns.nestedArray) {
        if (child instanceof protobuf.Type) {
          const fullName = `${prefix}.${child.name}`;
          const fields: ProtoField[] = child.fieldsArray
            .map((f): ProtoField => {
              const pf: ProtoField = { name: f.name, id: f.id, type: qualify(pkg, f.type), repeated: f.repeated };
              if (f instanceof protobuf.MapField) pf.keyType = f.keyType;
              if (f.comment) pf.comment = f.comment;
              return pf;
            })
            .sort((a, b) => a.id - b.id);
          const m: ProtoMessage = { fullName, package: pkg, name: child.name, fields, file };
          if (child.comment) m.comment = child.comment;
          out.set(fullName, m);
          visit(child, fullName);
        } else if (child instanceof protobuf.Namespace) {
          visit(child, `${prefix}.${child.name}`);
        }
      }
    };
    // parse() nests the package as namespaces: walk from the root, and prefixes come from the names.
    const walkRoot = (ns: protobuf.NamespaceBase, prefix: string): void => {
      for (const child of ns.nestedArray) {
        if (child instanceof protobuf.Type) {
          visit(ns, prefix);
          return;
        }
      }
      for (const child of ns.nestedArray) {
        if (child instanceof protobuf.Namespace && !(child instanceof protobuf.Type)) {
          walkRoot(child, prefix === "" ? child.name : `${prefix}.${child.name}`);
        }
      }
    };
    walkRoot(parsed.root, "");
  }
  return out;
}
