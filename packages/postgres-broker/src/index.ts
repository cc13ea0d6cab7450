/**
 * A PostgreSQL broker for `@events/sse-core`: a table is the event history several server nodes
 * share, an event can be stored in the app's own transaction (delivered if and only if it
 * commits), and `LISTEN/NOTIFY` is only a doorbell.
 * @module
 */
export { PostgresBroker, type PostgresPublishOptions } from "./postgres-broker.ts";
export {
  DEFAULT_POSTGRES_BROKER_OPTIONS,
  type PostgresBrokerOptions,
  type PostgresSql,
  type PostgresTransaction,
  type ResolvedPostgresBrokerOptions,
} from "./options.ts";
export { comparePostgresEventIds, parsePostgresEventId, type PostgresEventId } from "./event-id.ts";
