--[[
`secret rotate`: replaces a stored message's sealed body only if it is still
the one that was read (compare-and-set), so a rotation beside a working desk
or a second run never overwrites newer bytes.
KEYS: 1 the message hash
ARGV: 1 the sealed bytes read, 2 the bytes sealed under the current secret
Returns 1 when swapped, 0 when the body changed meanwhile.
]]
if redis.call('HGET', KEYS[1], 'raw') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'raw', ARGV[2])
  return 1
end
return 0
