/**
 * The one contract of the events service: TypeBox schemas of the trigger and publish
 * requests and answers, the error body and every stream event's `data`, each with its
 * static type of the same name. The server validates and documents (OpenAPI) with the
 * schemas; the SDK, the web page and the CLI use the types (`import type`, so no TypeBox
 * code reaches a client bundle). Nothing here is re-declared by hand elsewhere.
 * @module
 */
export { MAX_MESSAGE_LENGTH, TriggerRequest, TriggerResponse } from "./trigger.ts";
export { DEFAULT_MAX_PUBLISH_BATCH, PublishBatchRequest, PublishBatchResponse, PublishRequest, PublishResponse } from "./publish.ts";
export { ErrorResponse } from "./error-response.ts";
export {
  AuthExpiredEventData,
  ConnectedEventData,
  GapEventData,
  MessageEventData,
  type StreamEventPayloads,
  type StreamEventTopic,
  type StreamEventType,
} from "./stream-events.ts";
export {
  ContractError,
  RESERVED_EVENT_NAMES,
  type AnyEventsContract,
  defineEvents,
  goaEvents,
  type ContractStreamEvent,
  type DefinitionOf,
  type EventData,
  type EventDefinition,
  type EventInput,
  type EventInputs,
  type EventName,
  type EventTopic,
  type EventsContract,
  type TopicOfPattern,
} from "./define-events.ts";
