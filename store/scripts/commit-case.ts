/**
 * The one Lua script through which every case change, and every license
 * movement, is written. Redis does not roll a script back when it fails
 * halfway, so every check comes before the first write.
 *
 * KEYS: 1 case hash, 2 cases zset, 3 audit stream, 4 licenseSystem hash,
 *       5 disabled set, 6 registry version, 7 forfeited set,
 *       8 account holdings hash (LumenVox), 9.. per-system license sets (indexed from ARGV)
 * ARGV: 1 expected version ("0": the case must not exist yet)
 *       2 expected states, comma separated ("" = any)
 *       3 new state, 4 new doc JSON, 5 score for the cases zset (ms), 6 case number
 *       7 audit count, then that many audit JSON entries
 *       then move count, then per move: licenseKey, from, to, fromSetIdx, toSetIdx
 *       then disable count, then system keys to disable
 *       then forfeit count, then per forfeit: licenseKey, fromSetIdx
 *       then account transfer count, then per transfer: from, to, product, quantity, intoDeployed (1|0)
 * Returns {'OK', version} | {'CONFLICT', version, state} | {'CHECK', reason}
 */
export const COMMIT_CASE_LUA = `
local caseKey = KEYS[1]
local expected = tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', caseKey, 'version') or '0')
local currentState = redis.call('HGET', caseKey, 'state') or ''
if current ~= expected then
  return {'CONFLICT', tostring(current), currentState}
end
if ARGV[2] ~= '' then
  local ok = false
  for s in string.gmatch(ARGV[2], '([^,]+)') do
    if s == currentState then ok = true end
  end
  if not ok then return {'CONFLICT', tostring(current), currentState} end
end

local i = 7
local auditCount = tonumber(ARGV[i]); i = i + 1
local audits = {}
for a = 1, auditCount do audits[a] = ARGV[i]; i = i + 1 end

local moveCount = tonumber(ARGV[i]); i = i + 1
local moves = {}
for m = 1, moveCount do
  moves[m] = { key = ARGV[i], from = ARGV[i + 1], to = ARGV[i + 2],
               fromSet = KEYS[tonumber(ARGV[i + 3])], toSet = KEYS[tonumber(ARGV[i + 4])] }
  i = i + 5
end
local disableCount = tonumber(ARGV[i]); i = i + 1
local disables = {}
for d = 1, disableCount do disables[d] = ARGV[i]; i = i + 1 end
local forfeitCount = tonumber(ARGV[i]); i = i + 1
local forfeits = {}
for f = 1, forfeitCount do
  forfeits[f] = { key = ARGV[i], fromSet = KEYS[tonumber(ARGV[i + 1])] }
  i = i + 2
end

local transferCount = tonumber(ARGV[i]); i = i + 1
local transfers = {}
for t = 1, transferCount do
  transfers[t] = { from = ARGV[i], to = ARGV[i + 1], product = ARGV[i + 2], qty = tonumber(ARGV[i + 3]), deployed = ARGV[i + 4] == '1' }
  i = i + 5
end

-- checks: every license is where the move says it leaves from, and no
-- license or system involved has been disabled or forfeited since review
for _, m in ipairs(moves) do
  local at = redis.call('HGET', KEYS[4], m.key)
  if at ~= m.from then
    return {'CHECK', 'license ' .. m.key .. ' is not on ' .. m.from .. ' (it is on ' .. tostring(at) .. ')'}
  end
  if redis.call('SISMEMBER', KEYS[7], m.key) == 1 then
    return {'CHECK', 'license ' .. m.key .. ' was forfeited'}
  end
  if redis.call('SISMEMBER', KEYS[5], m.to) == 1 then
    return {'CHECK', 'system ' .. m.to .. ' is disabled'}
  end
end
for _, f in ipairs(forfeits) do
  if redis.call('HEXISTS', KEYS[4], f.key) == 0 then
    return {'CHECK', 'license ' .. f.key .. ' is not in the registry'}
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
  local available = tonumber(from.available[t.product] or 0)
  if available < t.qty then
    return {'CHECK', 'account ' .. t.from .. ' has only ' .. available .. ' ' .. t.product .. ' available, not ' .. t.qty}
  end
  from.available[t.product] = available - t.qty
  local bucket = t.deployed and 'deployed' or 'available'
  to[bucket][t.product] = tonumber(to[bucket][t.product] or 0) + t.qty
end

-- writes
for id, h in pairs(holdings) do redis.call('HSET', KEYS[8], id, cjson.encode(h)) end
for _, m in ipairs(moves) do
  redis.call('HSET', KEYS[4], m.key, m.to)
  redis.call('SREM', m.fromSet, m.key)
  redis.call('SADD', m.toSet, m.key)
end
for _, f in ipairs(forfeits) do
  redis.call('SADD', KEYS[7], f.key)
  redis.call('SREM', f.fromSet, f.key)
end
for _, s in ipairs(disables) do redis.call('SADD', KEYS[5], s) end
if moveCount + disableCount + forfeitCount + transferCount > 0 then redis.call('INCR', KEYS[6]) end

local version = current + 1
redis.call('HSET', caseKey, 'doc', ARGV[4], 'state', ARGV[3], 'version', tostring(version))
if expected == 0 then redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6]) end
for _, e in ipairs(audits) do redis.call('XADD', KEYS[3], '*', 'e', e) end
return {'OK', tostring(version)}
`;
