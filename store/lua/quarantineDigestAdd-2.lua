--[[
Adds a quarantine notice to its kind's digest (at most a cap of them; beyond
it only a count) and returns when that digest is due: now, or one window
after the last one sent, so reps get at most one digest of a kind a window.
KEYS: 1 the notices (list), 2 the digest's state (hash)
ARGV: 1 notice JSON, 2 now (ms), 3 window (ms), 4 cap, 5 ttl (s)
]]
if redis.call('LLEN', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('RPUSH', KEYS[1], ARGV[1])
else
  redis.call('HINCRBY', KEYS[2], 'dropped', 1)
end
local due = redis.call('HGET', KEYS[2], 'due')
if not due then
  local last = tonumber(redis.call('HGET', KEYS[2], 'lastSent') or '0')
  due = tostring(math.max(tonumber(ARGV[2]), last + tonumber(ARGV[3])))
  redis.call('HSET', KEYS[2], 'due', due)
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return due
