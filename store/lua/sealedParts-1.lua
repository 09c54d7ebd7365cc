--[[
A stored message's sealed body in parts, so no client reads a multi-MB body as
one reply: ioredis joins a bulk string's chunks into one Buffer in one call,
20 MB at once on the desk's event loop.
KEYS: 1 the message hash
ARGV: 1 the part size in bytes
Returns the parts in order (none when the message has no body).
]]
local body = redis.call('HGET', KEYS[1], 'raw')
if not body then return {} end
local size = tonumber(ARGV[1])
local parts = {}
for at = 1, #body, size do
  parts[#parts + 1] = string.sub(body, at, at + size - 1)
end
return parts
