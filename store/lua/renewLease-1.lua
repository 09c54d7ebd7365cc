--[[
Renews a lease only for its holder, so a paused process that lost the lease
cannot take it back.
KEYS: 1 the lease; ARGV: 1 the holder's token, 2 ttl (ms)
Returns 1 when renewed, 0 when the lease is not the caller's.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end
