--[[
The one script through which every case change, and every license movement,
is written. Redis does not roll a script back when it fails halfway, so every
check comes before the first write.

KEYS (28 fixed, then one per system whose license set the plan touches):
  1 case hash, 2 cases zset (by first receipt), 3 audit stream,
  4 licenseSystem hash, 5 disabled set, 6 registry version, 7 forfeited set,
  8 account holdings hash (LumenVox),
  9..17 the per-state case indexes (casesByState), in the plan's `states` order,
  18 this case's audit index (zset of its audit stream ids, scored by their ms),
  19 the event log (stream), 20 the registry's changes since its last import (hash path -> value),
  21 the fee ledger (hash id -> entry JSON), 22 ledger ids by assessment time (zset),
  23..27 the ledger's per-state indexes, in the plan's `feeStates` order, 28 this case's ledger ids (zset),
  29.. per-system license sets (the plan names them by KEYS index).
  All share the desk's hash tag, so they are one Cluster slot.
ARGV[1]: the plan, one JSON object:
  expectedVersion  number (0: the case must not exist yet)
  expectedStates   [state] (empty: any)
  number, state    the case and its new state
  doc              the new case document, a JSON string (stored as given)
  receivedScore    ms of first receipt (cases zset), a string
  updatedScore     ms of this change (the state index), a string
  states           [state] naming KEYS[9..17] in order
  audit            [JSON string]
  moves            [{licenseKey, from, to, fromSet, toSet}]  (sets: KEYS index)
  disable          [systemKey]
  forfeit          [{licenseKey, from, fromSet}]
  transfers        [{from, to, product, quantity, intoDeployed}]
  events           [JSON string]: appended to the event log after every write, in order
  eventsMinId      ms: log entries older than this may be trimmed (retention)
  feeStates        [state] naming KEYS[23..27] in order
  feeAdds          [{id, state, score, entry}]: new ledger entries (entry: a JSON string, stored as given)
  feeChanges       [{id, from, to, item, card?}]: an entry in state `from` moves to `to`, `item` joins its history
Returns {'OK', version} | {'CONFLICT', version, state} | {'CHECK', reason}
]]
local plan = cjson.decode(ARGV[1])
local caseKey = KEYS[1]
local expected = tonumber(plan.expectedVersion)
local current = tonumber(redis.call('HGET', caseKey, 'version') or '0')
local currentState = redis.call('HGET', caseKey, 'state') or ''
if current ~= expected then
  return {'CONFLICT', tostring(current), currentState}
end
if #plan.expectedStates > 0 then
  local ok = false
  for _, s in ipairs(plan.expectedStates) do
    if s == currentState then ok = true end
  end
  if not ok then return {'CONFLICT', tostring(current), currentState} end
end

local stateKey = {}
for i, s in ipairs(plan.states) do stateKey[s] = KEYS[8 + i] end
if not stateKey[plan.state] then
  return {'CHECK', 'state ' .. tostring(plan.state) .. ' has no case index'}
end

local moves, forfeits, disables, transfers = plan.moves, plan.forfeit, plan.disable, plan.transfers

-- the fee ledger: a new entry is new, a changed one is in the state the decision was made on
local feeStateKey = {}
for i, s in ipairs(plan.feeStates) do feeStateKey[s] = KEYS[22 + i] end
for _, a in ipairs(plan.feeAdds) do
  if not feeStateKey[a.state] then return {'CHECK', 'fee state ' .. tostring(a.state) .. ' has no index'} end
  if redis.call('HEXISTS', KEYS[21], a.id) == 1 then return {'CHECK', 'fee ' .. a.id .. ' is in the ledger already'} end
