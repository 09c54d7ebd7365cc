--[[
Where the licenses now on a partner's systems are, in one call.

A partner's registry snapshot (registry/registry-store.ts) needs every license
now on one of its systems and which system it is on. A SMEMBERS per system
would make a partner with a long past (a system pair per past case) cost
Redis hundreds of calls each time a case of it is read: the calls, not the
members, are the cost. One SUNION over the systems' sets
and one HMGET of where those licenses are give the same answer, because the
commit script (commitCase) moves a license's set membership and its
`regLicenseSystem` entry together, and a forfeited license is in no set.

  KEYS[1]   regLicenseSystem (hash licenseKey -> systemKey)
  KEYS[2..] the systems' license sets (regSystemLicenses)
  returns   { licenseKeys, systemKeys }: two arrays of the same length
]]
local CHUNK = 1000 -- unpack() stays far below Lua's stack limit
local licenses, seen = {}, {}
for first = 2, #KEYS, CHUNK do
  local last = math.min(first + CHUNK - 1, #KEYS)
  for _, l in ipairs(redis.call('SUNION', unpack(KEYS, first, last))) do
    if not seen[l] then
      seen[l] = true
      licenses[#licenses + 1] = l
    end
  end
end
local systems = {}
for first = 1, #licenses, CHUNK do
  local last = math.min(first + CHUNK - 1, #licenses)
  local at = redis.call('HMGET', KEYS[1], unpack(licenses, first, last))
  for i = 1, #at do systems[first + i - 1] = at[i] end
end
return { licenses, systems }
