// A host app as the SDK's type tests see it: its `POST {prefix}/publish` body is the union the
// events plugin declares (design of issue 16), one member per event type of the contract:
// `{ event: name, topic?, topics?, data }`, `event` optional for `message`, and the topics of an
// event restricted to patterns written as template literals (`orders/*` → `orders/${string}`).
// Types and routes only; the handlers are never run.
import { Elysia, t, type TSchema } from "elysia";

const OrderStatus = t.Union([t.Literal("paid"), t.Literal("shipped")]);
const OrderTopic = t.TemplateLiteral("orders/${string}");

/** One member of the publish body union, the way the plugin builds it. */
function member<Name extends string, Data extends TSchema, Topic extends TSchema>(name: Name, data: Data, topic: Topic) {
  return t.Object(
    { event: t.Literal(name), topic: t.Optional(topic), topics: t.Optional(t.Array(topic)), data },
    { additionalProperties: false },
  );
}

const messageMember = t.Object(
  { event: t.Optional(t.Literal("message")), topic: t.Optional(t.String()), topics: t.Optional(t.Array(t.String())), data: t.Object({ message: t.String() }) },
  { additionalProperties: false },
);

const PublishBody = t.Union([
  messageMember,
  member("order.updated", t.Object({ id: t.String(), status: OrderStatus }), OrderTopic),
  member("chat.message", t.Object({ text: t.String(), at: t.Number() }), t.String()),
]);

const PublishAnswer = t.Object({ id: t.String(), topics: t.Array(t.String()), clients: t.Number() });

/** Routes of an events plugin mounted at `prefix` (only the publish body matters to the SDK's types). */
function fixturePlugin<const Prefix extends string>(prefix: Prefix) {
  return new Elysia({ name: `fixture-events${prefix}` })
    .get(`${prefix}/stream`, () => new Response(null))
    .post(`${prefix}/publish`, () => ({ id: "1-0", topics: ["events"], clients: 0 }), { body: PublishBody, response: PublishAnswer });
}

/** A host app with its own routes and the events plugin at the default prefix. */
export const fixtureApp = new Elysia()
  .get("/", () => "home")
  .post("/api/orders/:id", ({ params }) => ({ id: params.id }))
  .use(fixturePlugin("/events"));
export type FixtureApp = typeof fixtureApp;

/** The same plugin mounted under `/rt/live`. */
export const prefixedApp = new Elysia().get("/", () => "home").use(fixturePlugin("/rt/live"));
export type PrefixedApp = typeof prefixedApp;

/** An app whose contract is only the Goa `message` (like the standalone server). */
export const goaApp = new Elysia().post("/events/publish", () => ({ id: "1-0", topics: ["events"], clients: 0 }), {
  body: t.Union([messageMember]),
  response: PublishAnswer,
});
export type GoaApp = typeof goaApp;
