--[[
Takes the notices of a digest that is due, once: they move to a batch key
that a retried send finds again (so a retry mails the same list, and notices
arriving meanwhile wait for the next digest).
KEYS: 1 the notices (list), 2 the digest's state (hash), 3 the batch (list)
ARGV: 1 the due time the job was made for, 2 now (ms), 3 ttl (s)
Returns the batch, its first entry the count of notices dropped over the cap.
]]
if redis.call('EXISTS', KEYS[3]) == 1 then return redis.call('LRANGE', KEYS[3], 0, -1) end
if redis.call('HGET', KEYS[2], 'due') ~= ARGV[1] then return {} end
local dropped = redis.call('HGET', KEYS[2], 'dropped') or '0'
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[3]) end
redis.call('LPUSH', KEYS[3], dropped)
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('HDEL', KEYS[2], 'due', 'dropped')
redis.call('HSET', KEYS[2], 'lastSent', ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return redis.call('LRANGE', KEYS[3], 0, -1)
