/**
 * Events (client-go tools/events): an EventBroadcaster that writes events.k8s.io/v1 Events, with
 * repeats aggregated into series, and the EventRecorder controllers call.
 */
export { EventBroadcaster, newBroadcaster, newEventSink, type BroadcasterOptions, type EventSink } from "./event-broadcaster.js";
export {
  EventTypeNormal,
  EventTypeWarning,
  generateEventName,
  getReference,
  type EventLog,
  type EventRecorder,
  type EventSubject,
} from "./event-recorder.js";
