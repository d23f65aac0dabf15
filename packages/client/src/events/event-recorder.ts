/** client-go tools/events recorderImpl: builds events.k8s.io/v1 Events and hands them to the broadcaster. */
import { randomUUID } from "node:crypto";
import type { ObjectReference } from "@kubets/api/core/v1";
import type { Event } from "@kubets/api/events/v1";
import { isDNS1123Subdomain } from "@kubets/apimachinery/util";
import { nowMicroTime } from "@kubets/apimachinery/meta/v1";
import { sprintf } from "./format.js";

/** The type of an event about normal progress. */
export const EventTypeNormal = "Normal";
/** The type of an event about something that may need attention. */
export const EventTypeWarning = "Warning";

/** An object an event is about: a Kubernetes object (with kind, apiVersion and metadata) or an ObjectReference. */
export type EventSubject =
  | { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } }
  | ObjectReference;

/** tools/events EventRecorder. Calls never throw and never wait for the API server. */
export interface EventRecorder {
  /**
   * Records an event about `regarding` (and optionally `related`). `type` is "Normal" or "Warning";
   * `reason` and `action` are short UpperCamelCase words; `note` is a Go-style format ("%s", "%d",
   * "%v", "%q") applied to `args`.
   */
  eventf(regarding: EventSubject, related: EventSubject | undefined, type: string, reason: string, action: string, note: string, ...args: unknown[]): void;
  /** Same, with annotations on the Event. */
  annotatedEventf(
    regarding: EventSubject,
    related: EventSubject | undefined,
    annotations: Record<string, string>,
    type: string,
    reason: string,
    action: string,
    note: string,
    ...args: unknown[]
  ): void;
}

/** reference.GetReference for plain objects: an error text when the object has no kind or name. */
export function getReference(obj: EventSubject): ObjectReference | string {
  if (obj === null || typeof obj !== "object") return "object is nil";
  if (!("metadata" in obj) || obj.metadata === undefined) {
    const ref = obj as ObjectReference;
    if (ref.kind && ref.name) return ref; // already a reference
    return "object has no metadata and is not an ObjectReference";
  }
  const o = obj as { apiVersion?: string; kind?: string; metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } };
  if (!o.kind) return "object has no kind (set kind and apiVersion on it)";
  const ref: ObjectReference = { kind: o.kind };
  if (o.apiVersion) ref.apiVersion = o.apiVersion;
  if (o.metadata.name) ref.name = o.metadata.name;
  if (o.metadata.namespace) ref.namespace = o.metadata.namespace;
  if (o.metadata.uid) ref.uid = o.metadata.uid;
  if (o.metadata.resourceVersion) ref.resourceVersion = o.metadata.resourceVersion;
  return ref;
}

let lastNano = 0n;

/** Unix time in nanoseconds, strictly increasing within this process (names must not collide within a millisecond). */
function uniqueUnixNano(): bigint {
  let ns = BigInt(Date.now()) * 1_000_000n;
  if (ns <= lastNano) ns = lastNano + 1n;
  lastNano = ns;
  return ns;
}

/** util.GenerateEventName: `<name>.<unix nanoseconds in hex>`, or a UUID when that is not a valid name. */
export function generateEventName(refName: string, unixNano: bigint): string {
  const name = `${refName}.${unixNano.toString(16)}`;
  return isDNS1123Subdomain(name).length === 0 ? name : randomUUID();
}

/** The deprecated `log` option of the events broadcaster: receives each message with its level. */
export type EventLog = (level: "info" | "error", message: string) => void;

export class RecorderImpl implements EventRecorder {
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly #emit: (event: Event) => void;
  readonly #log: EventLog;

  constructor(reportingController: string, reportingInstance: string, emit: (event: Event) => void, log: EventLog) {
    this.reportingController = reportingController;
    this.reportingInstance = reportingInstance;
    this.#emit = emit;
    this.#log = log;
  }

  eventf(regarding: EventSubject, related: EventSubject | undefined, type: string, reason: string, action: string, note: string, ...args: unknown[]): void {
    this.#record(regarding, related, undefined, type, reason, action, note, args);
  }

  annotatedEventf(
    regarding: EventSubject,
    related: EventSubject | undefined,
    annotations: Record<string, string>,
    type: string,
    reason: string,
    action: string,
    note: string,
    ...args: unknown[]
  ): void {
    this.#record(regarding, related, annotations, type, reason, action, note, args);
  }

  #record(
    regarding: EventSubject,
    related: EventSubject | undefined,
    annotations: Record<string, string> | undefined,
    type: string,
    reason: string,
    action: string,
    note: string,
    args: readonly unknown[],
  ): void {
    try {
      const timestamp = nowMicroTime();
      const message = sprintf(note, args);
      const refRegarding = getReference(regarding);
      if (typeof refRegarding === "string") {
        this.#log("error", `events: could not construct reference (${refRegarding}), will not report event: ${type} ${reason}: ${message}`);
        return;
      }
      let refRelated: ObjectReference | undefined;
      if (related !== undefined) {
        const r = getReference(related);
        if (typeof r !== "string") refRelated = r;
      }
      if (type !== EventTypeNormal && type !== EventTypeWarning) {
        this.#log("error", `events: unsupported event type ${JSON.stringify(type)} (Normal or Warning), will not report event: ${reason}: ${message}`);
        return;
      }
      const event: Event = {
        apiVersion: "events.k8s.io/v1",
        kind: "Event",
        metadata: {
          name: generateEventName(refRegarding.name ?? "", uniqueUnixNano()),
          namespace: refRegarding.namespace || "default",
          ...(annotations ? { annotations: { ...annotations } } : {}),
        },
        eventTime: timestamp,
        reportingController: this.reportingController,
        reportingInstance: this.reportingInstance,
        action,
        reason,
        regarding: refRegarding,
        ...(refRelated ? { related: refRelated } : {}),
        note: message,
        type,
      };
      this.#emit(event);
    } catch (err) {
      this.#log("error", `events: could not record event: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
