--[[
One-time backfill of the per-state case indexes for cases written before the
commit script kept them. Idempotent: a case is added only to the set of the
state it is still in, and only when that set does not already hold it (a case
committed since is indexed by the commit itself, with its newer score).
KEYS: 1..9 the per-state case indexes in the plan's `states` order,
      10.. the case hashes the plan names by KEYS index
ARGV[1]: {states: [state], cases: [{number, key, state, score}]}
Returns the number of cases added.
]]
local plan = cjson.decode(ARGV[1])
local stateKey = {}
for i, s in ipairs(plan.states) do stateKey[s] = KEYS[i] end
local added = 0
for _, c in ipairs(plan.cases) do
  local set = stateKey[c.state]
  if set and redis.call('HGET', KEYS[c.key], 'state') == c.state and not redis.call('ZSCORE', set, c.number) then
    redis.call('ZADD', set, c.score, c.number)
    added = added + 1
  end
end
return added
