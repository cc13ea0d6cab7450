/** Which page of help to show: the root, the `events` service, or one of its methods. */
export type HelpTopic = "root" | "events" | "events trigger" | "events stream" | "events publish" | "token" | "completion";

const GLOBAL_FLAGS = `Global flags (anywhere on the line):
  --url URL          server base URL (default: $EVENTS_URL, else http://localhost:8080)
  --token TOKEN      bearer token sent with every request (default: $EVENTS_TOKEN)
  -H, --header 'NAME: VALUE'
                     add a request header to every request (repeat for several); an
                     Authorization header replaces $EVENTS_TOKEN
  --timeout D        how long to wait for the server to answer a request (the trigger, each
                     stream connect; never an open stream), e.g. 500ms, 5s, 1m30s; 0 means
                     no limit (default: 10s)
  -v, --verbose      print each HTTP request, answer and reconnect on stderr
  -h, --help         show help for the command it follows
  -V, --version      print the version`;

const EXIT_STATUS = `Exit status:
  0  success (a stream stopped by --count, Ctrl-C or SIGTERM also exits 0)
  1  the server failed or could not be reached (one line on stderr says why)
  2  usage error: unknown command or flag (with a "did you mean" for a near miss),
     missing --message, invalid --body, an invalid --topic or --header, missing --topic
     or --data, --data that is not JSON, a --batch file that cannot be read, is not JSON,
     holds no events or holds an item the client refuses`;

