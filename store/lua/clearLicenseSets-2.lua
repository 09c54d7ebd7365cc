--[[
Deletes the per-system license sets of the registry being replaced: those the
last import wrote and those licenses have been moved to since. All share the
desk's hash tag, so they are in the slot of KEYS.
KEYS: 1 regLicenseSetSystems, 2 regLicenseSystem
ARGV: 1 the regSystemLicenses('') prefix
Returns the number of sets deleted.
]]
local seen = {}
local n = 0
local function clear(sys)
  if not seen[sys] then
    seen[sys] = true
    n = n + redis.call('DEL', ARGV[1] .. sys)
  end
end
for _, s in ipairs(redis.call('SMEMBERS', KEYS[1])) do clear(s) end
for _, s in ipairs(redis.call('HVALS', KEYS[2])) do clear(s) end
return n
