--[[
Releases a lease only for its holder.
KEYS: 1 the lease; ARGV: 1 the holder's token
Returns 1 when released, 0 when the lease is not the caller's.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end
