--[[
Retention: sets when a stored message is deleted, only while it is still kept
(a case's list names messages already deleted). With NX an earlier date stays
(a case ends once).
KEYS: 1 message hash, 2 retention due (sorted set)
ARGV: 1 id, 2 score (ms), 3 'NX' or ''
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[3] == 'NX' then return redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1]) end
return redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
