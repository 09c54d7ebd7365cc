--[[
Stores an ingested message once (DSK-4): by its UIDVALIDITY:UID, by its
Message-ID and by its content hash (the id). A new message joins the
messages awaiting intake, so the sweep can find one whose intake job was lost.
KEYS: 1 msg hash, 2 byMessageId hash, 3 byUid hash, 4 all-messages zset, 5 pending zset
ARGV: 1 id, 2 Message-ID ('' none), 3 uid key ('' none), 4 sealed raw, 5 meta JSON, 6 score (ms)
Returns {'new' | 'refetch' | 'duplicate', id}
]]
if ARGV[3] ~= '' then
  local seen = redis.call('HGET', KEYS[3], ARGV[3])
  if seen then return {'refetch', seen} end
end
if ARGV[2] ~= '' then
  local first = redis.call('HGET', KEYS[2], ARGV[2])
  if first then
    if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], first) end
    return {'duplicate', first}
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], ARGV[1]) end
  return {'duplicate', ARGV[1]}
end
redis.call('HSET', KEYS[1], 'raw', ARGV[4], 'meta', ARGV[5], 'state', 'stored')
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[1]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], ARGV[1]) end
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[6], ARGV[1])
return {'new', ARGV[1]}
