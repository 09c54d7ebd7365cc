--[[
The license keys now on each of a partner's systems, in one call.

A partner's registry snapshot (registry/registry-store.ts) needs the set of
licenses on every one of its systems; one SMEMBERS a system made it a command
apiece over the wire, so a partner with a long past (a system pair per past
case) cost hundreds of commands each time a case of it was read.

  KEYS  the systems' license sets (regSystemLicenses), in the snapshot's order
  ARGV  none
  returns one array of license keys per KEY, in KEYS order (empty for a set that is absent)
]]
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('SMEMBERS', key) end
return out
