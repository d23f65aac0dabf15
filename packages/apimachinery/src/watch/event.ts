/**
 * Watch events (k8s.io/apimachinery/pkg/watch and meta/v1 WatchEvent): ADDED, MODIFIED, DELETED,
 * BOOKMARK and ERROR, where an ERROR event carries a Status.
 */
import type { Status } from "../meta/v1/index.js";
import { fromObject } from "../errors/index.js";
import type { StatusError, UnexpectedObjectError } from "../errors/index.js";
import { DecodeError } from "../serializer/decode-error.js";

/** The watch event types (watch.EventType). */
export const EventType = {
  Added: "ADDED",
  Modified: "MODIFIED",
  Deleted: "DELETED",
  Bookmark: "BOOKMARK",
  Error: "ERROR",
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** An event carrying an object of the watched type. */
export interface ObjectWatchEvent<T> {
  readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
  readonly object: T;
}

/** An ERROR event: the object is a Status (use {@link watchEventError} for a StatusError). */
export interface ErrorWatchEvent {
  readonly type: "ERROR";
  readonly object: Status;
}

/** One event of a watch stream. Narrow on `type`. */
export type WatchEvent<T = unknown> = ObjectWatchEvent<T> | ErrorWatchEvent;

const TYPES: ReadonlySet<string> = new Set(Object.values(EventType));

/** True for the five event types Kubernetes sends. */
export function isEventType(s: unknown): s is EventType {
  return typeof s === "string" && TYPES.has(s);
}

/**
 * Check a decoded `{type, object}` and return it as a WatchEvent. Errors (DecodeError) follow
 * client-go: an unknown type is `got invalid watch event type: X`; the object must be an object.
 */
export function toWatchEvent<T>(value: unknown, offset?: number): WatchEvent<T> {
  const at = offset !== undefined ? { offset } : {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new DecodeError("watch: event is not a JSON object", at);
  }
  const { type, object } = value as { type?: unknown; object?: unknown };
  if (!isEventType(type)) {
    throw new DecodeError(`got invalid watch event type: ${typeof type === "string" ? type : JSON.stringify(type) ?? "undefined"}`, { ...at, path: "type" });
  }
  if (object === null || typeof object !== "object" || Array.isArray(object)) {
    throw new DecodeError(`watch: ${type} event has no object`, { ...at, path: "object" });
  }
  return { type, object } as WatchEvent<T>;
}

/** The error an ERROR event reports (errors.FromObject on its Status), or undefined for other events. */
export function watchEventError(event: WatchEvent<unknown>): StatusError | UnexpectedObjectError | undefined {
  return event.type === EventType.Error ? fromObject(event.object) : undefined;
}
