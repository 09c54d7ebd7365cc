--[[
Appends one audit entry about a case (DSK-8) and indexes it under that case in
the same step, so a case's trail never misses an entry the stream holds.
KEYS: 1 audit stream, 2 the case's audit index (zset of stream ids by ms)
ARGV: 1 the entry, JSON
Returns the stream id.
]]
local id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[1])
redis.call('ZADD', KEYS[2], string.match(id, '^(%d+)'), id)
return id