const PAGES: Readonly<Record<HelpTopic, string>> = {
  root: `events-cli: trigger and follow the events service's Server-Sent Events.

Usage:
  events-cli [global flags] COMMAND [flags]
  events-cli [global flags] SERVICE METHOD [flags]    (Goa's form: "events trigger")

Commands (each also as "events COMMAND", Goa's service and method):
  trigger            broadcast a message to every connected client
  stream             print events of one or more topics as they arrive, resuming after drops
  publish            publish an event (a name and any JSON data) to one or more topics
  token              print a signed JWT (HS256) for development and tests
  completion SHELL   print the shell completion script for bash, zsh or fish

${GLOBAL_FLAGS}

${EXIT_STATUS}

Examples:
  events-cli trigger --message "deploy finished"
  events-cli events trigger --message "deploy finished"    # the same, Goa's form
  events-cli --url http://events.internal:8080 stream --json
  events-cli stream --count 1 --json    # wait for the next message
  events-cli stream --topic orders/42 --topic 'users/7/*'
  events-cli publish --topic orders/42 --event order.updated --data '{"total": 12}'
  events-cli --token "$(events-cli token --subscribe 'orders/*')" stream --topic orders/42
  eval "$(events-cli completion bash)"

Run "events-cli COMMAND --help" for a command's flags.`,

  events: `events: the events service (Goa's SSE example).

Usage:
  events-cli [global flags] events METHOD [flags]

Methods:
  trigger     POST /events/trigger: broadcast a message to every connected client
  stream      GET /events/stream: print events of one or more topics, resuming after drops
  publish     POST /events/publish: publish an event with JSON data to one or more topics

${GLOBAL_FLAGS}

Examples:
  events-cli events trigger --message hello
  events-cli events stream
  events-cli events stream --topic orders/42
  echo '{"total": 12}' | events-cli events publish --topic orders/42 --data -

Run "events-cli events METHOD --help" (or "events-cli METHOD --help") for a method's flags.`,

  "events trigger": `events trigger: broadcast a message to every connected client (POST /events/trigger).

Usage:
  events-cli [global flags] events trigger --message TEXT [--json]
  events-cli [global flags] trigger --message TEXT [--json]
  events-cli [global flags] events trigger --body '{"message": "TEXT"}' [--json]

Flags:
  -m, --message TEXT   the message, sent as is (newlines, quotes and HTML included);
                       - reads it from stdin (less one final line break)
  -b, --body JSON      the request body as JSON, Goa's form: {"message": "TEXT"}
      --json           print the server's answer as one JSON line instead of its status

On success prints the server's status and the event's id, e.g.
  Event broadcast to 3 clients (id mi1x8k2p-42)
  Event broadcast to 1 client (id mi1x8k2p-43)

${GLOBAL_FLAGS}

${EXIT_STATUS}

Examples:
  events-cli trigger --message "build #42 passed"
  events-cli events trigger --body '{"message": "hello"}'
  git log -1 --format=%B | events-cli trigger --message -
  EVENTS_TOKEN=s3cret events-cli --url https://events.example.com trigger -m hi
  events-cli trigger -m "-starts with a dash"   # or --message=-text`,

  "events stream": `events stream: print events as they arrive (GET /events/stream).

Usage:
  events-cli [global flags] events stream [--last-event-id ID] [--count N] [--json] [--raw] [--topic T]...
  events-cli [global flags] stream [--last-event-id ID] [--count N] [--json] [--raw] [--topic T]...

Flags:
  -t, --topic T            follow this topic (repeat for several, over one connection); a
                           pattern "T/*" follows every topic under T, "*" every topic
                           (default: the server's default topic, "events")
      --last-event-id ID   start after this event id, for every topic followed (replays
                           what history still holds; a "gap" event says when it cannot)
  -n, --count N            exit 0 after N events other than "connected" and "gap" (those
                           are printed but not counted)
      --json               one JSON object per line (NDJSON): {"type","id","topic","data","time"}
      --raw                the SSE frames as received (retry:, comments and keepalives too),
                           byte for byte into a pipe, control characters escaped on a terminal

Without --json or --raw each event is one line: local time, type, id, "(replayed)" for an
event replayed from history (the connected line says how many follow), [topic] (only for
topics other than the default topic) and message, or the data as JSON for published events;
colour only when stdout is a terminal and NO_COLOR is unset. When the connection drops the stream resumes
by itself from the last event id it printed, saying so on stderr, so nothing is missed.
Ctrl-C (SIGINT) and SIGTERM stop it with exit status 0.

${GLOBAL_FLAGS}

${EXIT_STATUS}

Examples:
  events-cli stream
  events-cli stream --json | jq -r 'select(.type == "message") | .data.message'
  events-cli stream --count 3 --json
  events-cli stream --last-event-id mi1x8k2p-42
  events-cli stream --raw --count 1
  events-cli stream --topic orders/42 --topic 'users/7/*' --json
  events-cli -H 'X-Request-Id: 42' events stream`,

  "events publish": `events publish: publish one event to one or more topics, or a batch of events (POST /events/publish).

Usage:
  events-cli [global flags] events publish --topic T [--topic U]... [--event NAME] --data JSON [--json]
  events-cli [global flags] publish --topic T [--topic U]... [--event NAME] --data JSON [--json]
  events-cli [global flags] publish --batch FILE [--json]

Flags:
  -t, --topic T        a topic to publish to (a name, not a pattern); repeat for up to 8
                       topics: one event, one id, and a client following several gets it once
  -e, --event NAME     the event's type (its "event:" line), e.g. order.updated
                       (default: message)
  -d, --data JSON      the event's data: any JSON value ('{"total": 12}', '"text"', 42);
                       - reads it from stdin
      --batch FILE     publish several events at once: FILE holds a JSON array of publish
                       bodies, or one per line (NDJSON, as jq -c writes), each
                       {"topic": T | "topics": [T, U], "event"?: NAME, "data": JSON};
                       - reads stdin. Stored all or none, with consecutive ids (the server
                       takes up to its --max-batch, default 100); not with --topic, --event
                       or --data
      --json           print the server's answer {"id","topics","clients"} as one JSON line
                       (with --batch, the array of answers, in order)

On success prints the topics, the event's id and how many clients on that server got it, e.g.
  Published to orders/42 (id mi1x8k2p-43, 2 clients)
(one such line per event with --batch, in the order of the file).

${GLOBAL_FLAGS}

${EXIT_STATUS}

Examples:
  events-cli publish --topic orders/42 --event order.updated --data '{"total": 12}'
  events-cli events publish -t orders/42 -t users/7 --data '"shipped"'
  jq -c . order.json | events-cli publish --topic orders/42 --data -
  events-cli publish --batch events.json
  jq -c '.[] | {topic: "orders/\\(.id)", data: .}' orders.json | events-cli publish --batch -`,

  token: `token: print a signed JWT (HS256) for development and tests.

Usage:
  events-cli token [--secret SECRET] [--subscribe PATTERN]... [--publish PATTERN]... [--ttl D]
                   [--issuer I] [--audience A] [--sub SUBJECT] [--claim NAME]

Mints the kind of token a server started with --jwt-secret accepts, and prints it (only
it) on stdout. For development and tests: in production, tokens come from your identity
provider or backend, signed with a key that never reaches a terminal.

Flags:
      --secret SECRET      the server's --jwt-secret, at least 32 bytes; - reads it from
                           stdin (less one final line break) (default: $EVENTS_JWT_SECRET).
                           Never printed; prefer - or the variable to keep it out of
                           the shell's history and the process list
      --subscribe PATTERN  a topic or pattern the holder may follow: orders/42, 'users/7/*',
                           '*' (repeat for several)
      --publish PATTERN    a topic or pattern the holder may publish to (repeat for several)
      --ttl D              how long the token is valid: exp = now + D, e.g. 90s, 15m, 1h,
                           at least 1s (default: 1h)
      --issuer I           the iss claim (the server checks it with --jwt-issuer)
      --audience A         the aud claim (the server checks it with --jwt-audience)
      --sub SUBJECT        the sub claim: who the token is for
      --claim NAME         the name of the permissions claim (default: events):
                           {"events": {"subscribe": [...], "publish": [...]}}

Exit status:
  0  the token was printed
  2  usage error: no secret, a secret shorter than 32 bytes, an invalid pattern, --ttl or
     --claim (the secret itself is never shown)

Examples:
  export EVENTS_JWT_SECRET="$(openssl rand -base64 48)"    # the server gets the same
  events-cli token --subscribe 'orders/*' --publish 'orders/*' --ttl 1h
  events-cli --token "$(events-cli token --subscribe 'orders/*')" stream --topic orders/42
  cat secret.txt | events-cli token --secret - --subscribe 'users/7/*' --sub user-7`,

  completion: `completion: print the shell completion script for bash, zsh or fish.

Usage:
  events-cli completion bash|zsh|fish

The script completes commands (with or without "events"), each command's flags, the
global flags and file names after --batch; other values (URLs, messages, topics) are left
to you.

Examples:
  eval "$(events-cli completion bash)"                # this bash session; or install it:
  events-cli completion bash > ~/.local/share/bash-completion/completions/events-cli
  source <(events-cli completion zsh)                 # this zsh session; or install it:
  events-cli completion zsh > "\${fpath[1]}/_events-cli"
  events-cli completion fish > ~/.config/fish/completions/events-cli.fish`,
};

/** The help page for a topic, ending with a newline. */
export function helpText(topic: HelpTopic): string {
  return `${PAGES[topic]}\n`;
}

/** The first lines of a help page (title and usage), printed under a usage error. */
export function usageText(topic: HelpTopic): string {
  const page = PAGES[topic];
  const usageStart = page.indexOf("Usage:");
  const usageEnd = page.indexOf("\n\n", usageStart);
  const command = topic === "root" ? "" : ` ${topic}`;
  return `${page.slice(usageStart, usageEnd)}\n\nRun "events-cli${command} --help" for details.\n`;
}