end
local changedFees = {}
for _, c in ipairs(plan.feeChanges) do
  if not feeStateKey[c.to] then return {'CHECK', 'fee state ' .. tostring(c.to) .. ' has no index'} end
  local raw = redis.call('HGET', KEYS[21], c.id)
  -- an entry past its retention is gone from the ledger: nothing to change
  if raw then
    local e = cjson.decode(raw)
    if e.state ~= c.from then
      return {'CHECK', 'fee ' .. c.id .. ' is ' .. tostring(e.state) .. ', not ' .. c.from}
    end
    changedFees[#changedFees + 1] = {c = c, e = e}
  end
end

-- checks: every license is where the move or the forfeit says it leaves
-- from, and no license or system involved has been disabled or forfeited
-- since review
for _, m in ipairs(moves) do
  local at = redis.call('HGET', KEYS[4], m.licenseKey)
  if at ~= m.from then
    return {'CHECK', 'license ' .. m.licenseKey .. ' is not on ' .. m.from .. ' (it is on ' .. tostring(at) .. ')'}
  end
  if redis.call('SISMEMBER', KEYS[7], m.licenseKey) == 1 then
    return {'CHECK', 'license ' .. m.licenseKey .. ' was forfeited'}
  end
  if redis.call('SISMEMBER', KEYS[5], m.to) == 1 then
    return {'CHECK', 'system ' .. m.to .. ' is disabled'}
  end
end
for _, f in ipairs(forfeits) do
  local at = redis.call('HGET', KEYS[4], f.licenseKey)
  if not at then
    return {'CHECK', 'license ' .. f.licenseKey .. ' is not in the registry'}
  end
  -- A license moved since the review is no longer the one the plan forfeits: it lives on another system now.
  if at ~= f.from then
    return {'CHECK', 'license ' .. f.licenseKey .. ' is not on ' .. f.from .. ' (it is on ' .. at .. ')'}
  end
  if redis.call('SISMEMBER', KEYS[7], f.licenseKey) == 1 then
    return {'CHECK', 'license ' .. f.licenseKey .. ' was forfeited'}
  end
end

-- LumenVox quantities: worked out in memory, written only if every one fits
local holdings = {}
local function account(id)
  if holdings[id] == nil then
    local raw = redis.call('HGET', KEYS[8], id)
    if not raw then return nil end
    holdings[id] = cjson.decode(raw)
  end
  return holdings[id]
end
for _, t in ipairs(transfers) do
  local from = account(t.from)
  local to = account(t.to)
  if not from then return {'CHECK', 'account ' .. t.from .. ' is not in the registry'} end
  if not to then return {'CHECK', 'account ' .. t.to .. ' is not in the registry'} end
  local qty = tonumber(t.quantity)
  local available = tonumber(from.available[t.product] or 0)
  if available < qty then
    return {'CHECK', 'account ' .. t.from .. ' has only ' .. available .. ' ' .. t.product .. ' available, not ' .. qty}
  end
  from.available[t.product] = available - qty
  local bucket = t.intoDeployed and 'deployed' or 'available'
  to[bucket][t.product] = tonumber(to[bucket][t.product] or 0) + qty
end

-- writes. Each registry change is also noted in KEYS[20], so an import of a file made before it
-- is refused instead of silently undoing it (registry/stale-import.ts).
for id, h in pairs(holdings) do
  redis.call('HSET', KEYS[8], id, cjson.encode(h))
  redis.call('HSET', KEYS[20], 'accounts/' .. id, cjson.encode(h))
end
for _, m in ipairs(moves) do
  redis.call('HSET', KEYS[4], m.licenseKey, m.to)
  redis.call('HSET', KEYS[20], 'licenses/' .. m.licenseKey .. '/systemKey', m.to)
  redis.call('SREM', KEYS[m.fromSet], m.licenseKey)
  redis.call('SADD', KEYS[m.toSet], m.licenseKey)
end
for _, f in ipairs(forfeits) do
  redis.call('SADD', KEYS[7], f.licenseKey)
  redis.call('SREM', KEYS[f.fromSet], f.licenseKey)
  redis.call('HSET', KEYS[20], 'licenses/' .. f.licenseKey .. '/forfeited', 'true')
end
for _, s in ipairs(disables) do
  redis.call('SADD', KEYS[5], s)
  redis.call('HSET', KEYS[20], 'systems/' .. s .. '/disabled', 'true')
end
if #moves + #disables + #forfeits + #transfers > 0 then redis.call('INCR', KEYS[6]) end

local version = current + 1
redis.call('HSET', caseKey, 'doc', plan.doc, 'state', plan.state, 'version', tostring(version))
if expected == 0 then redis.call('ZADD', KEYS[2], plan.receivedScore, plan.number) end
-- the state index: the case leaves its old state's set and joins the new one
if currentState ~= plan.state and stateKey[currentState] then
  redis.call('ZREM', stateKey[currentState], plan.number)
end
redis.call('ZADD', stateKey[plan.state], plan.updatedScore, plan.number)
-- each entry also goes into the case's audit index, so a case's trail is read without scanning the stream
for _, e in ipairs(plan.audit) do
  local id = redis.call('XADD', KEYS[3], '*', 'e', e)
  redis.call('ZADD', KEYS[18], string.match(id, '^(%d+)'), id)
end
for _, a in ipairs(plan.feeAdds) do
  redis.call('HSET', KEYS[21], a.id, a.entry)
  redis.call('ZADD', KEYS[22], a.score, a.id)
  redis.call('ZADD', feeStateKey[a.state], a.score, a.id)
  redis.call('ZADD', KEYS[28], a.score, a.id)
end
for _, f in ipairs(changedFees) do
  local e, c = f.e, f.c
  local score = redis.call('ZSCORE', KEYS[22], c.id) or '0'
  e.state = c.to
  if c.card ~= nil then e.card = c.card end
  -- history is never empty (an entry starts with one item), so cjson keeps it an array
  e.history[#e.history + 1] = c.item
  redis.call('HSET', KEYS[21], c.id, cjson.encode(e))
  if feeStateKey[c.from] then redis.call('ZREM', feeStateKey[c.from], c.id) end
  redis.call('ZADD', feeStateKey[c.to], score, c.id)
end
for _, e in ipairs(plan.events) do
  redis.call('XADD', KEYS[19], 'MINID', '~', plan.eventsMinId, '*', 'e', e)
end
return {'OK', tostring(version)}
