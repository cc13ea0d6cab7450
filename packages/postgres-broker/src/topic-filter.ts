import type { TopicPattern } from "@events/sse-core";

/** A SQL condition on the `topic` column and its parameters. */
export interface TopicFilter {
  readonly sql: string;
  readonly params: readonly (string | readonly string[])[];
}

/**
 * The condition selecting the rows of topics matching `patterns`, numbering its parameters from
 * `$<first>`. Exact names use the primary key (`topic = any(…)`), a `<prefix>/*` pattern a
 * range of it (`topic >= 'prefix/' and topic < 'prefix0'`: "0" follows "/" in the "C"
 * collation of the column), `*` every row.
 */
export function topicFilter(patterns: readonly TopicPattern[], first: number): TopicFilter {
  if (patterns.some((pattern) => pattern.kind === "all")) return { sql: "true", params: [] };
  const exact: string[] = [];
  const parts: string[] = [];
  const params: (string | readonly string[])[] = [];
  for (const pattern of patterns) {
    if (pattern.kind === "exact") exact.push(pattern.topic);
    else if (pattern.kind === "prefix") {
      params.push(`${pattern.prefix}/`, `${pattern.prefix}0`);
      const at = first + params.length - 2;
      parts.push(`(topic >= $${at} and topic < $${at + 1})`);
    }
  }
  if (exact.length > 0) {
    params.push(exact);
    parts.push(`topic = any($${first + params.length - 1}::text[])`);
  }
  return { sql: parts.length === 0 ? "false" : `(${parts.join(" or ")})`, params };
}
