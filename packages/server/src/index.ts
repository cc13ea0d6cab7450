/**
 * The events server: an Elysia app serving the SSE stream, the trigger endpoint and the
 * web client. Also the one contract (schemas and payload types) the SDK and CLI use.
 * @module
 */
export {
  ConnectedEventData,
  ErrorResponse,
  GapEventData,
  MAX_MESSAGE_LENGTH,
  MessageEventData,
  type StreamEventPayloads,
  type StreamEventType,
  TriggerRequest,
  TriggerResponse,
} from "./modules/events/model.ts";
