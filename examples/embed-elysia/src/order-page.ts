/**
 * The host's own page at `/`: follows one order in the browser with a plain `EventSource` on
 * `/events/stream?topic=orders/<id>` (the browser reconnects and resumes by itself). The fake
 * sign-in sets the `session` cookie, which the browser sends with the stream request (an
 * `EventSource` cannot send headers); the shop then lets its customer follow their own orders.
 */

/** The page's HTML (inline script, no build step). */
export const ORDER_PAGE_HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Follow an order</title>
<form id="follow"><label>Signed in as <select name="user"><option>alice</option><option>bob</option></select></label>
<label>Order id <input name="id" value="1" size="6"></label> <button>Follow</button></form>
<p id="state">not following</p>
<ol id="log"></ol>
<script type="module">
  const state = document.querySelector("#state");
  const log = document.querySelector("#log");
  let source;
  document.querySelector("#follow").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const id = form.get("id");
    // The fake sign-in: a real app sets its session cookie when the user signs in.
    document.cookie = "session=" + form.get("user") + "; path=/; SameSite=Lax";
    source?.close();
    log.replaceChildren();
    source = new EventSource("/events/stream?topic=" + encodeURIComponent("orders/" + id));
    source.onopen = () => (state.textContent = "following order " + id);
    // A refused stream (not your order: 403) closes; a dropped one reconnects.
    source.onerror = () => (state.textContent = source.readyState === EventSource.CLOSED ? "not allowed to follow order " + id : "reconnecting…");
    source.addEventListener("order.updated", (message) => {
      const order = JSON.parse(message.data);
      const row = document.createElement("li");
      row.textContent = order.updatedAt + " " + order.item + " × " + order.quantity + ": " + order.status;
      log.append(row);
    });
  });
</script>
</html>
`;
