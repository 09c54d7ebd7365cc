--[[
A rep discards a quarantined message: its state is checked and it is
discarded in one step, so a release and a discard racing cannot both win.
The body is dropped; the record of what came and why it was discarded stays.
KEYS: 1 the message hash, 2 the quarantine (sorted set)
ARGV: 1 outcome text, 2 finishedAt (ISO), 3 message id
Returns 1 when discarded, 0 when the message was not quarantined.
]]
if redis.call('HGET', KEYS[1], 'state') ~= 'quarantined' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'processed', 'outcome', ARGV[1], 'finishedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'raw')
redis.call('ZREM', KEYS[2], ARGV[3])
return 1
