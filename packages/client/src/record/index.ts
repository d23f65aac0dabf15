/**
 * client-go's tools/record: the core/v1 EventRecorder and EventBroadcaster, with the EventCorrelator
 * (aggregation, counting, spam filter). events.k8s.io/v1 events are in `@kubets/client/events`.
 */
export {
  EventBroadcaster,
  EventTypeNormal,
  EventTypeWarning,
  newBroadcaster,
  newEventSink,
  type BroadcasterOptions,
  type EventObject,
  type EventRecorder,
  type EventSink,
  type RecordLog,
  type RecorderOptions,
} from "./event.js";
export {
  EventAggregator,
  EventCorrelator,
  EventSourceObjectSpamFilter,
  eventAggregatorByReasonFunc,
  eventAggregatorByReasonMessageFunc,
  getEventKey,
  getSpamKey,
  type CorrelatorOptions,
  type EventCorrelateResult,
} from "./correlator.js";
