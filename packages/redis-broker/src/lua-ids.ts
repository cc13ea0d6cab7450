/**
 * Lua helpers both scripts share, for ids (`<ms>-<seq>`) and for the recency score a topic's
 * last id is kept as. The score is `ms + seq / 1024` (seq capped at 1023), exact in a double
 * for ms below 2^42 (the year 2109); a capped seq reads back as the largest seq of that ms,
 * so an id read back from a score is never older than the id it came from.
 */
export const LUA_ID_HELPERS = `
local function parse(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end
local function older(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am < bm or (am == bm and as < bs)
end
local function newer(a, b)
  if not a then return b end
  if not b or older(b, a) then return a end
  return b
end
local function format(ms, seq) return string.format('%.0f-%.0f', ms, seq) end
local function scoreOf(ms, seq) return string.format('%.17g', ms + math.min(seq, 1023) / 1024) end
local function idOfScore(score)
  local value = tonumber(score)
  local ms = math.floor(value)
  local seq = math.floor((value - ms) * 1024 + 0.5)
  if seq >= 1023 then return string.format('%.0f-18446744073709551615', ms) end
  return format(ms, seq)
end
`;
