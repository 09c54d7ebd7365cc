--[[
Holds a place for one mail among the automatic answers to one address in one
hour (DSK-3's reply limit). The same mail id finds its own place again, so a
retried attempt never counts twice.
KEYS: 1 the hour's set
ARGV: 1 mail id, 2 limit, 3 ttl (seconds)
Returns 1 when the mail has (or now takes) a place, 0 when the hour is full.
]]
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
