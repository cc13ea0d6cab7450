/**
 * The host's own page at `/`: follows one order in the browser with a plain `EventSource` on
 * `/events/stream?topic=orders/<id>` (the browser reconnects and resumes by itself).
 */

/** The page's HTML (inline script, no build step). */
export const ORDER_PAGE_HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Follow an order</title>
<form id="follow"><label>Order id <input name="id" value="1" size="6"></label> <button>Follow</button></form>
<p id="state">not following</p>
<ol id="log"></ol>
<script type="module">
  const state = document.querySelector("#state");
  const log = document.querySelector("#log");
  let source;
  document.querySelector("#follow").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = new FormData(event.target).get("id");
    source?.close();
    log.replaceChildren();
    source = new EventSource("/events/stream?topic=" + encodeURIComponent("orders/" + id));
    source.onopen = () => (state.textContent = "following order " + id);
    source.onerror = () => (state.textContent = "reconnecting…");
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
