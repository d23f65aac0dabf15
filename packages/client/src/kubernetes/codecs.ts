/**
 * Protobuf codecs for the typed clientset, loaded per group-version on first use: an application that
 * talks to three groups loads the generated codecs of three (plus meta/v1 Status, always there).
 */
import type { GroupVersionRegistration } from "@kubets/api";
import { meta_v1, ProtoReader, ProtoWriter } from "@kubets/apimachinery/protobuf";
import type { ProtobufCodec, ProtobufCodecRegistry } from "@kubets/apimachinery/serializer";
import { MapProtobufCodecRegistry } from "@kubets/apimachinery/serializer";

/** Loads the registration (kinds with their protobuf readers and writers) of one group-version. */
export type RegistrationLoader = () => Promise<{ readonly registration: GroupVersionRegistration }>;

function codecOf(read: (r: ProtoReader) => unknown, write: (w: ProtoWriter, v: unknown) => void): ProtobufCodec {
  return {
    decode: (raw) => read(new ProtoReader(raw, 0, raw.length)),
    encode: (obj) => {
      const w = new ProtoWriter();
      write(w, obj);
      return w.finish();
    },
  };
}

/** Registers every kind of a group-version that has a protobuf codec. */
export function registerGroupVersion(registry: MapProtobufCodecRegistry, gv: GroupVersionRegistration): void {
  const apiVersion = gv.group === "" ? gv.version : `${gv.group}/${gv.version}`;
  for (const k of gv.kinds) {
    if (k.read !== undefined && k.write !== undefined) registry.register(apiVersion, k.kind, codecOf(k.read, k.write));
  }
}

/** A codec registry that fills itself from loaders keyed by apiVersion (`v1`, `apps/v1`). */
export class LazyCodecRegistry implements ProtobufCodecRegistry {
  readonly #registry = new MapProtobufCodecRegistry();
  readonly #loaders: Readonly<Record<string, RegistrationLoader>>;
  readonly #loading = new Map<string, Promise<void>>();

  constructor(loaders: Readonly<Record<string, RegistrationLoader>>) {
    this.#loaders = loaders;
    // metav1.Status travels as apiVersion v1 (errors, ERROR watch events) in every group.
    this.#registry.register("v1", "Status", codecOf(meta_v1.readStatus, meta_v1.writeStatus as (w: ProtoWriter, v: unknown) => void));
  }

  /** Loads the codecs of the given apiVersions (unknown ones are ignored: their objects travel as JSON). */
  async ensure(...apiVersions: Array<string | undefined>): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const av of apiVersions) {
      if (av === undefined) continue;
      let p = this.#loading.get(av);
      if (p === undefined) {
        const loader = this.#loaders[av];
        if (loader === undefined) continue;
        p = loader().then((m) => registerGroupVersion(this.#registry, m.registration));
        p.catch(() => this.#loading.delete(av));
        this.#loading.set(av, p);
      }
      waits.push(p);
    }
    await Promise.all(waits);
  }

  lookup(apiVersion: string, kind: string): ProtobufCodec | undefined {
    return this.#registry.lookup(apiVersion, kind);
  }
}
